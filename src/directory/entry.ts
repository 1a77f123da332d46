import type { SearchEntry } from 'ldapts';

/**
 * A search result entry whose attributes are found by name case-insensitively, as LDAP names them
 * (a server may answer `givenname` for `givenName`), with raw bytes kept for binary values.
 */
export class DirectoryEntry {
  readonly #values: ReadonlyMap<string, readonly Buffer[]>;

  constructor(
    readonly dn: string,
    values: ReadonlyMap<string, readonly Buffer[]>,
  ) {
    this.#values = values;
  }

  /** Wraps what ldapts parsed off the wire, without its lossy conversion to strings. */
  static fromSearchEntry(entry: SearchEntry): DirectoryEntry {
    const values = new Map<string, Buffer[]>();
    for (const attribute of entry.attributes) {
      const key = attribute.type.toLowerCase();
      values.set(key, [...(values.get(key) ?? []), ...attribute.parsedBuffers]);
    }
    return new DirectoryEntry(entry.name, values);
  }

  /** Builds an entry from text values, for tests and for directories read by other means. */
  static fromStrings(dn: string, attributes: Record<string, string[]>): DirectoryEntry {
    const values = new Map<string, Buffer[]>();
    for (const [name, list] of Object.entries(attributes)) {
      values.set(
        name.toLowerCase(),
        list.map((v) => Buffer.from(v, 'utf8')),
      );
    }
    return new DirectoryEntry(dn, values);
  }

  buffers(name: string): readonly Buffer[] {
    return this.#values.get(name.toLowerCase()) ?? [];
  }

  strings(name: string): string[] {
    return this.buffers(name).map((b) => b.toString('utf8'));
  }

  first(name: string): string | undefined {
    return this.strings(name)[0];
  }

  /** Attribute descriptions present, in lower case, options included (`member;range=0-1499`). */
  names(): string[] {
    return [...this.#values.keys()];
  }
}
