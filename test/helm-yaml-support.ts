import { HELM_DATA_FUNCTIONS } from '../src/core/helm/yaml/index.js';
import type { GoValue } from '../src/core/helm/values.js';

/** What the helm-yaml suites share: calling Helm's data functions, batching many cases into one helm run, a seeded generator. */

export function call(name: string, ...args: GoValue[]): GoValue {
  return HELM_DATA_FUNCTIONS.get(name)!.call(...args);
}

/** Separates the cases of one helm run in its output: `MARKER name MARKER text`. */
export const MARKER = '\u0001';

/** A batched output split back into its cases, by name. */
export function pieces(output: string): Map<string, string> {
  const parts = output.split(MARKER);
  const out = new Map<string, string>();
  for (let i = 1; i + 1 < parts.length; i += 2) out.set(parts[i]!, parts[i + 1]!);
  return out;
}

/** A YAML double-quoted scalar holding exactly `s` (escaping what a YAML reader would not take raw). */
export function yamlQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0xfffe || code === 0xffff) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += c;
  }
  return `${out}"`;
}

/** A small seeded generator (mulberry32), so that a corpus is the same on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
