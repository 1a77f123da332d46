/**
 * Active Directory's objectGUID (16 bytes) in the registry string format, lower case:
 * `{00112233-4455-6677-8899-aabbccddeeff}` without the braces. The first three groups are stored
 * little-endian, so their bytes are reversed; the last two are in byte order. Undefined unless
 * exactly 16 bytes.
 */
export function objectGuidToString(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 16) return undefined;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0'));
  const group = (indexes: number[]) => indexes.map((i) => hex[i]).join('');
  return [
    group([3, 2, 1, 0]),
    group([5, 4]),
    group([7, 6]),
    group([8, 9]),
    group([10, 11, 12, 13, 14, 15]),
  ].join('-');
}
