import { DigestCache } from './digest-cache.js';
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
  private readonly kept: DigestCache<ParsedFile>;

  /** `maxTextUnits`: the UTF-16 units of text whose parses are kept at most. */
  constructor(maxTextUnits: number) {
    this.kept = new DigestCache(maxTextUnits);
  }

  get hits(): number {
    return this.kept.hits;
  }

  get misses(): number {
    return this.kept.misses;
  }

  parse(file: SourceFile, limits: ParseLimits): ParsedFile {
    const key = DigestCache.keyOf(JSON.stringify([file.path, file.maxBytes ?? null, file.encoding ?? null, limits]), file.text);
    let parsed = this.kept.get(key);
    if (parsed === undefined) this.kept.set(key, (parsed = parseManifestFile(file, limits)), file.text.length);
    return parsed;
  }
}
