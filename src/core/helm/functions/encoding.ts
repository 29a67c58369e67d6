import type { GoFunction } from '../values.js';
import { goFunction } from './define.js';
import { fromUtf8, utf8Bytes } from './text.js';

/**
 * Sprig's b64enc/b64dec/b32enc/b32dec: Go's StdEncoding codecs over the string's bytes. A
 * decoding error is returned as the result text (`illegal base64 data at input byte N`),
 * as Sprig does; the byte offsets are the ones Go's decoders report.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const EQUALS = 0x3d;
const isNewline = (byte: number | undefined) => byte === 0x0a || byte === 0x0d;

class CorruptInput extends Error {
  constructor(offset: number, kind: 'base64' | 'base32') {
    super(`illegal ${kind} data at input byte ${offset}`);
  }
}

function decodeMap(alphabet: string): Int16Array {
  const map = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}

const BASE64_MAP = decodeMap(BASE64);
const BASE32_MAP = decodeMap(BASE32);

/** encoding/base64's decodeQuantum, quantum after quantum (StdEncoding is not strict). */
export function decodeBase64(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const digits = [0, 0, 0, 0];
    let length = 4;
    let trailing: number | undefined;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        throw new CorruptInput(si - j, 'base64');
      }
      const byte = src[si++]!;
      const digit = BASE64_MAP[byte]!;
      if (digit !== -1) {
        digits[j] = digit;
        continue;
      }
      if (isNewline(byte)) {
        j--;
        continue;
      }
      if (byte !== EQUALS || j < 2) throw new CorruptInput(si - 1, 'base64');
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) throw new CorruptInput(src.length, 'base64');
        if (src[si] !== EQUALS) throw new CorruptInput(si - 1, 'base64');
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) trailing = si;
      length = j;
      break;
    }
    const value = (digits[0]! << 18) | (digits[1]! << 12) | (digits[2]! << 6) | digits[3]!;
    for (let k = 0; k < length - 1; k++) out.push((value >> (16 - 8 * k)) & 0xff);
    if (trailing !== undefined) throw new CorruptInput(trailing, 'base64');
  }
  return Uint8Array.from(out);
}

/** encoding/base32's decode after DecodeString drops line breaks: offsets count the bytes left. */
function decodeBase32(input: Uint8Array): Uint8Array {
  const src = input.filter((byte) => !isNewline(byte));
  const total = src.length;
  const out: number[] = [];
  let at = 0;
  let end = false;
  while (at < total && !end) {
    const digits = [0, 0, 0, 0, 0, 0, 0, 0];
    let length = 8;
    for (let j = 0; j < 8; ) {
      if (at === total) throw new CorruptInput(total - (total - at) - j, 'base32');
      const byte = src[at++]!;
      const left = total - at;
      if (byte === EQUALS && j >= 2 && left < 8) {
        if (left + j < 7) throw new CorruptInput(total, 'base32');
        for (let k = 0; k < 7 - j; k++) {
          if (left > k && src[at + k] !== EQUALS) throw new CorruptInput(total - left + k - 1, 'base32');
        }
        length = j;
        end = true;
        if (length === 1 || length === 3 || length === 6) throw new CorruptInput(total - left - 1, 'base32');
        break;
      }
      const digit = BASE32_MAP[byte]!;
      if (digit === -1) throw new CorruptInput(total - left - 1, 'base32');
      digits[j++] = digit;
    }
    let bits = 0n;
    for (const digit of digits) bits = (bits << 5n) | BigInt(digit);
    const count = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[length] ?? 0;
    for (let k = 0; k < count; k++) out.push(Number((bits >> BigInt(32 - 8 * k)) & 0xffn));
  }
  return Uint8Array.from(out);
}

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bits = 0n;
    for (let j = 0; j < 5; j++) bits = (bits << 8n) | BigInt(chunk[j] ?? 0);
    const symbols = Math.ceil((chunk.length * 8) / 5);
    for (let j = 0; j < 8; j++) out += j < symbols ? BASE32[Number((bits >> BigInt(35 - 5 * j)) & 31n)] : '=';
  }
  return out;
}

function decodedOrError(decode: () => Uint8Array): string {
  try {
    return fromUtf8(decode());
  } catch (error) {
    if (error instanceof CorruptInput) return error.message;
    throw error;
  }
}

export const ENCODING_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['b64enc', goFunction(['string'], (text: string) => Buffer.from(text, 'utf8').toString('base64'))],
  ['b64dec', goFunction(['string'], (text: string) => decodedOrError(() => decodeBase64(utf8Bytes(text))))],
  ['b32enc', goFunction(['string'], (text: string) => encodeBase32(utf8Bytes(text)))],
  ['b32dec', goFunction(['string'], (text: string) => decodedOrError(() => decodeBase32(utf8Bytes(text))))],
]);
