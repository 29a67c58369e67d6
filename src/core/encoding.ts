import type { SourceFile } from './types.js';

/**
 * Characters outside YAML's printable set, which go-yaml's reader (so kubectl) refuses with
 * "control characters are not allowed": C0 controls but tab, LF and CR; DEL and C1 controls
 * but NEL; U+FFFE, U+FFFF; and surrogates standing alone.
 */
export const NOT_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How much of a file's start decides whether it is text, as git and grep look at the start. */
const SNIFFED_LENGTH = 8000;
const NOT_TEXT = new RegExp(`${NOT_PRINTABLE.source}|\uFFFD`, 'g');

/**
 * Whether decoded bytes are not text at all (an image, an archive, UTF-16 without its byte
 * order mark): more than one in ten of the first 8,000 characters are control characters
 * or bytes that decode to nothing. A text file with a stray control character (a NUL in a
 * comment) is text, and its manifest is refused where the character stands, as kubectl
 * refuses it.
 */
export function isBinaryText(text: string): boolean {
  const start = text.slice(0, SNIFFED_LENGTH);
  if (!NOT_PRINTABLE.test(start) && !start.includes('\uFFFD')) return false;
  return (start.match(NOT_TEXT)?.length ?? 0) * 10 > start.length;
}

/** One decoder for every UTF-8 file: decoding without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8');

/**
 * Bytes of a manifest to text, as kubectl reads them: UTF-8 (a BOM dropped), or UTF-16
 * and UTF-32 announced by their byte order mark. Undefined for bytes that are not text.
 */
export function decodeManifestBytes(bytes: Uint8Array): { text: string; encoding: string } | undefined {
  // Read by index: destructuring a typed array runs its iterator.
  const b0 = bytes[0];
  const b1 = bytes[1];
  const b2 = bytes[2];
  const b3 = bytes[3];
  let decoded: { text: string; encoding: string };
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) decoded = { text: decodeUtf32(bytes.subarray(4), false), encoding: 'utf-32be' };
  else if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) decoded = { text: decodeUtf32(bytes.subarray(4), true), encoding: 'utf-32le' };
  else if (b0 === 0xfe && b1 === 0xff) decoded = { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  else if (b0 === 0xff && b1 === 0xfe) decoded = { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  else if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) decoded = { text: UTF8.decode(bytes.subarray(3)), encoding: 'utf-8' };
  else decoded = { text: UTF8.decode(bytes), encoding: 'utf-8' };
  return isBinaryText(decoded.text) ? undefined : decoded;
}

/** A file's bytes as the source file the engine reads (its encoding noted when not UTF-8), or undefined when binary. */
export function manifestSource(path: string, bytes: Uint8Array): SourceFile | undefined {
  const decoded = decodeManifestBytes(bytes);
  if (!decoded) return undefined;
  return { path, text: decoded.text, ...(decoded.encoding !== 'utf-8' ? { encoding: decoded.encoding } : {}) };
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const codePoints: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) {
    const codePoint = view.getUint32(offset, littleEndian);
    codePoints.push(codePoint <= 0x10ffff ? codePoint : 0xfffd);
  }
  let text = '';
  // In slices: String.fromCodePoint takes its arguments on the stack.
  for (let start = 0; start < codePoints.length; start += 8192) text += String.fromCodePoint(...codePoints.slice(start, start + 8192));
  return text;
}
