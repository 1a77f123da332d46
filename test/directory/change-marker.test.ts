import {
  changeMarkerFor,
  formatGeneralizedTime,
  laterMarker,
  parseGeneralizedTime,
} from '../../src/directory/change-marker.js';

const csn = changeMarkerFor('openldap');
const timestamp = changeMarkerFor('389ds');
const usn = changeMarkerFor('active-directory');

describe('the change attribute of each directory type', () => {
  test('follows entryCSN on OpenLDAP, uSNChanged on Active Directory and modifyTimestamp elsewhere', () => {
    expect(csn.attribute).toBe('entryCSN');
    expect(usn.attribute).toBe('uSNChanged');
    for (const type of ['389ds', 'pingdirectory', 'generic'] as const) {
      expect(changeMarkerFor(type).attribute).toBe('modifyTimestamp');
    }
  });

  test('follows the attribute the configuration names instead of the type’s own', () => {
    expect(changeMarkerFor('openldap', 'modifyTimestamp').attribute).toBe('modifyTimestamp');
  });
});

describe('entryCSN markers', () => {
  const earlier = '20260301101500.123456Z#000000#000#000000';
  const sameMicrosecondLaterCount = '20260301101500.123456Z#000001#000#000000';
  const later = '20260301101500.500000Z#000000#000#000000';

  test('order by time, then by change count within the same microsecond', () => {
    expect(csn.compare(earlier, later)).toBeLessThan(0);
    expect(csn.compare(later, earlier)).toBeGreaterThan(0);
    expect(csn.compare(earlier, sameMicrosecondLaterCount)).toBeLessThan(0);
    expect(csn.compare(earlier, earlier)).toBe(0);
  });

  test('start the next search the look-back before the watermark, as a CSN the server accepts', () => {
    expect(csn.lowerBound(later, 3000)).toBe('20260301101457.500000Z#000000#000#000000');
    expect(csn.filter(csn.lowerBound(later, 1000))).toBe(
      '(entryCSN>=20260301101459.500000Z#000000#000#000000)',
    );
  });

  test('start exactly at the watermark, to the microsecond, without a look-back', () => {
    expect(csn.lowerBound(earlier, 0)).toBe(earlier);
  });

  test('sort text that is not a CSN before every CSN, and the origin before every real one', () => {
    expect(csn.compare('garbage', earlier)).toBeLessThan(0);
    expect(csn.compare(csn.origin, earlier)).toBeLessThan(0);
  });
});

describe('modifyTimestamp markers', () => {
  test('order by time and look back whole seconds', () => {
    expect(timestamp.compare('20260301101500Z', '20260301101501Z')).toBeLessThan(0);
    expect(timestamp.compare('20260301101500Z', '20260301101500Z')).toBe(0);
    expect(timestamp.lowerBound('20260301101500Z', 3000)).toBe('20260301101457Z');
  });

  test('read Active Directory’s fraction of a second and cross a day at midnight', () => {
    expect(timestamp.compare('20260301101500.0Z', '20260301101500Z')).toBe(0);
    expect(timestamp.lowerBound('20260301000001Z', 3000)).toBe('20260228235958Z');
  });

  test('compare two values that are not times as equal', () => {
    expect(timestamp.compare('x', 'y')).toBe(0);
  });
});

describe('uSNChanged markers', () => {
  test('order as numbers, not as text, and never look back', () => {
    expect(usn.compare('999', '1000')).toBeLessThan(0);
    expect(usn.compare('12345678901234567890', '12345678901234567891')).toBeLessThan(0);
    expect(usn.lowerBound('1000', 3000)).toBe('1000');
    expect(usn.filter('1000')).toBe('(uSNChanged>=1000)');
  });
});

describe('the later of two markers', () => {
  test('takes either one when the other is unknown', () => {
    expect(laterMarker(usn, undefined, '5')).toBe('5');
    expect(laterMarker(usn, '5', undefined)).toBe('5');
    expect(laterMarker(usn, '5', '12')).toBe('12');
  });
});

describe('GeneralizedTime', () => {
  test('reads and writes the same instant, to the microsecond entryCSN shows as milliseconds', () => {
    const ms = parseGeneralizedTime('20260301101500.123456Z');
    expect(ms).toBe(Date.UTC(2026, 2, 1, 10, 15, 0, 123));
    expect(formatGeneralizedTime(ms!, true)).toBe('20260301101500.123000Z');
    expect(formatGeneralizedTime(ms!, false)).toBe('20260301101500Z');
  });

  test('refuses text that is not a time in UTC', () => {
    expect(parseGeneralizedTime('20260301101500+0100')).toBeUndefined();
    expect(parseGeneralizedTime('yesterday')).toBeUndefined();
  });
});
