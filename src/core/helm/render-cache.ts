import { createHash } from 'node:crypto';
import type { Head } from './chart/manifests.js';
import { GeneratedKeys } from './functions/certificates.js';
import type { Tree } from './template/parse.js';

/**
 * What renders make of texts that the next render of the same chart meets again, kept in
 * this process by a digest of the text: a template's parse trees, a rendered document's
 * head. The renders of one chart with its values and each of its ci/ values files, the
 * base and head of a pull request, the next push to it: their templates are mostly the
 * same texts, and their CRDs the same documents. What is kept is never changed by a render
 * (trees are read, heads copied out), so sharing it changes no render. Bounded, the least
 * recently used dropped first.
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

/** Parse trees by template name, path and text; in units of template text (a tree holds its text, and is some ten times larger). */
export const TEMPLATE_TREES = new DigestCache<ReadonlyMap<string, Tree>>(4 * 1024 * 1024);

/** Documents' heads (SortManifests' reading) by document text; in documents. */
export const DOCUMENT_HEADS = new DigestCache<Head>(100_000);

/**
 * The keys `genPrivateKey`, `genCA` and the like take in every render for analysis in this
 * process, generated the first time a render asks for them: an analysis reads a render for
 * its resources, never for its keys (findings name resources, fixes edit values and
 * templates), and an RSA key costs a tenth of a second or more to generate. Each render takes
 * them in the order it asks, so two renders of a chart have the same keys. `meshready
 * template` prints its render, so it generates its own, as helm does.
 */
export const ANALYSIS_KEYS = new GeneratedKeys();

/** Forgets every kept tree, head and key: the state of a process that has rendered nothing yet (the bench starts each round so). */
export function forgetKeptRenders(): void {
  TEMPLATE_TREES.clear();
  DOCUMENT_HEADS.clear();
  ANALYSIS_KEYS.clear();
}
