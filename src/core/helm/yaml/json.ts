/**
 * Go's encoding/json over the Go value model: `Marshal` (sorted keys, HTML-safe escapes,
 * `[]byte` as base64, struct JSON names and `omitempty`, Go's float form), `MarshalIndent`,
 * and `Unmarshal` into `interface{}` with Go's syntax and type errors.
 */
import type { ValueNode } from '../origins.js';
import { entryOriginOf } from '../origins.js';
import { GoStruct, isGoMap } from '../values.js';
import type { GoMap, GoValue } from '../values.js';
import { MAX_NESTING, NestingTooDeepError } from '../../yaml-tree.js';
import { formatJsonFloat } from './go-float.js';
import { compareGoStrings } from '../fmt.js';
import { decodeGoUtf8, goQuoteRune } from './go-text.js';

/** An error json.Marshal or json.Unmarshal returns, with Go's message (`json: unsupported value: NaN`). */
export class GoJsonError extends Error {}

export interface MarshalOptions {
  /** encoding/json's default: `<`, `>` and `&` as `\u003c`... (Sprig's toRawJson turns it off). */
  escapeHtml?: boolean;
  /** MarshalIndent's indent (its prefix is always empty here). */
  indent?: string;
  /** Filled with the origin of each written key and value that has one, by the UTF-16 offset where it starts. */
  origins?: Map<number, ValueNode>;
}

const HEX = '0123456789abcdef';

/** A string as encoding/json quotes it. */
export function quoteJsonString(s: string, escapeHtml = true): string {
  let out = '"';
  let plainFrom = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let escaped: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26))) {
      escaped =
        c === 0x22 ? '\\"' : c === 0x5c ? '\\\\' : c === 0x08 ? '\\b' : c === 0x0c ? '\\f' : c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
    } else if (c === 0x2028 || c === 0x2029) {
      escaped = `\\u${c.toString(16)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      escaped = '\\ufffd';
    }
    if (escaped !== undefined) {
      out += s.slice(plainFrom, i) + escaped;
      plainFrom = i + 1;
    }
  }
  return `${out}${s.slice(plainFrom)}"`;
}

function isEmptyValue(value: GoValue): boolean {
  if (value === null || value === false || value === '' || value === 0 || value === 0n) return true;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  if (isGoMap(value)) return value.size === 0;
  return false;
}

function goTypeName(value: GoMap | GoValue[]): string {
  return Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}';
}

/** json.Marshal (or MarshalIndent) of a Go value; throws GoJsonError as Go's returns an error. */
export function marshalGoJson(value: GoValue, options: MarshalOptions = {}): string {
  const escapeHtml = options.escapeHtml ?? true;
  const indent = options.indent;
  const origins = options.origins;
  const path = new Set<object>();
  let out = '';
  let depth = 0;

  const newline = (): void => {
    if (indent !== undefined) out += `\n${indent.repeat(depth)}`;
  };
  const note = (node: ValueNode | undefined): void => {
    if (node && origins) origins.set(out.length, node);
  };

  const write = (item: GoValue): void => {
    if (item === null) out += 'null';
    else if (typeof item === 'boolean') out += String(item);
    else if (typeof item === 'string') out += quoteJsonString(item, escapeHtml);
    else if (typeof item === 'bigint') out += item.toString();
    else if (typeof item === 'number') {
      if (!Number.isFinite(item)) throw new GoJsonError(`json: unsupported value: ${Number.isNaN(item) ? 'NaN' : item > 0 ? '+Inf' : '-Inf'}`);
      out += formatJsonFloat(item);
    } else if (item instanceof Uint8Array) out += `"${Buffer.from(item).toString('base64')}"`;
    else if (item instanceof GoStruct) {
      if (item.underlying !== undefined) write(item.underlying);
      else writeStruct(item);
    }
    else if (Array.isArray(item)) writeContainer(item, () => writeArray(item));
    else writeContainer(item, () => writeObject([...item].sort((a, b) => compareGoStrings(a[0], b[0])), item));
  };

  // A type with its own JSON (time.Time) writes it; one with a text form, that text as a string.
  const writeStruct = (struct: GoStruct): void => {
    const json = struct.methods.get('MarshalJSON');
    const text = struct.methods.get('MarshalText');
    if (json) out += String(json.call());
    else if (text) out += quoteJsonString(String(text.call()), escapeHtml);
    else writeObject(structEntries(struct), undefined);
  };

  const writeContainer = (container: GoMap | GoValue[], body: () => void): void => {
    if (path.has(container)) throw new GoJsonError(`json: unsupported value: encountered a cycle via ${goTypeName(container)}`);
    if (path.size >= MAX_NESTING) throw new NestingTooDeepError();
    path.add(container);
    body();
    path.delete(container);
  };

  const writeArray = (list: GoValue[]): void => {
    out += '[';
    if (list.length > 0) {
      depth++;
      list.forEach((item, index) => {
        if (index > 0) out += ',';
        newline();
        note(entryOriginOf(list, index)?.value);
        write(item);
      });
      depth--;
      newline();
    }
    out += ']';
  };

  const writeObject = (entries: [string, GoValue][], map: GoMap | undefined): void => {
    out += '{';
    if (entries.length > 0) {
      depth++;
      entries.forEach(([key, item], index) => {
        if (index > 0) out += ',';
        newline();
        const entryOrigins = map && entryOriginOf(map, key);
        note(entryOrigins?.key);
        out += quoteJsonString(key, escapeHtml);
        out += indent !== undefined ? ': ' : ':';
        note(entryOrigins?.value);
        write(item);
      });
      depth--;
      newline();
    }
    out += '}';
  };

  write(value);
  return out;
}

/** A struct's fields as encoding/json writes them: in declaration order, under their JSON names, `omitempty` ones only when set. */
function structEntries(struct: GoStruct): [string, GoValue][] {
  const entries: [string, GoValue][] = [];
  for (const [field, value] of struct.fields) {
    const tag = struct.json.get(field);
    if (tag?.name === '-') continue;
    if (tag?.omitEmpty && isEmptyValue(value)) continue;
    entries.push([tag?.name || field, value]);
  }
  return entries;
}

// --- Unmarshal -------------------------------------------------------------------------

/** The JSON a Go value of interface{} type receives: numbers as float64, objects as maps. */
export type JsonTarget = 'map' | 'slice' | 'any';

const TARGET_TYPE: Record<JsonTarget, string> = { map: 'map[string]interface {}', slice: '[]interface {}', any: 'interface {}' };

class JsonBytes {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  syntaxError(context: string): GoJsonError {
    return new GoJsonError(`invalid character ${goQuoteRune(this.bytes[this.pos]!)} ${context}`);
  }

  skipSpace(): void {
    while (this.pos < this.bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(this.bytes[this.pos]!)) this.pos++;
  }

  get atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** The byte at the position (a method, so that TypeScript does not narrow it between moves). */
  current(): number {
    return this.bytes[this.pos]!;
  }
}

/**
 * json.Unmarshal into a map (`fromJson`), a slice (`fromJsonArray`) or interface{}: the
 * value and the first error Go returns (a syntax error leaves the target as it was; a type
 * error skips the value that did not fit and decoding goes on).
 */
export function unmarshalGoJson(text: string, target: JsonTarget): { value: GoValue; error?: string } {
  const input = new JsonBytes(new TextEncoder().encode(text));
  const syntaxError = checkJsonSyntax(input);
  if (syntaxError) return { value: null, error: syntaxError };
  input.pos = 0;
  let typeError: string | undefined;
  const saveError = (message: string): void => {
    typeError ??= message;
  };
  const value = decodeValue(input, saveError);
  if (target !== 'any' && value !== null) {
    const kind = Array.isArray(value) ? 'array' : isGoMap(value) ? 'object' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'bool';
    if (kind !== (target === 'map' ? 'object' : 'array')) return { value: null, error: `json: cannot unmarshal ${kind} into Go value of type ${TARGET_TYPE[target]}` };
  }
  return typeError === undefined ? { value } : { value, error: typeError };
}

/** Go's checkValid: the scanner's state machine, reduced to its error messages. */
function checkJsonSyntax(input: JsonBytes): string | undefined {
  let depth = 0;
  const unexpectedEnd = (): GoJsonError => new GoJsonError('unexpected end of JSON input');
  /** Skips spaces; the input must not end there. */
  const nextByte = (): number => {
    input.skipSpace();
    if (input.atEnd) throw unexpectedEnd();
    return input.current();
  };
  const composite = (close: number, body: () => void): void => {
    input.pos++;
    depth++;
    if (nextByte() === close) {
      input.pos++;
      depth--;
      return;
    }
    body();
  };
  /** After an element: `,` and the next one, or the closing byte. */
  const separated = (close: number, context: string): boolean => {
    const c = nextByte();
    input.pos++;
    if (c === 0x2c) return true;
    if (c === close) {
      depth--;
      return false;
    }
    input.pos--;
    throw input.syntaxError(context);
  };
  const expectValue = (): void => {
    if (depth >= MAX_NESTING) throw new NestingTooDeepError();
    const c = nextByte();
    if (c === 0x7b) return composite(0x7d, members);
    if (c === 0x5b) return composite(0x5d, elements);
    if (c === 0x22) return scanString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return scanNumber();
    if (c === 0x74) return scanWord('true');
    if (c === 0x66) return scanWord('false');
    if (c === 0x6e) return scanWord('null');
    throw input.syntaxError('looking for beginning of value');
  };
  const members = (): void => {
    do {
      if (nextByte() !== 0x22) throw input.syntaxError('looking for beginning of object key string');
      scanString();
      if (nextByte() !== 0x3a) throw input.syntaxError('after object key');
      input.pos++;
      expectValue();
    } while (separated(0x7d, 'after object key:value pair'));
  };
  const elements = (): void => {
    do expectValue();
    while (separated(0x5d, 'after array element'));
  };
  const scanString = (): void => {
    input.pos++;
    for (;;) {
      if (input.atEnd) throw unexpectedEnd();
      const c = input.current();
      if (c === 0x22) {
        input.pos++;
        return;
      }
      if (c < 0x20) throw input.syntaxError('in string literal');
      if (c === 0x5c) {
        input.pos++;
        if (input.atEnd) throw unexpectedEnd();
        const e = input.current();
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            input.pos++;
            if (input.atEnd) throw unexpectedEnd();
            if (!/[0-9a-fA-F]/.test(String.fromCharCode(input.current()))) throw input.syntaxError('in \\u hexadecimal character escape');
          }
        } else if (!'bfnrt\\/"'.includes(String.fromCharCode(e))) {
          throw input.syntaxError('in string escape code');
        }
      }
      input.pos++;
    }
  };
  const digit = (): boolean => !input.atEnd && input.current() >= 0x30 && input.current() <= 0x39;
  /** Digits that must be there (after `-`, `.`, `e`): at the end, the input ended too soon. */
  const requireDigit = (context: string): void => {
    if (input.atEnd) throw unexpectedEnd();
    if (!digit()) throw input.syntaxError(context);
  };
  const scanNumber = (): void => {
    if (input.current() === 0x2d) {
      input.pos++;
      requireDigit('in numeric literal');
    }
    if (input.current() === 0x30) input.pos++;
    else while (digit()) input.pos++;
    if (!input.atEnd && input.current() === 0x2e) {
      input.pos++;
      requireDigit('after decimal point in numeric literal');
      while (digit()) input.pos++;
    }
    if (!input.atEnd && (input.current() === 0x65 || input.current() === 0x45)) {
      input.pos++;
      if (!input.atEnd && (input.current() === 0x2b || input.current() === 0x2d)) input.pos++;
      requireDigit('in exponent of numeric literal');
      while (digit()) input.pos++;
    }
  };
  const scanWord = (word: string): void => {
    input.pos++;
    for (let k = 1; k < word.length; k++) {
      if (input.atEnd) throw unexpectedEnd();
      if (input.current() !== word.charCodeAt(k)) throw input.syntaxError(`in literal ${word} (expecting '${word[k]}')`);
      input.pos++;
    }
  };
  try {
    expectValue();
    input.skipSpace();
    if (!input.atEnd) throw input.syntaxError('after top-level value');
    return undefined;
  } catch (error) {
    if (error instanceof GoJsonError) return error.message;
    throw error;
  }
}

function decodeValue(input: JsonBytes, saveError: (message: string) => void): GoValue {
  input.skipSpace();
  const c = input.current();
  if (c === 0x7b) {
    input.pos++;
    const map: GoMap = new Map();
    input.skipSpace();
    while (input.current() !== 0x7d) {
      const key = decodeString(input);
      input.skipSpace();
      input.pos++;
      map.set(key, decodeValue(input, saveError));
      input.skipSpace();
      if (input.current() === 0x2c) {
        input.pos++;
        input.skipSpace();
      }
    }
    input.pos++;
    return new Map([...map].sort((a, b) => compareGoStrings(a[0], b[0])));
  }
  if (c === 0x5b) {
    input.pos++;
    const list: GoValue[] = [];
    input.skipSpace();
    while (input.current() !== 0x5d) {
      list.push(decodeValue(input, saveError));
      input.skipSpace();
      if (input.current() === 0x2c) input.pos++;
      input.skipSpace();
    }
    input.pos++;
    return list;
  }
  if (c === 0x22) return decodeString(input);
  if (c === 0x74) return (input.pos += 4), true;
  if (c === 0x66) return (input.pos += 5), false;
  if (c === 0x6e) return (input.pos += 4), null;
  const start = input.pos;
  while (!input.atEnd && /[-+.eE0-9]/.test(String.fromCharCode(input.current()))) input.pos++;
  const text = new TextDecoder().decode(input.bytes.subarray(start, input.pos));
  const number = Number(text);
  if (!Number.isFinite(number)) {
    saveError(`json: cannot unmarshal number ${text} into Go value of type float64`);
    return null;
  }
  return number;
}

/** A JSON string's value as Go unquotes it: bad surrogates and invalid UTF-8 become U+FFFD. */
function decodeString(input: JsonBytes): string {
  input.pos++;
  const bytes = input.bytes;
  let out = '';
  let chunkStart = input.pos;
  const flush = (): void => {
    out += decodeGoUtf8(bytes.subarray(chunkStart, input.pos));
  };
  while (bytes[input.pos] !== 0x22) {
    if (bytes[input.pos] !== 0x5c) {
      input.pos++;
      continue;
    }
    flush();
    const e = bytes[input.pos + 1]!;
    input.pos += 2;
    if (e === 0x75) {
      const unit = parseInt(new TextDecoder().decode(bytes.subarray(input.pos, input.pos + 4)), 16);
      input.pos += 4;
      if (unit >= 0xd800 && unit < 0xdc00 && bytes[input.pos] === 0x5c && bytes[input.pos + 1] === 0x75) {
        const low = parseInt(new TextDecoder().decode(bytes.subarray(input.pos + 2, input.pos + 6)), 16);
        if (low >= 0xdc00 && low < 0xe000) {
          out += String.fromCharCode(unit, low);
          input.pos += 6;
          chunkStart = input.pos;
          continue;
        }
      }
      out += unit >= 0xd800 && unit < 0xe000 ? '\ufffd' : String.fromCharCode(unit);
    } else {
      out += ({ 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' } as Record<number, string>)[e] ?? String.fromCharCode(e);
    }
    chunkStart = input.pos;
  }
  flush();
  input.pos++;
  return out;
}
