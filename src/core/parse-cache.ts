import { createHash } from 'node:crypto';
import { parseManifestFile } from './manifest.js';
import type { ParsedFile, ParseLimits } from './manifest.js';
import type { SourceFile } from './types.js';

/**
 * Parsed files kept from one analysis to the next, by all a parse depends on: the file's
 * path (its findings name it), its text, its own size limit and encoding, and the limits.
 * What a parse gives is never changed by the analysis, so the app's analysis thread keeps one
 * of these: the files a pull request's base and head share are parsed once, and the next pull
 * request of the repository parses only the files it changed. Bounded by the text kept
 * (what is parsed of it is some times larger), the least recently used dropped first.
 */
export class ParseCache {
  private readonly entries = new Map<string, { parsed: ParsedFile; units: number }>();
  private units = 0;
  hits = 0;
  misses = 0;

  /** `maxTextUnits`: the UTF-16 units of text whose parses are kept at most. */
  constructor(private readonly maxTextUnits: number) {}

  parse(file: SourceFile, limits: ParseLimits): ParsedFile {
    const key = createHash('sha256')
      .update(JSON.stringify([file.path, file.maxBytes ?? null, file.encoding ?? null, limits]))
      .update('\u0000')
      .update(file.text)
      .digest('base64');
    const kept = this.entries.get(key);
    if (kept) {
      this.hits++;
      // Last used last: the oldest is the first in the map's order.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept.parsed;
    }
    this.misses++;
    const parsed = parseManifestFile(file, limits);
    const units = file.text.length;
    if (units <= this.maxTextUnits) {
      this.entries.set(key, { parsed, units });
      this.units += units;
      for (const [oldest, entry] of this.entries) {
        if (this.units <= this.maxTextUnits) break;
        this.entries.delete(oldest);
        this.units -= entry.units;
      }
    }
    return parsed;
  }
}
