/** LDAP result codes (RFC 4511 §4.1.9) that a reader or a bind meets, by the names operators search for. */
const resultCodeNames: Readonly<Record<number, string>> = {
  1: 'operations error',
  2: 'protocol error',
  3: 'time limit exceeded',
  4: 'size limit exceeded',
  7: 'authentication method not supported',
  8: 'stronger authentication required',
  11: 'administrative limit exceeded',
  13: 'confidentiality required',
  32: 'no such object',
  34: 'invalid DN syntax',
  48: 'inappropriate authentication',
  49: 'invalid credentials',
  50: 'insufficient access rights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwilling to perform',
  80: 'other',
};

/**
 * What a server's refusal means, for messages: ldapts puts the server's diagnostic text first, and
 * slapd sends none for a wrong password, which leaves only " Code: 0x31". The result code's name
 * and number are always given, the server's text when it sent one.
 */
export function describeResultCode(code: number, ldaptsMessage: string): string {
  const name = `${resultCodeNames[code] ?? 'refused'} (LDAP result ${code})`;
  const serverText = ldaptsMessage.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim();
  return serverText === '' ? name : `${name}: ${serverText}`;
}
