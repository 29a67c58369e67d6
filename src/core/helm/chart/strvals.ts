import type { GoMap, GoValue } from '../values.js';
import { isGoMap } from '../values.js';
import { quoteGo, sprintf } from '../fmt.js';
import { isGoSpace } from '../yaml/go-text.js';
import { decodeJsonPrefix } from './json-prefix.js';

/**
 * helm's `pkg/strvals`: the `--set name=value,list[0]=x,a.b=c` lines parsed into a values
 * map, in place, as helm parses them (the same values, the same errors, the same quirks:
 * an unfinished line such as `a[1` sets nothing and is no error, because helm's error
 * there wraps io.EOF and its loop stops on io.EOF).
 *
 * Every entry the parser changes is recorded in `changed`, so that the values-file origins
 * of what a `--set` overrode can be dropped (see values-options.ts).
 */

export type SetKind = 'set' | 'string' | 'json' | 'file' | 'literal';

/** An error of the parser; `endOfInput` when it is io.EOF or wraps it (then the line just ends). */
class ParseError {
  constructor(
    readonly message: string,
    readonly endOfInput = false,
  ) {}
}

const END_OF_INPUT = new ParseError('EOF', true);
/** strvals.ErrNotList: the value is not a `{a,b}` list. */
const NOT_A_LIST = new ParseError('not a list');

/** A Go panic (a failed type assertion), which helm's `key` recovers as `unable to parse key: ...`. */
class GoPanic extends Error {}

const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

type ValueReader = (runes: string) => { value: GoValue } | ParseError;

/** Go's name of a value's dynamic type in helm's values (`--set` integers are int64), as a panic or `%T` names it. */
export function goValueTypeName(value: GoValue | undefined): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (isGoMap(value)) return 'map[string]interface {}';
  if (Array.isArray(value)) return '[]interface {}';
  return 'unknown';
}

function asList(value: GoValue | undefined): GoValue[] {
  if (Array.isArray(value)) return value;
  throw new GoPanic(`interface conversion: interface {} is ${goValueTypeName(value)}, not []interface {}`);
}

function asMap(value: GoValue | undefined): GoMap {
  if (isGoMap(value)) return value;
  throw new GoPanic(`interface conversion: interface {} is ${goValueTypeName(value)}, not map[string]interface {}`);
}

/** Go's `strconv.Atoi` for an index: the number, or its error text. */
function atoi(text: string): number | ParseError {
  if (!/^[+-]?\d+$/.test(text)) return new ParseError(`strconv.Atoi: parsing ${quoteGo(text)}: invalid syntax`);
  const value = BigInt(text);
  if (value > 9223372036854775807n || value < -9223372036854775808n) return new ParseError(`strconv.Atoi: parsing ${quoteGo(text)}: value out of range`);
  // Far beyond MAX_INDEX either way: clamp, so that the index checks report it as helm does.
  return Number(value > 1n << 40n ? 1n << 40n : value < -(1n << 40n) ? -(1n << 40n) : value);
}

/** helm's typedVal: true/false/null (any case), 0, and base-10 int64s become Go values; the rest stays a string. */
export function typedValue(text: string, forceString: boolean): GoValue {
  if (forceString) return text;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (text === '0') return 0n;
  if (text !== '' && text[0] !== '0' && /^[+-]?\d+$/.test(text)) {
    const value = BigInt(text);
    if (value <= 9223372036854775807n && value >= -9223372036854775808n) return value;
  }
  return text;
}

class Scanner {
  private readonly runes: string[];
  private at = 0;

  constructor(text: string) {
    this.runes = [...text];
  }

  read(): string | undefined {
    if (this.at >= this.runes.length) return undefined;
    return this.runes[this.at++];
  }

  unread(): void {
    this.at--;
  }

  rest(): string {
    return this.runes.slice(this.at).join('');
  }

  skip(runes: number): void {
    this.at += runes;
  }

  /** Runes up to one of `stop` (consumed, returned as `last`); `\` escapes the next rune unless `literal`. */
  until(stop: string, literal = false): { runes: string; last?: string; error?: ParseError } {
    let runes = '';
    for (;;) {
      const rune = this.read();
      if (rune === undefined) return { runes, error: END_OF_INPUT };
      if (stop.includes(rune)) return { runes, last: rune };
      if (rune === '\\' && !literal) {
        const next = this.read();
        if (next === undefined) return { runes, error: END_OF_INPUT };
        runes += next;
      } else runes += rune;
    }
  }
}

class StrvalsParser {
  private readonly scanner: Scanner;

  constructor(
    line: string,
    private readonly kind: SetKind,
    private readonly reader: ValueReader,
    private readonly changed: (container: object, key: string | number) => void,
  ) {
    this.scanner = new Scanner(line);
  }

  parse(data: GoMap): ParseError | undefined {
    for (;;) {
      const error = this.key(data, 0);
      if (error === undefined) continue;
      return error.endOfInput ? undefined : error;
    }
  }

  private set(data: GoMap, key: string, value: GoValue): void {
    if (key === '') return;
    if (!data.has(key) || data.get(key) !== value) this.changed(data, key);
    data.set(key, value);
  }

  private setIndex(list: GoValue[], index: number, value: GoValue): { list: GoValue[]; error?: ParseError } {
    if (index < 0) return { list, error: new ParseError(`negative ${index} index not allowed`) };
    if (index > MAX_INDEX) return { list, error: new ParseError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`) };
    while (list.length <= index) list.push(null);
    if (list[index] !== value) this.changed(list, index);
    list[index] = value;
    return { list };
  }

  private key(data: GoMap, nestedNameLevel: number): ParseError | undefined {
    try {
      return this.keyUnrecovered(data, nestedNameLevel);
    } catch (panic) {
      if (panic instanceof GoPanic) return new ParseError(`unable to parse key: ${panic.message}`);
      throw panic;
    }
  }

  private keyUnrecovered(data: GoMap, nestedNameLevel: number): ParseError | undefined {
    const literal = this.kind === 'literal';
    const { runes: key, last, error } = this.scanner.until(literal ? '=[.' : '=[,.', literal);
    if (error) return key === '' ? error : new ParseError(`key ${quoteGo(key)} has no value`);
    switch (last) {
      case '[': {
        const index = this.keyIndex();
        if (index instanceof ParseError) return new ParseError(`error parsing index: ${index.message}`, index.endOfInput);
        const list = data.has(key) ? asList(data.get(key)) : [];
        const item = this.listItem(list, index, nestedNameLevel);
        this.set(data, key, item.list);
        return item.error;
      }
      case '=': {
        if (literal) {
          this.set(data, key, this.scanner.until('', true).runes);
          return undefined;
        }
        if (this.kind === 'json') return this.jsonValue((value) => this.set(data, key, value));
        const list = this.valueList();
        if (!(list instanceof ParseError)) {
          this.set(data, key, list);
          return undefined;
        }
        if (list === END_OF_INPUT) {
          this.set(data, key, '');
          return list;
        }
        if (list !== NOT_A_LIST) return list;
        const value = this.value();
        if (value.error && !value.error.endOfInput) return value.error;
        const read = this.reader(value.runes);
        if (read instanceof ParseError) return read;
        this.set(data, key, read.value);
        return undefined;
      }
      case ',':
        this.set(data, key, '');
        return new ParseError(`key ${quoteGo(key)} has no value (cannot end with ,)`);
      default: {
        if (++nestedNameLevel > MAX_NESTED_NAME_LEVEL) return new ParseError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        const inner = data.has(key) ? asMap(data.get(key)) : new Map<string, GoValue>();
        const innerError = this.key(inner, nestedNameLevel);
        if (innerError === undefined && inner.size === 0) return new ParseError(`key map ${quoteGo(key)} has no value`);
        if (inner.size !== 0) this.set(data, key, inner);
        return innerError;
      }
    }
  }

  private keyIndex(): number | ParseError {
    const { runes, error } = this.scanner.until(']', this.kind === 'literal');
    if (error) return error;
    return atoi(runes);
  }

  private listItem(list: GoValue[], index: number, nestedNameLevel: number): { list: GoValue[]; error?: ParseError } {
    if (index < 0) return { list, error: new ParseError(`negative ${index} index not allowed`) };
    const literal = this.kind === 'literal';
    const { runes, last, error } = this.scanner.until('[.=', literal);
    // helm formats the []rune with %q: each rune a quoted character.
    if (runes !== '') return { list, error: new ParseError(`unexpected data at end of array index: [${[...runes].map((rune) => sprintf('%q', BigInt(rune.codePointAt(0)!))).join(' ')}]`) };
    if (error) return { list, error };
    switch (last) {
      case '=': {
        if (literal) return this.setIndex(list, index, this.scanner.until('', true).runes);
        if (this.kind === 'json') {
          let result: { list: GoValue[]; error?: ParseError } = { list };
          const jsonError = this.jsonValue((value) => (result = this.setIndex(list, index, value)));
          return result.error ? result : jsonError ? { list, error: jsonError } : result;
        }
        const values = this.valueList();
        if (!(values instanceof ParseError)) return this.setIndex(list, index, values);
        if (values === END_OF_INPUT) return this.setIndex(list, index, '');
        if (values !== NOT_A_LIST) return { list, error: values };
        const value = this.value();
        if (value.error && !value.error.endOfInput) return { list, error: value.error };
        const read = this.reader(value.runes);
        if (read instanceof ParseError) return { list, error: read };
        return this.setIndex(list, index, read.value);
      }
      case '[': {
        const nextIndex = this.keyIndex();
        if (nextIndex instanceof ParseError) return { list, error: new ParseError(`error parsing index: ${nextIndex.message}`, nextIndex.endOfInput) };
        const existing = list.length > index && list[index] !== null ? asList(list[index]) : [];
        const inner = this.listItem(existing, nextIndex, nestedNameLevel);
        if (inner.error) return { list, error: inner.error };
        return this.setIndex(list, index, inner.list);
      }
      default: {
        let inner: GoMap = new Map();
        if (list.length > index) {
          const existing = list[index];
          if (isGoMap(existing)) inner = existing;
          else {
            // helm: "indices out of order", the entry becomes an empty map.
            list[index] = inner;
            this.changed(list, index);
          }
        }
        const innerError = this.key(inner, nestedNameLevel);
        if (innerError) return { list, error: innerError };
        return this.setIndex(list, index, inner);
      }
    }
  }

  /** `--set-json`: an empty value is null; otherwise one JSON value, then optional blanks and a comma. */
  private jsonValue(store: (value: GoValue) => void): ParseError | undefined {
    if (this.emptyValue()) {
      store(null);
      return undefined;
    }
    const decoded = decodeJsonPrefix(this.scanner.rest());
    if ('error' in decoded) return new ParseError(decoded.error);
    store(decoded.value);
    this.scanner.skip(decoded.runes);
    this.emptyValue();
    return undefined;
  }

  /** Consumes blanks up to a comma or the end (an empty value) or up to anything else (left unread). */
  private emptyValue(): boolean {
    for (;;) {
      const rune = this.scanner.read();
      if (rune === undefined || rune === ',') return true;
      if (!isGoSpace(rune.codePointAt(0)!)) {
        this.scanner.unread();
        return false;
      }
    }
  }

  private value(): { runes: string; error?: ParseError } {
    return this.scanner.until(',');
  }

  /** `{a,b,c}`: the list; NOT_A_LIST when the value does not start with `{`. */
  private valueList(): GoValue[] | ParseError {
    const first = this.scanner.read();
    if (first === undefined) return END_OF_INPUT;
    if (first !== '{') {
      this.scanner.unread();
      return NOT_A_LIST;
    }
    const list: GoValue[] = [];
    for (;;) {
      const { runes, last, error } = this.scanner.until(',}');
      if (error) return error.endOfInput ? new ParseError("list must terminate with '}'") : error;
      if (last === '}') {
        const next = this.scanner.read();
        if (next !== undefined && next !== ',') this.scanner.unread();
        const read = this.reader(runes);
        if (read instanceof ParseError) return read;
        list.push(read.value);
        return list;
      }
      const read = this.reader(runes);
      if (read instanceof ParseError) return read;
      list.push(read.value);
    }
  }
}

export interface StrvalsOptions {
  /** `--set-file`: the file's text for a path; throws an Error with helm's message when it cannot be read. */
  readFile?: (path: string) => string;
  /** Told of every entry the line sets or replaces. */
  changed?: (container: object, key: string | number) => void;
}

/**
 * Parses one `--set`-family line into `data` (changed in place, as helm does). Returns
 * helm's error text (without the `failed parsing --set data: ` prefix helm adds), or undefined.
 */
export function parseSetLine(line: string, kind: SetKind, data: GoMap, options: StrvalsOptions = {}): string | undefined {
  const reader: ValueReader =
    kind === 'file'
      ? (path) => {
          try {
            const read = options.readFile;
            if (!read) return new ParseError(`open ${path}: no such file or directory`);
            return { value: read(path) };
          } catch (error) {
            return new ParseError(error instanceof Error ? error.message : String(error));
          }
        }
      : (runes) => ({ value: typedValue(runes, kind === 'string') });
  return new StrvalsParser(line, kind, reader, options.changed ?? (() => undefined)).parse(data)?.message;
}
