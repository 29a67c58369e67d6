/**
 * text/template's own functions (src/text/template/funcs.go). They see reflect.Values: a
 * missing value (`undefined`, Go's invalid Value) is not a nil interface (`null`), which
 * shows in their errors. `and`, `or` and `call` are the executor's (they short-circuit or
 * need the call's text).
 */
import { compareGoStrings, goTypeName, sprint, sprintf, sprintln, utf8Length } from '../fmt.js';
import { entryOriginOf, type EntryOrigins } from '../origins.js';
import { GoStruct, isGoMap, type GoType, type GoValue } from '../values.js';

/** A value as reflection holds it: `undefined` is no value at all. */
export type Val = GoValue | undefined;

/** A parameter's type, or `value` for reflect.Value (anything, missing values included). */
export type ParamType = GoType | 'value';

/** The error a builtin returns: the executor reports `error calling NAME: MESSAGE`. */
export class BuiltinError extends Error {}

export interface Builtin {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
  call(args: Val[]): Val;
}

/** The value inside an interface: a nil interface is no value (indirectInterface). */
export function indirectInterface(value: Val): Val {
  return value === null ? undefined : value;
}

/** The map or list a named map or slice type with methods is (helm's engine.files, common.VersionSet); any other value itself. */
export function underlying(value: Val): Val {
  return value instanceof GoStruct && value.underlying !== undefined ? value.underlying : value;
}

/** Go's truth: empty strings, collections, zero numbers, false and nil are false; structs are true. */
export function isTrue(value: Val): boolean {
  if (value === undefined || value === null) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'bigint':
      return value !== 0n;
    case 'number':
      return value !== 0;
  }
  if (isGoMap(value)) return value.size > 0;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length > 0;
  if (value.underlying !== undefined) return isTrue(value.underlying);
  return true;
}

// Go 1.25's reflect panics, which safeCall turns into the call's error.
const ZERO_VALUE_TYPE = 'reflect: call of reflect.Value.Type on zero Value';

function typeOf(value: Val): string {
  if (value === undefined) throw new BuiltinError(ZERO_VALUE_TYPE);
  return value === null ? 'interface {}' : goTypeName(value);
}

function indexArg(index: Val, cap: number): number {
  index = indirectInterface(index);
  if (typeof index === 'bigint') {
    if (index < 0n || index > BigInt(cap)) throw new BuiltinError(`index out of range: ${index}`);
    return Number(index);
  }
  if (index === undefined) throw new BuiltinError('cannot index slice/array with nil');
  throw new BuiltinError(`cannot index slice/array with type ${goTypeName(index)}`);
}

const utf8 = new TextEncoder();

/** The result of `index`, with the container and key it came from (their values node is the result's origin). */
export function indexValue(item: Val, indexes: Val[]): { value: Val; from?: EntryOrigins } {
  item = indirectInterface(item);
  if (item === undefined) throw new BuiltinError('index of untyped nil');
  let from: EntryOrigins | undefined;
  for (const rawIndex of indexes) {
    const index = indirectInterface(rawIndex);
    if (item === null) throw new BuiltinError('index of nil pointer');
    const typeName = goTypeName(item);
    item = underlying(item)!;
    if (typeof item === 'string' || item instanceof Uint8Array) {
      const bytes: Uint8Array = typeof item === 'string' ? utf8.encode(item) : item;
      const at = indexArg(index, bytes.length);
      if (at === bytes.length) throw new BuiltinError(typeof item === 'string' ? 'reflect: string index out of range' : 'reflect: slice index out of range');
      item = BigInt(bytes[at]!);
      from = undefined;
    } else if (Array.isArray(item)) {
      const list: GoValue[] = item;
      const at = indexArg(index, list.length);
      if (at === list.length) throw new BuiltinError('reflect: slice index out of range');
      from = entryOriginOf(list, at);
      item = list[at]!;
    } else if (isGoMap(item)) {
      if (index === undefined) throw new BuiltinError('value is nil; should be of type string');
      if (typeof index !== 'string') throw new BuiltinError(`value has type ${goTypeName(index)}; should be string`);
      from = entryOriginOf(item, index);
      item = item.has(index) ? item.get(index)! : null;
    } else throw new BuiltinError(`can't index item of type ${typeName}`);
  }
  return from ? { value: item, from } : { value: item };
}

function slice(args: Val[]): Val {
  const item = indirectInterface(args[0]);
  const indexes = args.slice(1);
  if (item === undefined) throw new BuiltinError('slice of untyped nil');
  if (indexes.length > 3) throw new BuiltinError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new BuiltinError('cannot 3-index slice a string');
    cap = utf8Length(item);
  } else if (Array.isArray(item) || item instanceof Uint8Array) cap = item.length;
  else throw new BuiltinError(`can't slice item of type ${item === null ? 'interface {}' : goTypeName(item)}`);
  const bounds = [0, cap, 0];
  indexes.forEach((index, position) => (bounds[position] = indexArg(index, cap)));
  if (bounds[0]! > bounds[1]!) throw new BuiltinError(`invalid slice index: ${bounds[0]} > ${bounds[1]}`);
  if (indexes.length === 3 && bounds[1]! > bounds[2]!) throw new BuiltinError(`invalid slice index: ${bounds[1]} > ${bounds[2]}`);
  if (typeof item === 'string') return new TextDecoder().decode(utf8.encode(item).slice(bounds[0], bounds[1]));
  return item.slice(bounds[0], bounds[1]);
}

function length(value: Val): Val {
  if (value === null) throw new BuiltinError('len of nil pointer');
  const item = underlying(value);
  if (typeof item === 'string') return BigInt(utf8Length(item));
  if (Array.isArray(item) || item instanceof Uint8Array) return BigInt(item.length);
  if (isGoMap(item)) return BigInt(item.size);
  throw new BuiltinError(`len of type ${typeOf(value)}`);
}

// --- Comparison ---

type Kind = 'invalid' | 'bool' | 'int' | 'float' | 'string';

function basicKind(value: Val): Kind {
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
  }
  return 'invalid';
}

const BAD_COMPARISON_TYPE = 'invalid type for comparison';
const BAD_COMPARISON = 'incompatible types for comparison';

/** reflect's Kind of a non-basic value, as canCompare compares them. */
function reflectKind(value: Val): string {
  if (value === undefined) return 'invalid';
  value = underlying(value);
  if (isGoMap(value)) return 'map';
  if (Array.isArray(value) || value instanceof Uint8Array) return 'slice';
  if (value instanceof GoStruct) return value.typeName.startsWith('*') ? 'ptr' : 'struct';
  return typeof value;
}

function eq(args: Val[]): Val {
  const first = indirectInterface(args[0]);
  if (args.length < 2) throw new BuiltinError('missing argument for comparison');
  const k1 = basicKind(first);
  for (const raw of args.slice(1)) {
    const other = indirectInterface(raw);
    const k2 = basicKind(other);
    let truth: boolean;
    if (k1 !== k2) {
      if (first !== undefined && other !== undefined) throw new BuiltinError(`${BAD_COMPARISON}: ${goTypeName(first)} and ${goTypeName(other)}`);
      truth = false;
    } else if (k1 !== 'invalid') truth = first === other;
    else {
      const kind1 = reflectKind(first);
      const kind2 = reflectKind(other);
      if (kind1 !== kind2 && kind1 !== 'invalid' && kind2 !== 'invalid') {
        throw new BuiltinError(sprintf('non-comparable types %s: %v, %s: %v', first ?? null, typeOf(first), typeOf(other), other ?? null));
      }
      if (first === undefined || other === undefined) truth = first === other;
      else if (kind2 === 'map' || kind2 === 'slice') throw new BuiltinError(sprintf('non-comparable type %s: %v', other, typeOf(other)));
      else truth = first === other;
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: Val, b: Val): boolean {
  const first = indirectInterface(a);
  const second = indirectInterface(b);
  const k1 = basicKind(first);
  if (k1 === 'invalid') throw new BuiltinError(BAD_COMPARISON_TYPE);
  const k2 = basicKind(second);
  if (k2 === 'invalid') throw new BuiltinError(BAD_COMPARISON_TYPE);
  if (k1 !== k2) throw new BuiltinError(`${BAD_COMPARISON}: ${goTypeName(first!)} and ${goTypeName(second!)}`);
  if (k1 === 'bool') throw new BuiltinError(BAD_COMPARISON_TYPE);
  if (k1 === 'string') return compareGoStrings(first as string, second as string) < 0;
  return (first as number | bigint) < (second as number | bigint);
}

function le(a: Val, b: Val): boolean {
  return lt(a, b) || (eq([a, b]) as boolean);
}

// --- Escaping ---

/** evalArgs: the text of the arguments as Sprint gives it, a missing value being `<no value>`. */
function argsText(args: Val[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(...args.map((arg) => (arg === undefined || arg === null ? '<no value>' : arg)));
}

const htmlEscapes: Record<string, string> = { '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function htmlEscape(text: string): string {
  return text.replace(/[\0"'&<>]/g, (character) => htmlEscapes[character]!);
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

export function jsEscape(text: string): string {
  let out = '';
  for (const character of text) {
    const code = character.codePointAt(0)!;
    switch (character) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (code < 0x20) out += `\\u00${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (code < 0x80 || printable.test(character)) out += character;
    else out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(text: string): string {
  let out = '';
  for (const byte of utf8.encode(text)) {
    const character = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(character)) out += character;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const ANY_ARGS = { params: [], variadic: 'any' } as const;

export const builtins: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['and', { params: ['value'], variadic: 'value', call: () => undefined }],
  ['or', { params: ['value'], variadic: 'value', call: () => undefined }],
  ['call', { params: ['value'], variadic: 'value', call: () => undefined }],
  ['html', { ...ANY_ARGS, call: (args) => htmlEscape(argsText(args)) }],
  ['index', { params: ['value'], variadic: 'value', call: (args) => indexValue(args[0], args.slice(1)).value }],
  ['slice', { params: ['value'], variadic: 'value', call: slice }],
  ['js', { ...ANY_ARGS, call: (args) => jsEscape(argsText(args)) }],
  ['len', { params: ['value'], call: (args) => length(args[0]) }],
  ['not', { params: ['value'], call: (args) => !isTrue(indirectInterface(args[0])) }],
  ['print', { ...ANY_ARGS, call: (args) => sprint(...(args as GoValue[])) }],
  ['printf', { params: ['string'], variadic: 'any', call: (args) => sprintf(args[0] as string, ...(args.slice(1) as GoValue[])) }],
  ['println', { ...ANY_ARGS, call: (args) => sprintln(...(args as GoValue[])) }],
  ['urlquery', { ...ANY_ARGS, call: (args) => queryEscape(argsText(args)) }],
  ['eq', { params: ['value'], variadic: 'value', call: eq }],
  ['ge', { params: ['value', 'value'], call: ([a, b]) => !lt(a, b) }],
  ['gt', { params: ['value', 'value'], call: ([a, b]) => !le(a, b) }],
  ['le', { params: ['value', 'value'], call: ([a, b]) => le(a, b) }],
  ['lt', { params: ['value', 'value'], call: ([a, b]) => lt(a, b) }],
  ['ne', { params: ['value', 'value'], call: ([a, b]) => !eq([a, b]) }],
]);

/** The error `call` gives: no value here is a function. */
export function callError(calleeName: string, fn: Val): BuiltinError {
  const callee = indirectInterface(fn);
  if (callee === undefined) return new BuiltinError('call of nil');
  return new BuiltinError(`non-function ${calleeName} of type ${goTypeName(callee)}`);
}

