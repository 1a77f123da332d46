/**
 * One spelling for every way of writing the same DN, for comparing DNs (never for sending them):
 * attribute types and values in lower case, no spaces around separators, escapes (`\,`, `\2C`,
 * `\2c`, quoted values) decoded and written one way, multi-valued RDNs in a fixed order, Unicode
 * in NFC. Values are compared case-insensitively, as the usual naming attributes (cn, uid, ou, dc)
 * are. Throws on a DN it cannot parse rather than guessing.
 */
export function normalizeDn(dn: string): string {
  return (
    plainDnNormalized(dn) ??
    parseDn(dn)
      .map((rdn) =>
        rdn
          .map(
            ([type, value]) =>
              `${typeName(type)}=${escapeValue(decodeBer(value).normalize('NFC').toLowerCase())}`,
          )
          .sort()
          .join('+'),
      )
      .join(',')
  );
}

/** The DN in a `member` or `uniqueMember` value: uniqueMember may end in an optional `#'0101'B` uid. */
export function memberValueDn(value: string): string {
  return value.replace(/#'[01]*'B$/, '');
}

type Rdn = Array<[type: string, value: string]>;

/**
 * Names and OIDs that servers and people use for the usual naming attributes, to their short name:
 * `commonName=x`, `2.5.4.3=x` and `CN=x` are the same RDN.
 */
const typeAliases: Record<string, string> = {
  commonname: 'cn',
  '2.5.4.3': 'cn',
  surname: 'sn',
  '2.5.4.4': 'sn',
  countryname: 'c',
  '2.5.4.6': 'c',
  localityname: 'l',
  '2.5.4.7': 'l',
  stateorprovincename: 'st',
  '2.5.4.8': 'st',
  streetaddress: 'street',
  '2.5.4.9': 'street',
  organizationname: 'o',
  '2.5.4.10': 'o',
  organizationalunitname: 'ou',
  '2.5.4.11': 'ou',
  domaincomponent: 'dc',
  '0.9.2342.19200300.100.1.25': 'dc',
  userid: 'uid',
  '0.9.2342.19200300.100.1.1': 'uid',
};

function typeName(type: string): string {
  const lower = type.toLowerCase().replace(/^oid\./, '');
  return typeAliases[lower] ?? lower;
}

/** BER string tags a `#…` value may carry: OCTET STRING, UTF8String, PrintableString, IA5String, T61String. */
const berStringTags = new Set([0x04, 0x0c, 0x13, 0x16, 0x14]);

/**
 * A value written as `#` and the hex of its BER encoding (RFC 4514 2.4) becomes its text when it is
 * a short string (`#04024869` is `Hi`); anything else stays as written, in lower case.
 */
function decodeBer(value: string): string {
  if (!value.startsWith('#')) return value;
  const bytes = Buffer.from(value.slice(1), 'hex');
  const [tag, length] = [bytes[0], bytes[1]];
  if (tag === undefined || length === undefined || !berStringTags.has(tag) || length > 127) return value;
  if (bytes.length !== length + 2) return value;
  try {
    return utf8.decode(bytes.subarray(2));
  } catch {
    return value;
  }
}

/**
 * The common case, quickly (a scope read normalises every user DN and every member): printable
 * ASCII without escapes, quotes or multi-valued RDNs. Undefined for anything else.
 */
function plainDnNormalized(dn: string): string | undefined {
  if (/[\\"+;#<>]/.test(dn) || !/^[ -~]+$/.test(dn)) return undefined;
  const rdns: string[] = [];
  for (const rdn of dn.toLowerCase().split(',')) {
    const [type, value, extra] = rdn.split('=');
    if (extra !== undefined || value === undefined) return undefined;
    const name = type!.trim();
    if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
    rdns.push(`${typeName(name)}=${value.trim()}`);
  }
  return rdns.join(',');
}

/** RFC 4514 (and the RFC 2253 leniencies still seen in the wild: spaces, quotes, `;`). */
function parseDn(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  let rdn: Rdn = [];
  let i = 0;
  // Only leading spaces go here: a trailing one may be escaped, and readValue knows.
  const text = dn.replace(/^ +/, '');
  if (text === '') return [];

  while (i <= text.length) {
    const equals = text.indexOf('=', i);
    if (equals < 0) throw new Error(`not a DN: ${dn}`);
    const type = text.slice(i, equals).trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|(OID\.)?\d+(\.\d+)*)$/i.test(type)) throw new Error(`not a DN: ${dn}`);

    const [value, end] = readValue(text, equals + 1, dn);
    rdn.push([type, value]);
    const separator = text[end];
    if (separator !== '+') {
      rdns.push(rdn);
      rdn = [];
    }
    if (separator === undefined) break;
    i = end + 1;
  }
  return rdns;
}

/** Reads one attribute value from `start`; returns it decoded and the index of the separator after it. */
function readValue(text: string, start: number, dn: string): [string, number] {
  let i = start;
  while (text[i] === ' ') i++;

  if (text[i] === '#') {
    const match = /^#[0-9A-Fa-f]*/.exec(text.slice(i)) ?? [''];
    return [match[0], skipSpaces(text, i + match[0].length)];
  }
  if (text[i] === '"') {
    const close = findClosingQuote(text, i + 1, dn);
    return [decodeEscapes(text.slice(i + 1, close)), skipSpaces(text, close + 1)];
  }

  let raw = '';
  let significantLength = 0;
  for (; i < text.length && !',+;'.includes(text[i]!); i++) {
    if (text[i] === '\\') {
      if (i + 1 === text.length) throw new Error(`DN ends in a lone backslash: ${dn}`);
      const length = /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3)) ? 3 : 2;
      raw += text.slice(i, i + length);
      i += length - 1;
      significantLength = raw.length;
    } else {
      raw += text[i];
      if (text[i] !== ' ') significantLength = raw.length;
    }
  }
  // Unescaped trailing spaces are not part of the value; an escaped one is.
  return [decodeEscapes(raw.slice(0, significantLength)), i];
}

function skipSpaces(text: string, i: number): number {
  while (text[i] === ' ') i++;
  return i;
}

function findClosingQuote(text: string, from: number, dn: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  throw new Error(`unterminated quoted value in DN: ${dn}`);
}

/**
 * `\2C` and `\,` become `,`; runs of hex escapes are decoded as UTF-8 (`\C3\A9` is `é`). Escaped
 * bytes that are not UTF-8 stay escaped, in lower case, so that they still compare equal.
 */
function decodeEscapes(raw: string): string {
  return raw.replace(/((?:\\[0-9A-Fa-f]{2})+)|\\([\s\S])/gu, (_, hex: string | undefined, char: string) => {
    if (hex === undefined) return char;
    const bytes = Buffer.from(hex.replace(/\\/g, ''), 'hex');
    try {
      return utf8.decode(bytes);
    } catch {
      return hex.toLowerCase();
    }
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The canonical escaping: a backslash before each special character, nothing else. */
function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}
