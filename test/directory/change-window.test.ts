import { changeMarkerFor } from '../../src/directory/change-marker.js';
import { ChangeWindow } from '../../src/directory/change-window.js';

const marker = changeMarkerFor('389ds');
const dn = 'uid=ada,ou=people,dc=example,dc=com';

describe('the window of changes already handled', () => {
  test('hands out a version of an entry once, however often the overlapping searches return it', () => {
    const window = new ChangeWindow(marker);
    expect(window.isNew(dn, 'v1')).toBe(true);
    window.handled(dn, 'v1', '20260301101500Z');
    expect(window.isNew(dn, 'v1')).toBe(false);
  });

  test('takes a second change in the same second for a new version: its values differ', () => {
    const window = new ChangeWindow(marker);
    window.handled(dn, 'v1', '20260301101500Z');
    expect(window.isNew(dn, 'v2')).toBe(true);
  });

  test('keeps entries apart by their key', () => {
    const window = new ChangeWindow(marker);
    window.handled(dn, 'v1', '20260301101500Z');
    expect(window.isNew('uid=alan,ou=people,dc=example,dc=com', 'v1')).toBe(true);
  });

  test('forgets the entries whose change is before the next search’s lower bound, and only those', () => {
    const window = new ChangeWindow(marker);
    window.handled(dn, 'old', '20260301101450Z');
    window.handled('uid=alan,ou=people,dc=example,dc=com', 'recent', '20260301101458Z');
    window.forgetBefore('20260301101457Z');
    expect(window.size).toBe(1);
    expect(window.isNew(dn, 'old')).toBe(true);
    expect(window.isNew('uid=alan,ou=people,dc=example,dc=com', 'recent')).toBe(false);
  });
});
