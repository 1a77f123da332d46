/** Comparison operators of an encoded query that the emulator evaluates. */
export type QueryOperator =
  | '='
  | '!='
  | 'LIKE'
  | 'NOTLIKE'
  | 'STARTSWITH'
  | 'ENDSWITH'
  | 'IN'
  | 'NOT IN'
  | 'ISEMPTY'
  | 'ISNOTEMPTY'
  | '<'
  | '<='
  | '>'
  | '>=';

/** One `field OPERATOR value` clause. */
export interface QueryCondition {
  readonly field: string;
  readonly operator: QueryOperator;
  readonly value: string;
}

/** One ordering clause. */
export interface QueryOrder {
  readonly field: string;
  readonly descending: boolean;
}

/**
 * A parsed `sysparm_query`. A row matches when any alternative (split by `^NQ`) matches; an
 * alternative matches when every term holds; a term holds when any of its conditions (joined
 * by `^OR`) holds.
 */
export interface EncodedQuery {
  readonly alternatives: QueryCondition[][][];
  readonly orderBy: QueryOrder[];
}

// Field names on an instance are lower case, so the first upper-case letter or symbol starts the operator.
const conditionPattern =
  /^([a-z_][a-z0-9_.]*)(!=|>=|<=|=|>|<|NOTLIKE|LIKE|STARTSWITH|ENDSWITH|NOT IN|IN|ISNOTEMPTY|ISEMPTY)(.*)$/s;

/**
 * Parses an encoded query the way the instance does: `^` always separates clauses (there is no
 * escaping, so a `^` inside a value starts a new clause), and a clause that cannot be read is
 * dropped rather than refused.
 */
export function parseEncodedQuery(text: string): EncodedQuery {
  const orderBy: QueryOrder[] = [];
  const alternatives = text.split('^NQ').map((segment) => {
    const terms: QueryCondition[][] = [];
    for (const part of segment.split('^')) {
      const order = parseOrder(part);
      if (order !== undefined) {
        orderBy.push(order);
        continue;
      }

      const isOr = part.startsWith('OR');
      const condition = parseCondition(isOr ? part.slice(2) : part);
      if (condition === undefined) continue;

      const previous = terms.at(-1);
      if (isOr && previous !== undefined) previous.push(condition);
      else terms.push([condition]);
    }
    return terms;
  });
  return { alternatives, orderBy };
}

/** Parses one `field OPERATOR value` clause; undefined when it is not one. */
export function parseCondition(text: string): QueryCondition | undefined {
  const match = conditionPattern.exec(text);
  if (match === null) return undefined;

  const [, field = '', operator = '=', value = ''] = match;
  return { field, operator: operator as QueryOperator, value };
}

function parseOrder(part: string): QueryOrder | undefined {
  if (part.startsWith('ORDERBYDESC')) return { field: part.slice('ORDERBYDESC'.length), descending: true };
  if (part.startsWith('ORDERBY')) return { field: part.slice('ORDERBY'.length), descending: false };
  return undefined;
}
