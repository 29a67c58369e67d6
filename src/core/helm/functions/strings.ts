import { randomInt } from 'node:crypto';
import type { GoFunction, GoValue } from '../values.js';
import { goMap } from '../values.js';
import { kebabCase, pascalCase, snakeCase, swapCase, titleCase, untitle } from './cases.js';
import { fail, goFunction, guardSize } from './define.js';
import { compareGoStrings, formatValue, quoteGo } from '../fmt.js';
import { stringValue } from './cast.js';
import {
  byteLength,
  bytesAsRunes,
  checkSliceBounds,
  fromUtf8,
  isLatin1Space,
  mapRunes,
  sliceBytes,
  splitGo,
  toLowerRune,
  toUpperRune,
  trimCutset,
  trimSpace,
} from './text.js';

/** Sprig's strings.go and the string functions functions.go defines inline. */

const int = (value: bigint): number => Number(value);

function trunc(count: bigint, text: string): string {
  const length = byteLength(text);
  const c = int(count);
  if (c < 0 && length + c > 0) return sliceBytes(text, length + c);
  if (c >= 0 && length > c) return sliceBytes(text, 0, c);
  return text;
}

function substring(startValue: bigint, endValue: bigint, text: string): string {
  const length = byteLength(text);
  const start = int(startValue);
  const end = int(endValue);
  if (start < 0) {
    checkSliceBounds(0, end, length);
    return sliceBytes(text, 0, end);
  }
  if (end < 0 || end > length) {
    checkSliceBounds(start, length, length);
    return sliceBytes(text, start);
  }
  checkSliceBounds(start, end, length);
  return sliceBytes(text, start, end);
}

/** goutils' AbbreviateFull over bytes; Sprig returns the text itself when the widths are too small. */
function abbreviate(text: string, offsetValue: number, maxWidth: number): string {
  if (text === '') return '';
  const length = byteLength(text);
  if (length <= maxWidth) return text;
  let offset = Math.min(offsetValue, length);
  if (length - offset < maxWidth - 3) offset = length - (maxWidth - 3);
  if (offset <= 4) return `${sliceBytes(text, 0, maxWidth - 3)}...`;
  if (offset + maxWidth - 3 < length) return `...${abbreviate(sliceBytes(text, offset), 0, maxWidth - 3)}`;
  return `...${sliceBytes(text, length - (maxWidth - 3))}`;
}

/** goutils' WrapCustom: breaks at the last space within the width, over bytes. */
function wrapText(text: string, widthValue: bigint, newLine: string, wrapLongWords: boolean): string {
  if (text === '') return '';
  const separator = newLine === '' ? '\n' : newLine;
  const width = Math.max(1, int(widthValue));
  const bytes = Buffer.from(text, 'utf8');
  const length = bytes.length;
  const space = 0x20;
  let offset = 0;
  let out = '';
  const piece = (from: number, to?: number) => fromUtf8(bytes.subarray(from, to));
  while (length - offset > width) {
    if (bytes[offset] === space) {
      offset++;
      continue;
    }
    const lastSpace = bytes.subarray(offset, width + offset + 1).lastIndexOf(space);
    if (lastSpace !== -1) {
      out += piece(offset, offset + lastSpace) + separator;
      offset += lastSpace + 1;
    } else if (wrapLongWords) {
      out += piece(offset, offset + width) + separator;
      offset += width;
    } else {
      const end = width + offset;
      const nextSpace = bytes.indexOf(space, end);
      if (nextSpace === -1) {
        out += piece(offset);
        offset = length;
      } else {
        out += piece(offset, nextSpace) + separator;
        offset = nextSpace + 1;
      }
    }
  }
  return out + piece(offset);
}

/** goutils' DeleteWhiteSpace reads bytes as runes: once it drops one, every other byte is written as a Latin-1 rune. */
function deleteWhiteSpace(text: string): string {
  const codes = bytesAsRunes(text);
  const kept = codes.filter((code) => !isLatin1Space(code));
  if (kept.length === codes.length) return text;
  return String.fromCodePoint(...kept);
}

/** goutils' Initials: the first byte of each white-space separated word, read as a rune. */
function initials(text: string): string {
  let out = '';
  let gap = true;
  for (const code of bytesAsRunes(text)) {
    if (isLatin1Space(code)) gap = true;
    else if (gap) {
      out += String.fromCodePoint(code);
      gap = false;
    }
  }
  return out;
}

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const NUMERIC = '0123456789';
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** goutils' CryptoRandom over a character set: a negative count is an error Sprig swallows. */
function randomString(count: bigint, characters: string): string {
  if (count <= 0n) return '';
  guardSize('a random string', count);
  let out = '';
  for (let i = 0n; i < count; i++) out += characters[randomInt(characters.length)];
  return out;
}

/** xstrings' Shuffle: the runes in a random order. */
function shuffle(text: string): string {
  const runes = [...text];
  for (let i = runes.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [runes[i], runes[j]] = [runes[j]!, runes[i]!];
  }
  return runes.join('');
}

function repeat(count: bigint, text: string): string {
  if (count < 0n) fail('strings: negative Repeat count');
  if (BigInt(byteLength(text)) * count >= 2n ** 63n) fail('strings: Repeat output length overflow');
  guardSize('repeat', BigInt(byteLength(text)) * count);
  return text.repeat(int(count));
}

export function indent(spaces: bigint, text: string): string {
  const pad = repeat(spaces, ' ');
  return pad + text.replaceAll('\n', `\n${pad}`);
}

/** Sprig's strslice: a list's non-nil items as strings, nil as no strings, anything else as one. */
export function toStrings(value: GoValue): string[] {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(stringValue);
  if (value instanceof Uint8Array) return [...value].map(String);
  if (value === null) return [];
  return [stringValue(value)];
}

function splitToMap(parts: string[]): GoValue {
  return goMap(parts.map((part, i) => [`_${i}`, part]));
}

const string1 = (call: (text: string) => GoValue): GoFunction => goFunction(['string'], call);
const swapped = (call: (a: string, b: string) => GoValue): GoFunction => goFunction(['string', 'string'], call);

export const STRING_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['hello', goFunction([], () => 'Hello!')],
  ['abbrev', goFunction(['int', 'string'], (width: bigint, text: string) => (width < 4n ? text : abbreviate(text, 0, int(width))))],
  [
    'abbrevboth',
    goFunction(['int', 'int', 'string'], (left: bigint, right: bigint, text: string) =>
      right < 4n || (left > 0n && right < 7n) ? text : abbreviate(text, int(left), int(right)),
    ),
  ],
  ['trunc', goFunction(['int', 'string'], trunc)],
  ['trim', string1(trimSpace)],
  ['upper', string1((text) => mapRunes(text, toUpperRune))],
  ['lower', string1((text) => mapRunes(text, toLowerRune))],
  ['title', string1(titleCase)],
  ['untitle', string1(untitle)],
  ['substr', goFunction(['int', 'int', 'string'], substring)],
  ['repeat', goFunction(['int', 'string'], repeat)],
  ['trimall', swapped((cutset, text) => trimCutset(text, cutset))],
  ['trimAll', swapped((cutset, text) => trimCutset(text, cutset))],
  ['trimSuffix', swapped((suffix, text) => (suffix !== '' && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text))],
  ['trimPrefix', swapped((prefix, text) => (text.startsWith(prefix) ? text.slice(prefix.length) : text))],
  ['nospace', string1(deleteWhiteSpace)],
  ['initials', string1(initials)],
  ['randAlphaNum', goFunction(['int'], (count: bigint) => randomString(count, ALPHA + NUMERIC))],
  ['randAlpha', goFunction(['int'], (count: bigint) => randomString(count, ALPHA))],
  ['randAscii', goFunction(['int'], (count: bigint) => randomString(count, ASCII))],
  ['randNumeric', goFunction(['int'], (count: bigint) => randomString(count, NUMERIC))],
  ['swapcase', string1(swapCase)],
  ['shuffle', string1(shuffle)],
  ['snakecase', string1(snakeCase)],
  ['camelcase', string1(pascalCase)],
  ['kebabcase', string1(kebabCase)],
  ['wrap', goFunction(['int', 'string'], (width: bigint, text: string) => wrapText(text, width, '', false))],
  ['wrapWith', goFunction(['int', 'string', 'string'], (width: bigint, separator: string, text: string) => wrapText(text, width, separator, true))],
  ['contains', swapped((part, text) => text.includes(part))],
  ['hasPrefix', swapped((prefix, text) => text.startsWith(prefix))],
  ['hasSuffix', swapped((suffix, text) => text.endsWith(suffix))],
  ['quote', goFunction([], (...values: GoValue[]) => values.filter((value) => value !== null).map((value) => quoteGo(stringValue(value))).join(' '), 'any')],
  ['squote', goFunction([], (...values: GoValue[]) => values.filter((value) => value !== null).map((value) => `'${formatValue(value)}'`).join(' '), 'any')],
  ['cat', goFunction([], (...values: GoValue[]) => values.filter((value) => value !== null).map(formatValue).join(' '), 'any')],
  ['indent', goFunction(['int', 'string'], indent)],
  ['nindent', goFunction(['int', 'string'], (spaces: bigint, text: string) => `\n${indent(spaces, text)}`)],
  ['replace', goFunction(['string', 'string', 'string'], (old: string, replacement: string, text: string) => replaceAll(text, old, replacement))],
  ['plural', goFunction(['string', 'string', 'int'], (one: string, many: string, count: bigint) => (count === 1n ? one : many))],
  ['toString', goFunction(['any'], stringValue)],
  ['split', swapped((separator, text) => splitToMap(splitGo(text, separator)))],
  ['splitList', swapped((separator, text) => splitGo(text, separator))],
  ['splitn', goFunction(['string', 'int', 'string'], (separator: string, n: bigint, text: string) => splitToMap(splitGo(text, separator, int(n))))],
  ['toStrings', goFunction(['any'], toStrings)],
  ['join', goFunction(['string', 'any'], (separator: string, value: GoValue) => toStrings(value).join(separator))],
  [
    'sortAlpha',
    goFunction(['any'], (value: GoValue) => (Array.isArray(value) || value instanceof Uint8Array ? toStrings(value).sort(compareGoStrings) : [stringValue(value)])),
  ],
]);

/** strings.Replace(s, old, new, -1): an empty `old` inserts `new` around every rune. */
function replaceAll(text: string, old: string, replacement: string): string {
  if (old === '') return [...text].reduce((out, rune) => out + rune + replacement, replacement);
  return text.split(old).join(replacement);
}
