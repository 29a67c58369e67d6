/** Go's view of strings where it differs from JavaScript's (beyond fmt.ts's): invalid UTF-8, Unicode spaces, rune quoting. */
import { quoteGo } from '../fmt.js';

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

/** Go's `strconv.QuoteRune` (`%q` of a rune), from fmt's strconv.Quote of the rune alone. */
export function goQuoteRune(r: number): string {
  if (r === 0x27) return "'\\''";
  if (r === 0x22) return `'"'`;
  return `'${quoteGo(String.fromCodePoint(r)).slice(1, -1)}'`;
}
