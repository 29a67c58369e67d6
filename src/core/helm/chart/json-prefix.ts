import type { GoValue } from '../values.js';
import { MAX_NESTING } from '../../yaml-tree.js';
import { wellFormed } from '../yaml/go-text.js';

/**
 * JSON as Go's encoding/json decodes it into `interface{}`: objects as maps, numbers as
 * float64 (or, for a schema, kept as their text: json.Number with UseNumber). For
 * `--set-json`, one value read from the start of a text as `json.Decoder.Decode` reads it:
 * leading white space skipped, the value decoded, whatever follows left unread — the
 * decoder stops where the value ends, so `1,b=2` reads `1`. `runes` counts the code points
 * consumed. Errors are Go's in substance.
 */

/** A number kept as its text (Go's json.Number). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A schema document: JSON with json.Number numbers. */
export type JsonDocument = null | boolean | string | JsonNumber | JsonDocument[] | Map<string, JsonDocument>;

type Parsed = null | boolean | string | number | JsonNumber | Parsed[] | Map<string, Parsed>;

export type JsonPrefix = { value: GoValue; runes: number } | { error: string };

class JsonSyntaxError extends Error {}

const WHITE_SPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class JsonReader {
  at = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly numberText: boolean,
  ) {}

  skipSpace(): void {
    while (this.at < this.text.length && WHITE_SPACE.has(this.text[this.at]!)) this.at++;
  }

  private fail(what: string): never {
    throw new JsonSyntaxError(this.at >= this.text.length ? 'unexpected EOF' : `invalid character ${quoteChar(this.text[this.at]!)} ${what}`);
  }

  value(): Parsed {
    this.skipSpace();
    const char = this.text[this.at];
    if (char === '{' || char === '[') {
      // Go's decoder allows 10000 levels; values nested past meshready's bound are refused as deep YAML is.
      if (++this.depth > MAX_NESTING) throw new JsonSyntaxError(`exceeded max depth`);
      try {
        return char === '{' ? this.object() : this.array();
      } finally {
        this.depth--;
      }
    }
    if (char === '"') return this.string();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.at;
    const number = NUMBER.exec(this.text);
    if (!number) this.fail('looking for beginning of value');
    this.at += number[0].length;
    if (this.numberText) return new JsonNumber(number[0]);
    const parsed = Number(number[0]);
    if (!Number.isFinite(parsed)) throw new JsonSyntaxError(`json: cannot unmarshal number ${number[0]} into Go value of type float64`);
    return parsed;
  }

  private object(): Parsed {
    this.at++;
    const map = new Map<string, Parsed>();
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return map;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') this.fail('looking for beginning of object key string');
      const key = this.string();
      this.skipSpace();
      if (this.text[this.at] !== ':') this.fail('after object key');
      this.at++;
      map.set(key, this.value());
      this.skipSpace();
      if (this.text[this.at] === '}') {
        this.at++;
        return map;
      }
      if (this.text[this.at] !== ',') this.fail('after object key:value pair');
      this.at++;
    }
  }

  private array(): Parsed {
    this.at++;
    const list: Parsed[] = [];
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return list;
    }
    for (;;) {
      list.push(this.value());
      this.skipSpace();
      if (this.text[this.at] === ']') {
        this.at++;
        return list;
      }
      if (this.text[this.at] !== ',') this.fail('after array element');
      this.at++;
    }
  }

  private string(): string {
    this.at++;
    let out = '';
    for (;;) {
      if (this.at >= this.text.length) this.fail('in string literal');
      const char = this.text[this.at]!;
      if (char === '"') {
        this.at++;
        return wellFormed(out);
      }
      if (char.charCodeAt(0) < 0x20) this.fail('in string literal');
      if (char !== '\\') {
        out += char;
        this.at++;
        continue;
      }
      const escape = this.text[this.at + 1];
      if (escape !== undefined && ESCAPES[escape] !== undefined) {
        out += ESCAPES[escape];
        this.at += 2;
      } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.at + 2, this.at + 6), 16));
        this.at += 6;
      } else {
        this.at++;
        this.fail('in string escape code');
      }
    }
  }
}

/** Go's %q of a character, as its JSON syntax errors quote it ('x'). */
function quoteChar(char: string): string {
  if (char === "'") return "'\\''";
  if (char === '\\') return "'\\\\'";
  return `'${char}'`;
}

export function decodeJsonPrefix(text: string): JsonPrefix {
  const reader = new JsonReader(text, false);
  try {
    const value = reader.value() as GoValue;
    return { value, runes: [...text.slice(0, reader.at)].length };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { error: error.message };
    throw error;
  }
}

/** Go's `json.Unmarshal` of a whole text (`--set-json '{...}'`): nothing but white space may follow the value. */
export function decodeJson(text: string): JsonPrefix {
  const reader = new JsonReader(text, false);
  try {
    const value = reader.value() as GoValue;
    reader.skipSpace();
    if (reader.at < text.length) return { error: `invalid character ${quoteChar(text[reader.at]!)} after top-level value` };
    return { value, runes: [...text].length };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { error: error.message };
    throw error;
  }
}

/** A schema document, as jsonschema.UnmarshalJSON reads one (numbers as their text). */
export function decodeJsonDocument(text: string): { value: JsonDocument } | { error: string } {
  const reader = new JsonReader(text, true);
  try {
    const value = reader.value() as JsonDocument;
    reader.skipSpace();
    if (reader.at < text.length) return { error: 'invalid character after top-level value' };
    return { value };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { error: error.message };
    throw error;
  }
}
