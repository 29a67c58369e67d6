/** Go's view of strings where it differs from JavaScript's: UTF-8 bytes, code point order, Unicode spaces. */

/** Go's `<` on strings: byte order of UTF-8, which is code point order (JavaScript compares UTF-16 units). */
export function compareGoStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate (a code point past U+FFFF) sorts after every BMP character.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The length of a string in UTF-8 bytes (a lone surrogate counts as U+FFFD, as Go would hold it). */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Bytes as Go reads them into a string's runes: each byte of an invalid sequence becomes U+FFFD. */
export function decodeGoUtf8(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let width = 0;
    let code = 0;
    let min = 0;
    if (b < 0x80) [width, code, min] = [1, b, 0];
    else if ((b & 0xe0) === 0xc0) [width, code, min] = [2, b & 0x1f, 0x80];
    else if ((b & 0xf0) === 0xe0) [width, code, min] = [3, b & 0x0f, 0x800];
    else if ((b & 0xf8) === 0xf0) [width, code, min] = [4, b & 0x07, 0x10000];
    let valid = width > 0 && i + width <= bytes.length;
    for (let k = 1; valid && k < width; k++) {
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) valid = false;
      else code = (code << 6) | (next & 0x3f);
    }
    if (valid && (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))) valid = false;
    if (valid) {
      out += String.fromCodePoint(code);
      i += width;
    } else {
      out += '\ufffd';
      i += 1;
    }
  }
  return out;
}

/** A string as Go would hold it: a lone surrogate (which no UTF-8 text can hold) becomes U+FFFD. */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const GO_SPACES = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

/** Go's `unicode.IsSpace`. */
export function isGoSpace(c: number): boolean {
  return GO_SPACES.has(c) || (c >= 0x2000 && c <= 0x200a);
}

/** Go's `strings.TrimSpace` (JavaScript's `trim` also trims U+FEFF and keeps U+0085). */
export function trimGoSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const NAMED_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v', 0x5c: '\\\\' };

/** One rune as Go's strconv quoting writes it inside `quote` marks. */
function quotedRune(r: number, quote: string): string {
  const named = NAMED_ESCAPES[r];
  if (named) return named;
  const s = String.fromCodePoint(r);
  if (s === quote) return `\\${quote}`;
  if (PRINTABLE.test(s)) return s;
  if (r < 0x80) return `\\x${r.toString(16).padStart(2, '0')}`;
  if (r < 0x10000) return `\\u${r.toString(16).padStart(4, '0')}`;
  return `\\U${r.toString(16).padStart(8, '0')}`;
}

/** Go's `strconv.Quote` (and `%q` of a string). */
export function goQuote(s: string): string {
  return `"${[...s].map((c) => quotedRune(c.codePointAt(0)!, '"')).join('')}"`;
}

/** Go's `strconv.QuoteRune` (and `%q` of a rune). */
export function goQuoteRune(r: number): string {
  return `'${quotedRune(r, "'")}'`;
}
