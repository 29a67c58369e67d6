import type { GoMap, GoValue } from '../values.js';
import { isGoMap } from '../values.js';
import { copyEntryOrigins, entryOriginOf, setEntryOrigin } from '../origins.js';

/**
 * Values trees as helm copies and walks them (copystructure.Copy, Values.Table,
 * Values.PathValue), with the values-file origins of every entry carried along, so that a
 * rendered value still points at the line that set it.
 */

/** Sets `to[key]` to `value`, whose origin is that of `from[fromKey]` (none when `from` is absent). */
export function assignEntry(to: GoMap, key: string, value: GoValue, from?: object, fromKey: string | number = key): void {
  to.set(key, value);
  const origin = from ? entryOriginOf(from, fromKey) : undefined;
  if (origin) setEntryOrigin(to, key, origin);
}

/** copystructure.Copy: maps and lists copied all the way down, origins with them. */
export function deepCopy<T extends GoValue>(value: T): T {
  if (isGoMap(value)) {
    const copy: GoMap = new Map();
    for (const [key, entry] of value as GoMap) copy.set(key, deepCopy(entry));
    copyEntryOrigins(value, copy);
    return copy as T;
  }
  if (Array.isArray(value)) {
    const copy = value.map(deepCopy);
    copyEntryOrigins(value, copy);
    return copy as T;
  }
  return value;
}

/** A shallow copy of a map (Go's maps.Copy into a new map), origins with it. */
export function shallowCopy(map: GoMap): GoMap {
  const copy = new Map(map);
  copyEntryOrigins(map, copy);
  return copy;
}

/** helm's `Values.Table`: the map at a dotted path, or undefined (ErrNoTable). */
export function valuesTable(values: GoMap, path: string): GoMap | undefined {
  let table = values;
  for (const name of path.split('.')) {
    const next = table.get(name);
    if (!isGoMap(next)) return undefined;
    table = next;
  }
  return table;
}

/** helm's `Values.PathValue`: the non-table value at a dotted path ({ found: false } for ErrNoValue). */
export function valuesPathValue(values: GoMap, path: string): { found: true; value: GoValue } | { found: false } {
  const names = path.split('.');
  const key = names.pop()!;
  const table = names.length === 0 ? values : valuesTable(values, names.join('.'));
  if (!table || !table.has(key)) return { found: false };
  const value = table.get(key)!;
  return isGoMap(value) ? { found: false } : { found: true, value };
}
