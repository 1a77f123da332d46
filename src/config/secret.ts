import { inspect } from 'node:util';

/**
 * A credential loaded from the environment or a file. Its value is reachable only through
 * `reveal()`: printing, logging or serialising a Secret shows where it came from, never what it is.
 */
export class Secret {
  readonly #value: string;

  constructor(
    value: string,
    /** Where the value came from, e.g. `env LDAP_BIND_PASSWORD`; safe to print. */
    readonly source: string,
  ) {
    this.#value = value;
  }

  /** The secret value itself; pass it only to the library that needs it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return `[secret from ${this.source}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
