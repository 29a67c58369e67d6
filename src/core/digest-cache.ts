import { createHash } from 'node:crypto';

/**
 * Values made from texts, kept by a digest of the text and of what else they depend on (the
 * digest, not the text, is the key: a key that is a slice of a rendered file would keep the
 * whole file). Bounded in units its user counts, the least recently used dropped first.
 */
export class DigestCache<V> {
  private readonly entries = new Map<string, { value: V; units: number }>();
  private units = 0;
  hits = 0;
  misses = 0;

  /** `maxUnits`: how much is kept at most, in the units `set` is given. */
  constructor(private readonly maxUnits: number) {}

  /** The digest a text (and what else the value depends on) is kept by. */
  static keyOf(...parts: string[]): string {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part).update('\u0000');
    return hash.digest('base64');
  }

  get(key: string): V | undefined {
    const kept = this.entries.get(key);
    if (kept === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Last used last: the oldest is the first in the map's order.
    this.entries.delete(key);
    this.entries.set(key, kept);
    return kept.value;
  }

  set(key: string, value: V, units: number): void {
    if (units > this.maxUnits) return;
    const earlier = this.entries.get(key);
    if (earlier !== undefined) {
      this.entries.delete(key);
      this.units -= earlier.units;
    }
    this.entries.set(key, { value, units });
    this.units += units;
    for (const [oldest, entry] of this.entries) {
      if (this.units <= this.maxUnits) break;
      this.entries.delete(oldest);
      this.units -= entry.units;
    }
  }

  clear(): void {
    this.entries.clear();
    this.units = 0;
    this.hits = 0;
    this.misses = 0;
  }
}
