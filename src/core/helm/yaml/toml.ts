/**
 * TOML as Helm writes it (`toToml`: BurntSushi/toml v1.6.0's Encoder, ported from its
 * `encode.go`) and reads it (`fromToml`: its Decoder into `map[string]interface{}`, see
 * toml-decode.ts).
 */
import { GoStruct, isGoMap } from '../values.js';
import type { GoMap, GoValue } from '../values.js';
import { MAX_NESTING, NestingTooDeepError } from '../../yaml-tree.js';
import { formatFloatG } from './go-float.js';
import { compareGoStrings } from '../fmt.js';

/** An error the encoder returns; Helm's toToml returns its text in place of the document. */
export class TomlError extends Error {
  override readonly name = 'TomlError';
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/** The encoder's basic-string escapes: quotes, backslashes, controls and DEL. */
function quoteTomlString(s: string): string {
  return `"${s.replace(/["\\\x00-\x1f\x7f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function isBareKey(key: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(key);
}

function quotedKey(part: string): string {
  return part === '' ? '""' : isBareKey(part) ? part : quoteTomlString(part);
}

function keyString(key: readonly string[]): string {
  return key.map(quotedKey).join('.');
}

type TomlType = 'hash' | 'array-hash' | 'array' | 'scalar' | undefined;

/** A named map or slice type (helm's engine.files) is written as the map or list it is. */
function unwrap(value: GoValue): GoValue {
  return value instanceof GoStruct && value.underlying !== undefined ? value.underlying : value;
}

function isNil(value: GoValue): boolean {
  return value === null;
}

function isTable(value: GoValue): boolean {
  return isGoMap(value) || value instanceof GoStruct;
}

/** `tomlTypeOfGo`: whether a value is a table, a list of tables (which must hold no nil), or a plain value. */
function tomlTypeOf(value: GoValue): TomlType {
  value = unwrap(value);
  if (isNil(value)) return undefined;
  if (isTable(value)) return 'hash';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'array';
    let allTables = true;
    for (const item of value) {
      const type = tomlTypeOf(item);
      if (type === undefined) throw new TomlError('toml: cannot encode array with nil element');
      if (type !== 'hash') allTables = false;
    }
    return allTables ? 'array-hash' : 'array';
  }
  return 'scalar';
}

function isTableType(type: TomlType): boolean {
  return type === 'hash' || type === 'array-hash';
}

function floatText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value < 0 ? '-inf' : 'inf';
  const text = formatFloatG(value, 64);
  return /[e.]/.test(text) ? text : `${text}.0`;
}

/** A table's entries: a map's keys sorted, a struct's fields in order (nil ones dropped by the writer). */
function tableEntries(table: GoMap | GoStruct): [string, GoValue][] {
  if (table instanceof GoStruct) return [...table.fields];
  return [...table].sort((a, b) => compareGoStrings(a[0], b[0]));
}

class TomlEncoder {
  private out = '';
  private depth = 0;

  constructor(private readonly indentUnit = '  ') {}

  run(value: GoValue): string {
    this.encode([], value);
    return this.out;
  }

  private write(text: string): void {
    this.out += text;
  }

  private newline(): void {
    if (this.out !== '') this.write('\n');
  }

  private indent(key: readonly string[]): string {
    return this.indentUnit.repeat(Math.max(key.length - 1, 0));
  }

  private encode(key: string[], value: GoValue): void {
    value = unwrap(value);
    if (isNil(value)) return;
    if (isTable(value)) return this.table(key, value as GoMap | GoStruct);
    if (Array.isArray(value) && tomlTypeOf(value) === 'array-hash') return this.arrayOfTables(key, value);
    this.keyValue(key, value, false);
  }

  private nested(write: () => void): void {
    if (++this.depth > MAX_NESTING) throw new NestingTooDeepError();
    try {
      write();
    } finally {
      this.depth--;
    }
  }

  private keyValue(key: string[], value: GoValue, inline: boolean): void {
    if (key.length === 0) return this.element(value);
    this.write(`${this.indent(key)}${quotedKey(key[key.length - 1]!)} = `);
    this.element(value);
    if (!inline) this.newline();
  }

  private arrayOfTables(key: string[], tables: GoValue[]): void {
    if (key.length === 0) throw new TomlError('toml: top-level values must be Go maps or structs');
    for (const table of tables) {
      this.newline();
      this.write(`${this.indent(key)}[[${keyString(key)}]]`);
      this.newline();
      this.nested(() => this.tableBody(key, table as GoMap | GoStruct, false));
    }
  }

  private table(key: string[], table: GoMap | GoStruct): void {
    // An extra newline between top-level tables (none before the first output).
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.write(`${this.indent(key)}[${keyString(key)}]`);
      this.newline();
    }
    this.nested(() => this.tableBody(key, table, false));
  }

  /** Keys directly in the table first, then sub-tables (a key after a sub-table would belong to it). */
  private tableBody(key: string[], table: GoMap | GoStruct, inline: boolean): void {
    const direct: [string, GoValue][] = [];
    const sub: [string, GoValue][] = [];
    for (const entry of tableEntries(table)) (isTableType(tomlTypeOf(entry[1])) ? sub : direct).push(entry);
    const structTotal = table instanceof GoStruct ? direct.length + sub.length : 0;
    const writeEntries = (entries: [string, GoValue][], trailingComma: boolean): void => {
      entries.forEach(([name, value], index) => {
        if (isNil(value)) return;
        if (!inline) return this.encode([...key, name], value);
        this.keyValue([name], value, true);
        // A struct separates by field position; a map by position in its sorted keys.
        const last = table instanceof GoStruct ? [...table.fields.keys()].indexOf(name) === structTotal - 1 : index === entries.length - 1;
        if (trailingComma || !last) this.write(', ');
      });
    };
    if (inline) this.write('{');
    writeEntries(direct, table instanceof GoStruct ? false : sub.length > 0);
    writeEntries(sub, false);
    if (inline) this.write('}');
  }

  private element(value: GoValue): void {
    value = unwrap(value);
    if (typeof value === 'string') this.write(quoteTomlString(value));
    else if (typeof value === 'boolean') this.write(String(value));
    else if (typeof value === 'bigint') this.write(value.toString());
    else if (typeof value === 'number') this.write(floatText(value));
    else if (value instanceof Uint8Array) this.element([...value].map(BigInt));
    else if (Array.isArray(value)) {
      this.write('[');
      this.nested(() =>
        value.forEach((item, index) => {
          this.element(item);
          if (index !== value.length - 1) this.write(', ');
        }),
      );
      this.write(']');
    } else if (value instanceof GoStruct || isGoMap(value)) {
      this.nested(() => this.tableBody([], value, true));
    } else {
      throw new TomlError('toml: cannot encode a nil value');
    }
  }
}

/** BurntSushi/toml's `Encoder.Encode` (indent of two spaces); throws TomlError as it returns errors. */
export function marshalToml(value: GoValue): string {
  return new TomlEncoder().run(value);
}
