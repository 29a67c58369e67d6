import type { GoFunction, GoMap, GoValue } from '../values.js';
import { goMap, isGoMap } from '../values.js';
import { fail, goFunction } from './define.js';
import { compareGoStrings, goTypeName } from '../fmt.js';
import { stringValue } from './cast.js';
import { isEmpty } from './reflect.js';

/**
 * Sprig's dict.go. A Go map is a reference: `set`, `unset`, `merge` and `mergeOverwrite`
 * change the map they are given (a `set` on `.Values.x` is seen by later templates) and
 * return that same map. Go iterates maps in random order; `keys` and `values` give sorted
 * key order here, the one order a template can rely on seeing.
 *
 * A nil map (nil passed where Go wants a map) reads as empty, and writing to it panics as
 * in Go.
 */

type MaybeMap = GoMap | null;

const sortedKeys = (map: GoMap): string[] => [...map.keys()].sort(compareGoStrings);

function set(map: MaybeMap, key: string, value: GoValue): GoValue {
  if (map === null) return fail('assignment to entry in nil map');
  map.set(key, value);
  return map;
}

function unset(map: MaybeMap, key: string): GoValue {
  map?.delete(key);
  return map;
}

function dict(...pairs: GoValue[]): GoMap {
  const map = goMap();
  for (let i = 0; i < pairs.length; i += 2) map.set(stringValue(pairs[i]!), i + 1 < pairs.length ? pairs[i + 1]! : '');
  return map;
}

/**
 * dario.cat/mergo v1.0.1's deepMerge over map[string]interface{}, as Sprig calls it: nested
 * maps merge into the destination's own maps; a value replaces the destination's only when
 * that is missing or empty (or always, with overwrite: even an empty or nil value then
 * replaces it). Emptiness is judged after the nested merge, as mergo does.
 */
function deepMerge(destination: GoMap, source: GoMap, overwrite: boolean): void {
  for (const [key, value] of source) {
    const present = destination.has(key);
    const current = destination.get(key) ?? null;
    if (value === null) {
      if (overwrite) destination.set(key, null);
      continue;
    }
    if (isGoMap(value) && isGoMap(current)) deepMerge(current, value, overwrite);
    // A slice replaces on overwrite even a non-empty value (mergo sets it before its emptiness check).
    const slice = Array.isArray(value) || value instanceof Uint8Array;
    if (present && !isEmpty(current) && !(slice && overwrite)) {
      if (slice) continue;
      if (isGoMap(value) && isGoMap(current)) continue;
    }
    if (overwrite || !present || isEmpty(current)) destination.set(key, value);
  }
}

function merge(overwrite: boolean) {
  return (destination: MaybeMap, ...sources: MaybeMap[]): GoValue => {
    const target = destination ?? goMap();
    for (const source of sources) if (source !== null) deepMerge(target, source, overwrite);
    return target;
  };
}

/** mitchellh/copystructure: maps and slices copied all the way down; other values are immutable here. */
export function deepCopy(value: GoValue): GoValue {
  if (value === null) fail('reflect: call of reflect.Value.Type on zero Value');
  return copyValue(value);
}

function copyValue(value: GoValue): GoValue {
  if (Array.isArray(value)) return value.map(copyValue);
  if (value instanceof Uint8Array) return value.slice();
  if (isGoMap(value)) return goMap([...value].map(([key, item]) => [key, copyValue(item)]));
  return value;
}

/** Go's failed type assertion `x.(T)`, the panic text/template reports as the call's error. */
function assertionError(value: GoValue, want: string): never {
  return fail(`interface conversion: interface {} is ${value === null ? 'nil' : goTypeName(value)}, not ${want}`);
}

function dig(...args: GoValue[]): GoValue {
  if (args.length < 3) fail('dig needs at least three arguments');
  const map = args[args.length - 1]!;
  if (!isGoMap(map)) return assertionError(map, 'map[string]interface {}');
  const fallback = args[args.length - 2]!;
  const keys = args.slice(0, -2).map((key) => (typeof key === 'string' ? key : assertionError(key, 'string')));
  let current: GoMap = map;
  for (const [i, key] of keys.entries()) {
    if (!current.has(key)) return fallback;
    const step = current.get(key)!;
    if (i === keys.length - 1) return step;
    if (!isGoMap(step)) return assertionError(step, 'map[string]interface {}');
    current = step;
  }
  return fallback;
}

export const DICT_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['get', goFunction(['map', 'string'], (map: MaybeMap, key: string) => (map?.has(key) ? map.get(key)! : ''))],
  ['set', goFunction(['map', 'string', 'any'], set)],
  ['unset', goFunction(['map', 'string'], unset)],
  ['hasKey', goFunction(['map', 'string'], (map: MaybeMap, key: string) => map?.has(key) ?? false)],
  [
    'pluck',
    goFunction(['string'], (key: string, ...maps: MaybeMap[]) => maps.filter((map) => map?.has(key)).map((map) => map!.get(key)!), 'map'),
  ],
  ['keys', goFunction([], (...maps: MaybeMap[]) => maps.flatMap((map) => (map === null ? [] : sortedKeys(map))), 'map')],
  [
    'pick',
    goFunction(['map'], (map: MaybeMap, ...keys: string[]) => goMap(keys.filter((key) => map?.has(key)).map((key) => [key, map!.get(key)!])), 'string'),
  ],
  [
    'omit',
    goFunction(['map'], (map: MaybeMap, ...keys: string[]) => goMap(map === null ? [] : [...map].filter(([key]) => !keys.includes(key))), 'string'),
  ],
  ['dict', goFunction([], dict, 'any')],
  ['merge', goFunction(['map'], merge(false), 'map')],
  ['mustMerge', goFunction(['map'], merge(false), 'map')],
  ['mergeOverwrite', goFunction(['map'], merge(true), 'map')],
  ['mustMergeOverwrite', goFunction(['map'], merge(true), 'map')],
  ['values', goFunction(['map'], (map: MaybeMap) => (map === null ? [] : sortedKeys(map).map((key) => map.get(key)!)))],
  ['deepCopy', goFunction(['any'], deepCopy)],
  ['mustDeepCopy', goFunction(['any'], deepCopy)],
  ['dig', goFunction([], dig, 'any')],
]);
