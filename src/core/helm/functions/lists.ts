import type { GoFunction, GoValue } from '../values.js';
import { toInt64 } from './cast.js';
import { fail, goFunction } from './define.js';
import { deepEqual, isEmpty, kindOf } from './reflect.js';

/**
 * Sprig's list.go. Each function takes any slice (reflection in Go), returns a new
 * `[]interface{}` and leaves its argument alone. The plain forms panic where the must*
 * forms return the error; text/template turns both into the call's error, so they differ
 * here only in name. An empty list's `rest`/`initial` is Go's nil slice, which prints as
 * `[]` like the empty list returned here (toJson would write `null` in Go).
 */

/** Go's reflect.TypeOf(nil).Kind(): a nil argument panics before any type check. */
export const NIL_POINTER = 'runtime error: invalid memory address or nil pointer dereference';

function itemsOf(value: GoValue, error: (kind: string) => string): GoValue[] {
  if (value === null) fail(NIL_POINTER);
  if (Array.isArray(value)) return value;
  if (value instanceof Uint8Array) return [...value].map(BigInt);
  return fail(error(kindOf(value)));
}

function chunk(sizeValue: bigint, list: GoValue): GoValue {
  const items = itemsOf(list, (kind) => `Cannot chunk type ${kind}`);
  const size = Number(sizeValue);
  const count = Math.floor((items.length - 1) / size) + 1;
  if (!Number.isFinite(count) || count < 0) fail('runtime error: makeslice: len out of range');
  const chunks: GoValue[] = [];
  for (let i = 0; i < count; i++) {
    let length = size;
    if (i === count - 1) {
      length = Math.floor(items.length % size);
      if (length === 0) length = size;
    }
    if (!(length >= 0)) fail('runtime error: makeslice: len out of range');
    const piece: GoValue[] = [];
    for (let j = 0; j < length; j++) {
      const item = items[i * size + j];
      if (item === undefined) fail(`runtime error: index out of range [${i * size + j}] with length ${items.length}`);
      piece.push(item);
    }
    chunks.push(piece);
  }
  return chunks;
}

function slice(list: GoValue, ...indices: GoValue[]): GoValue {
  const items = itemsOf(list, (kind) => `list should be type of slice or array but ${kind}`);
  if (items.length === 0) return null;
  const start = indices.length > 0 ? Number(toInt64(indices[0]!)) : 0;
  const end = indices.length < 2 ? items.length : Number(toInt64(indices[1]!));
  if (start < 0 || end < start || end > items.length) fail('reflect.Value.Slice: slice index out of bounds');
  if (list instanceof Uint8Array) return list.slice(start, end);
  return items.slice(start, end);
}

function concat(...lists: GoValue[]): GoValue {
  const out: GoValue[] = [];
  for (const list of lists) out.push(...itemsOf(list, (kind) => `Cannot concat type ${kind} as list`));
  return out;
}

function has(needle: GoValue, haystack: GoValue): boolean {
  if (haystack === null) return false;
  return itemsOf(haystack, (kind) => `Cannot find has on type ${kind}`).some((item) => deepEqual(needle, item));
}

/** A function and its must* twin: the same Go code, one panicking, one returning the error. */
function both(name: string, mustName: string, fn: GoFunction): [string, GoFunction][] {
  return [
    [name, fn],
    [mustName, fn],
  ];
}

const onList = (name: string, what: string, transform: (items: GoValue[]) => GoValue): [string, GoFunction][] => {
  const fn = goFunction(['any'], (list: GoValue) => transform(itemsOf(list, (kind) => `Cannot ${what} on type ${kind}`)));
  return both(name, `must${name[0]!.toUpperCase()}${name.slice(1)}`, fn);
};

export const LIST_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['list', goFunction([], (...items: GoValue[]) => items, 'any')],
  ['tuple', goFunction([], (...items: GoValue[]) => items, 'any')],
  ...both('append', 'mustAppend', goFunction(['any', 'any'], (list: GoValue, item: GoValue) => [...itemsOf(list, (kind) => `Cannot push on type ${kind}`), item])),
  ...both('push', 'mustPush', goFunction(['any', 'any'], (list: GoValue, item: GoValue) => [...itemsOf(list, (kind) => `Cannot push on type ${kind}`), item])),
  ...both('prepend', 'mustPrepend', goFunction(['any', 'any'], (list: GoValue, item: GoValue) => [item, ...itemsOf(list, (kind) => `Cannot prepend on type ${kind}`)])),
  ...onList('first', 'find first', (items) => (items.length === 0 ? null : items[0]!)),
  ...onList('last', 'find last', (items) => (items.length === 0 ? null : items[items.length - 1]!)),
  ...onList('rest', 'find rest', (items) => items.slice(1)),
  ...onList('initial', 'find initial', (items) => items.slice(0, -1)),
  ...onList('reverse', 'find reverse', (items) => [...items].reverse()),
  ...onList('compact', 'compact', (items) => items.filter((item) => !isEmpty(item))),
  ...onList('uniq', 'find uniq', (items) => items.filter((item, i) => items.findIndex((other) => deepEqual(item, other)) === i)),
  ...both(
    'without',
    'mustWithout',
    goFunction(
      ['any'],
      (list: GoValue, ...omit: GoValue[]) => itemsOf(list, (kind) => `Cannot find without on type ${kind}`).filter((item) => !omit.some((other) => deepEqual(item, other))),
      'any',
    ),
  ),
  ...both('has', 'mustHas', goFunction(['any', 'any'], has)),
  ...both('slice', 'mustSlice', goFunction(['any'], slice, 'any')),
  ...both('chunk', 'mustChunk', goFunction(['int', 'any'], chunk)),
  ['concat', goFunction([], concat, 'any')],
]);
