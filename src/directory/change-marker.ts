import type { DirectoryType } from '../config/schema.js';

/** The operational attribute that tells when an entry last changed, and how its values order. */
export type ChangeAttribute = 'entryCSN' | 'modifyTimestamp' | 'uSNChanged';

/** Where a watcher stands: the change attribute's value up to which every change was handled. */
export interface Watermark {
  readonly attribute: ChangeAttribute;
  readonly value: string;
}

/**
 * How to ask a directory for the entries changed since a watermark. Values are the attribute's own,
 * so they compare on the server's clock (or counter), never the worker's.
 */
export interface ChangeMarker {
  readonly attribute: ChangeAttribute;
  /** A value before every real one: where a watcher starts on a directory that shows none yet. */
  readonly origin: string;
  /** The filter term for entries whose marker is at or after `lowerBound`. */
  filter(lowerBound: string): string;
  /**
   * Where the next search starts: `lookbackMs` before the watermark, so a change committed after a
   * later one was seen (or in the same second, for modifyTimestamp) is still found.
   */
  lowerBound(watermark: string, lookbackMs: number): string;
  /** Negative when `a` is before `b`, 0 when equal; values that are not markers of this kind sort first. */
  compare(a: string, b: string): number;
}

/** The change attribute of each directory type, unless the configuration names another. */
export function changeMarkerFor(type: DirectoryType, attribute?: ChangeAttribute): ChangeMarker {
  const chosen = attribute ?? defaultAttribute[type];
  if (chosen === 'entryCSN') return entryCsn;
  if (chosen === 'modifyTimestamp') return modifyTimestamp;
  return usnChanged;
}

const defaultAttribute: Record<DirectoryType, ChangeAttribute> = {
  openldap: 'entryCSN',
  'active-directory': 'uSNChanged',
  '389ds': 'modifyTimestamp',
  pingdirectory: 'modifyTimestamp',
  generic: 'modifyTimestamp',
};

/** The later of two markers; `undefined` counts as the earliest. */
export function laterMarker(
  marker: ChangeMarker,
  a: string | undefined,
  b: string | undefined,
): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return marker.compare(a, b) >= 0 ? a : b;
}

/**
 * OpenLDAP's change sequence number, `YYYYmmddHHMMSS.ffffffZ#count#sid#mod`: microseconds, ordered
 * by the CSNOrderingMatch rule, so `(entryCSN>=…)` is a valid filter. Fixed width, so the text
 * order is the CSN order.
 */
const entryCsn: ChangeMarker = {
  attribute: 'entryCSN',
  origin: '19700101000000.000000Z#000000#000#000000',
  filter: (lowerBound) => `(entryCSN>=${lowerBound})`,
  lowerBound(watermark, lookbackMs) {
    const time = parseGeneralizedTime(watermark);
    // Without a look-back the watermark itself: the time below keeps milliseconds, not microseconds.
    if (time === undefined || lookbackMs <= 0) return watermark;
    return `${formatGeneralizedTime(Math.max(0, time - lookbackMs), true)}#000000#000#000000`;
  },
  compare: (a, b) => textOrder(csnPattern.test(a) ? a : '', csnPattern.test(b) ? b : ''),
};

const csnPattern = /^\d{14}\.\d{6}Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6}$/i;

/** GeneralizedTime to the second (`YYYYmmddHHMMSSZ`), which every LDAP server keeps. */
const modifyTimestamp: ChangeMarker = {
  attribute: 'modifyTimestamp',
  origin: '19700101000000Z',
  filter: (lowerBound) => `(modifyTimestamp>=${lowerBound})`,
  lowerBound(watermark, lookbackMs) {
    const time = parseGeneralizedTime(watermark);
    return time === undefined ? watermark : formatGeneralizedTime(Math.max(0, time - lookbackMs), false);
  },
  compare: (a, b) => numberOrder(parseGeneralizedTime(a) ?? -Infinity, parseGeneralizedTime(b) ?? -Infinity),
};

/**
 * Active Directory's update sequence number: a counter of one domain controller, so a watermark
 * only means something on the controller it was read from. The watcher moves it to the
 * controller's highestCommittedUSN, below which every change is committed, so the search starts
 * at the watermark itself and `lookbackMs` does not apply.
 */
const usnChanged: ChangeMarker = {
  attribute: 'uSNChanged',
  origin: '0',
  filter: (lowerBound) => `(uSNChanged>=${lowerBound})`,
  lowerBound: (watermark) => watermark,
  compare(a, b) {
    const x = /^\d+$/.test(a) ? BigInt(a) : -1n;
    const y = /^\d+$/.test(b) ? BigInt(b) : -1n;
    return x === y ? 0 : x < y ? -1 : 1;
  },
};

function textOrder(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function numberOrder(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Milliseconds since 1970 of `YYYYmmddHHMMSS[.fff…]Z…`, or undefined for anything else. */
export function parseGeneralizedTime(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d+))?Z/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '0'] = match;
  const ms = Math.floor(Number(`0.${fraction}`) * 1000);
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

/** `YYYYmmddHHMMSSZ`, or with microseconds (`.ffffff`) as entryCSN writes them. */
export function formatGeneralizedTime(ms: number, micro: boolean): string {
  const t = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const base =
    String(t.getUTCFullYear()).padStart(4, '0') +
    two(t.getUTCMonth() + 1) +
    two(t.getUTCDate()) +
    two(t.getUTCHours()) +
    two(t.getUTCMinutes()) +
    two(t.getUTCSeconds());
  return micro ? `${base}.${String(t.getUTCMilliseconds() * 1000).padStart(6, '0')}Z` : `${base}Z`;
}
