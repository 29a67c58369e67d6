import type { GoValue } from '../values.js';
import { GoStruct, isGoMap } from '../values.js';

/**
 * Go's reflection over the value model: the type `%T` names and the kind `reflect` gives.
 * The model keeps one integer kind (`int`) and one slice type (`[]interface {}`): a Go
 * `[]string` from splitList or an int64 from `add` is named like the others here.
 */

/** A Go value of a named type whose kind is not struct (time.Duration is an int64, time.Month an int). */
export class GoNamedValue extends GoStruct {
  constructor(
    typeName: string,
    readonly kind: 'int' | 'int64',
    readonly value: bigint,
    methods: GoStruct['methods'],
  ) {
    super(typeName, new Map(), methods);
  }
}

export function kindOf(value: GoValue): string {
  if (value === null) return 'invalid';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
    case 'string':
      return 'string';
  }
  if (value instanceof Uint8Array || Array.isArray(value)) return 'slice';
  if (isGoMap(value)) return 'map';
  if (value instanceof GoNamedValue) return value.kind;
  return value.typeName.startsWith('*') ? 'ptr' : 'struct';
}

/** Sprig's `empty`: nil, false, zero numbers, empty strings and collections; structs never. */
export function isEmpty(value: GoValue): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'boolean':
      return !value;
    case 'bigint':
      return value === 0n;
    case 'number':
      return value === 0;
    case 'string':
      return value.length === 0;
  }
  if (value instanceof Uint8Array || Array.isArray(value)) return value.length === 0;
  if (isGoMap(value)) return value.size === 0;
  if (value instanceof GoNamedValue) return value.value === 0n;
  return false;
}

/** reflect.DeepEqual: same type, same contents; NaN is never equal to itself. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object') return a === b;
  if (typeof b !== 'object') return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    if (a === b) return true;
    return a.every((item, i) => deepEqual(item, b[i]!));
  }
  if (isGoMap(a) || isGoMap(b)) {
    if (!isGoMap(a) || !isGoMap(b) || a.size !== b.size) return false;
    if (a === b) return true;
    for (const [key, item] of a) {
      if (!b.has(key) || !deepEqual(item, b.get(key)!)) return false;
    }
    return true;
  }
  if (a.typeName !== b.typeName) return false;
  if (a instanceof GoNamedValue && b instanceof GoNamedValue) return a.value === b.value;
  if (a === b) return true;
  if (hasEquality(a)) return a.equalTo(b);
  if (a.fields.size !== b.fields.size) return false;
  for (const [name, field] of a.fields) {
    if (!b.fields.has(name) || !deepEqual(field, b.fields.get(name)!)) return false;
  }
  return true;
}

/** A struct whose state is not in its fields (time.Time's instant, semver's Version) compares by that state. */
export interface StructWithState {
  equalTo(other: GoStruct): boolean;
}

function hasEquality(value: GoStruct): value is GoStruct & StructWithState {
  return typeof (value as Partial<StructWithState>).equalTo === 'function';
}
