import { Attribute, BerReader, BerWriter, SearchEntry } from 'ldapts';
import { DirectoryEntry } from '../../src/directory/entry.js';

/** An entry as ldapts parses it off the wire, from attributes given as raw bytes. */
function parsedEntry(dn: string, attributes: Array<[type: string, values: Buffer[]]>): SearchEntry {
  const parsed = attributes.map(([type, values]) => {
    const writer = new BerWriter();
    new Attribute({ type, values }).write(writer);
    const attribute = new Attribute();
    attribute.parse(new BerReader(writer.buffer));
    return attribute;
  });
  return new SearchEntry({ messageId: 1, name: dn, attributes: parsed });
}

describe('an entry read off the wire', () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf, 0x41]);
  const notUtf8 = Buffer.from([0x41, 0xff, 0x42]);
  const entry = DirectoryEntry.fromSearchEntry(
    parsedEntry('uid=ada,ou=people,dc=example', [
      ['givenName', [Buffer.from('Ada'), Buffer.from('Ádá')]],
      ['description', [bom, notUtf8]],
      ['GIVENNAME', [Buffer.from('Augusta')]],
      ['objectGUID', [Buffer.from([1, 2, 3])]],
    ]),
    new Set(['objectguid']),
  );

  test('has its text values, found by name in any case, a repeated attribute read as one list', () => {
    expect(entry.strings('givenname')).toEqual(['Ada', 'Ádá', 'Augusta']);
    expect(entry.first('GivenName')).toBe('Ada');
    expect(entry.names().sort()).toEqual(['description', 'givenname', 'objectguid']);
  });

  test('keeps a leading byte order mark and marks bytes that are not UTF-8', () => {
    expect(entry.strings('description')).toEqual(['\uFEFFA', 'A\uFFFDB']);
  });

  test('keeps the bytes of a binary attribute, copied from the message', () => {
    const [guid] = entry.buffers('objectGUID');
    expect([...guid!]).toEqual([1, 2, 3]);
    expect(entry.strings('objectGUID')).toEqual([]);
  });

  test('kept in part, has only the attributes named, and its DN', () => {
    const kept = entry.only(['GivenName', 'uid']);
    expect(kept.dn).toBe('uid=ada,ou=people,dc=example');
    expect(kept.names()).toEqual(['givenname']);
    expect(kept.strings('givenName')).toEqual(['Ada', 'Ádá', 'Augusta']);
    expect(entry.only([]).names()).toEqual([]);
  });
});
