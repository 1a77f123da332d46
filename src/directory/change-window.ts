import type { ChangeMarker } from './change-marker.js';

/**
 * The entries already handled among those the overlapping searches return again. Each search looks
 * back past the watermark, so the same change comes back for a few polls: it is handled once. An
 * entry counts as new when its fingerprint (its DN and every value read, the marker included)
 * differs from the one handled, so a second change within the same second of modifyTimestamp is
 * not taken for the first. Only changes inside the look-back window are kept, so it stays small.
 */
export class ChangeWindow {
  readonly #handled = new Map<string, { fingerprint: string; marker: string }>();

  constructor(private readonly marker: ChangeMarker) {}

  /** True when this version of the entry has not been handled yet. */
  isNew(key: string, fingerprint: string): boolean {
    return this.#handled.get(key)?.fingerprint !== fingerprint;
  }

  /** Records this version of the entry as handled. */
  handled(key: string, fingerprint: string, marker: string): void {
    this.#handled.set(key, { fingerprint, marker });
  }

  /** Forgets entries whose marker is before `lowerBound`: no search returns them again. */
  forgetBefore(lowerBound: string): void {
    for (const [key, { marker }] of this.#handled) {
      if (this.marker.compare(marker, lowerBound) < 0) this.#handled.delete(key);
    }
  }

  get size(): number {
    return this.#handled.size;
  }
}
