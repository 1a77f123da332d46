import type { SearchEntry } from 'ldapts';

/** Shared by every entry without attributes of a kind; never written to. */
const noValues: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * A search result entry whose attributes are found by name case-insensitively, as LDAP names them
 * (a server may answer `givenname` for `givenName`). Values are text, except for the attributes
 * read as binary (objectGUID), which keep their bytes.
 */
export class DirectoryEntry {
  readonly #text: ReadonlyMap<string, readonly string[]>;
  readonly #binary: ReadonlyMap<string, readonly Buffer[]>;

  constructor(
    readonly dn: string,
    text: ReadonlyMap<string, readonly string[]>,
    binary: ReadonlyMap<string, readonly Buffer[]> = noValues,
  ) {
    this.#text = text;
    this.#binary = binary;
  }

  /**
   * Converts what ldapts parsed off the wire, without its guess of which values are binary. The
   * bytes are copied or decoded here so that the entry does not keep the whole message alive.
   */
  static fromSearchEntry(entry: SearchEntry, binaryAttributes: ReadonlySet<string>): DirectoryEntry {
    const text = new Map<string, string[]>();
    let binary: Map<string, Buffer[]> | undefined;
    for (const attribute of entry.attributes) {
      const key = attribute.type.toLowerCase();
      if (binaryAttributes.has(key)) {
        binary ??= new Map();
        appendTo(
          binary,
          key,
          attribute.parsedBuffers.map((b) => Buffer.from(b)),
        );
      } else {
        appendTo(text, key, textValues(attribute));
      }
    }
    return new DirectoryEntry(entry.name, text, binary);
  }

  /** Builds an entry from text values, for tests and for entries read by other means. */
  static fromStrings(dn: string, attributes: Record<string, string[]>): DirectoryEntry {
    const text = new Map(Object.entries(attributes).map(([name, values]) => [name.toLowerCase(), values]));
    return new DirectoryEntry(dn, text);
  }

  /** Values of an attribute read as binary; empty for text attributes. */
  buffers(name: string): readonly Buffer[] {
    return this.#binary.get(name.toLowerCase()) ?? [];
  }

  strings(name: string): readonly string[] {
    return this.#text.get(name.toLowerCase()) ?? [];
  }

  first(name: string): string | undefined {
    return this.strings(name)[0];
  }

  /** The same entry with only these attributes (text ones), for what must be kept after a read. */
  only(names: readonly string[]): DirectoryEntry {
    if (names.length === 0) return new DirectoryEntry(this.dn, noValues);
    const text = new Map<string, readonly string[]>();
    for (const name of names) {
      const values = this.#text.get(name.toLowerCase());
      if (values !== undefined) text.set(name.toLowerCase(), values);
    }
    return new DirectoryEntry(this.dn, text.size === 0 ? noValues : text);
  }

  /** Attribute descriptions present, in lower case, options included (`member;range=0-1499`). */
  names(): string[] {
    return [...this.#text.keys(), ...this.#binary.keys()];
  }
}

/** A server may send the same attribute twice in one entry; its values are then read as one list. */
function appendTo<T>(values: Map<string, T[]>, key: string, more: T[]): void {
  const known = values.get(key);
  if (known === undefined) values.set(key, more);
  else known.push(...more);
}

/**
 * An attribute's values as text. ldapts has decoded each value that is valid UTF-8 already; that
 * string is used, unless the value starts with a byte order mark (which its decoder drops). Any
 * other value is decoded here, with U+FFFD for the bytes that are not UTF-8.
 */
function textValues(attribute: SearchEntry['attributes'][number]): string[] {
  const buffers = attribute.parsedBuffers;
  const decoded = attribute.values;
  const values = new Array<string>(buffers.length);
  for (let i = 0; i < buffers.length; i += 1) {
    const value = decoded[i];
    const bytes = buffers[i]!;
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    values[i] = typeof value === 'string' && !bom ? value : bytes.toString('utf8');
  }
  return values;
}
