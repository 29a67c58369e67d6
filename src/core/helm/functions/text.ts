/**
 * Go's view of strings, for the functions that count, cut or case them as Go does: a Go
 * string is UTF-8 bytes (len and slicing count bytes), and Go's unicode package maps case
 * one rune at a time (simple case mapping: `ß` stays `ß` in strings.ToUpper, where
 * JavaScript's toUpperCase writes `SS`).
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Go's `len(s)`. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Go's `s[start:end]` on the UTF-8 bytes. A cut inside a multi-byte rune leaves bytes that
 * are not UTF-8; they come back as U+FFFD here (Go keeps the raw bytes).
 */
export function sliceBytes(text: string, start: number, end?: number): string {
  const bytes = utf8Bytes(text);
  return fromUtf8(bytes.subarray(start, end));
}

/** Go's `s[i:j]` bounds check: the panic text text/template reports as the call's error. */
export function checkSliceBounds(start: number, end: number, length: number): void {
  if (end < 0 || end > length) throw new RangeError(`runtime error: slice bounds out of range [:${end}] with length ${length}`);
  if (start < 0 || start > end) throw new RangeError(`runtime error: slice bounds out of range [${start}:${end}]`);
}

const upper = /^\p{Lu}$/u;
const lower = /^\p{Ll}$/u;
const title = /^\p{Lt}$/u;
const letter = /^\p{L}$/u;
const digit = /^\p{Nd}$/u;
const numberRune = /^\p{N}$/u;
const punct = /^\p{P}$/u;
const whiteSpace = /^\p{White_Space}$/u;

export const isUpper = (rune: string): boolean => upper.test(rune);
export const isLower = (rune: string): boolean => lower.test(rune);
export const isTitle = (rune: string): boolean => title.test(rune);
export const isLetter = (rune: string): boolean => letter.test(rune);
export const isDigit = (rune: string): boolean => digit.test(rune);
export const isNumber = (rune: string): boolean => numberRune.test(rune);
export const isPunct = (rune: string): boolean => punct.test(rune);
/** unicode.IsSpace: the White_Space property (JavaScript's `\s` adds U+FEFF, which Go does not). */
export const isSpace = (rune: string): boolean => whiteSpace.test(rune);

/** Runes whose simple mapping JavaScript's full mapping does not give (it expands them). */
const SIMPLE_LOWER: Record<string, string> = { '\u0130': 'i' };

/** unicode.ToUpper: the simple mapping, one rune to one rune. */
export function toUpperRune(rune: string): string {
  const mapped = rune.toUpperCase();
  return [...mapped].length === 1 ? mapped : rune;
}

export function toLowerRune(rune: string): string {
  const special = SIMPLE_LOWER[rune];
  if (special !== undefined) return special;
  const mapped = rune.toLowerCase();
  return [...mapped].length === 1 ? mapped : rune;
}

/** Title case differs from upper case only for the Latin digraphs (Ǆ ǅ ǆ → ǅ). */
const TITLE_DIGRAPHS: Record<string, string> = {
  '\u01C4': '\u01C5', '\u01C5': '\u01C5', '\u01C6': '\u01C5',
  '\u01C7': '\u01C8', '\u01C8': '\u01C8', '\u01C9': '\u01C8',
  '\u01CA': '\u01CB', '\u01CB': '\u01CB', '\u01CC': '\u01CB',
  '\u01F1': '\u01F2', '\u01F2': '\u01F2', '\u01F3': '\u01F2',
};

export function toTitleRune(rune: string): string {
  return TITLE_DIGRAPHS[rune] ?? toUpperRune(rune);
}

export function mapRunes(text: string, map: (rune: string) => string): string {
  let out = '';
  for (const rune of text) out += map(rune);
  return out;
}

/** strings.TrimSpace. */
export function trimSpace(text: string): string {
  const runes = [...text];
  let start = 0;
  let end = runes.length;
  while (start < end && isSpace(runes[start]!)) start++;
  while (end > start && isSpace(runes[end - 1]!)) end--;
  return runes.slice(start, end).join('');
}

/** strings.Trim(s, cutset): runes of `cutset` off both ends. */
export function trimCutset(text: string, cutset: string): string {
  if (text === '' || cutset === '') return text;
  const cut = new Set(cutset);
  const runes = [...text];
  let start = 0;
  let end = runes.length;
  while (start < end && cut.has(runes[start]!)) start++;
  while (end > start && cut.has(runes[end - 1]!)) end--;
  return runes.slice(start, end).join('');
}

/** strings.Split(s, sep) (and SplitN with n < 0): an empty separator splits into runes. */
export function splitGo(text: string, separator: string, n = -1): string[] {
  if (n === 0) return [];
  if (separator === '') {
    const runes = [...text];
    if (n < 0 || n >= runes.length) return runes;
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join('')];
  }
  const parts: string[] = [];
  let rest = text;
  while (n < 0 || parts.length < n - 1) {
    const at = rest.indexOf(separator);
    if (at === -1) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  parts.push(rest);
  return parts;
}

/** Go's byte-at-a-time loops (`rune(str[i])`) read each byte as the code point of the same number. */
export function bytesAsRunes(text: string): number[] {
  return [...utf8Bytes(text)];
}

/** unicode.IsSpace of a code point below 0x100, as the byte-wise loops ask it. */
export function isLatin1Space(code: number): boolean {
  return (code >= 0x09 && code <= 0x0d) || code === 0x20 || code === 0x85 || code === 0xa0;
}
