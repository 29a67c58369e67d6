import type { GoMap } from '../values.js';
import { isGoMap } from '../values.js';
import { formatValue, quoteGo, sprintf } from '../fmt.js';
import type { Chart } from './chart.js';
import { assignEntry, deepCopy, shallowCopy } from './values-tree.js';

/**
 * helm's values coalescing (`pkg/chart/common/util/coalesce.go`): a chart's defaults under
 * the values given for it, maps merged and the rest replaced, a `null` deleting the key
 * when coalescing (kept when merging), globals handed down to every subchart, each
 * subchart's defaults coalesced under its name. Origins go with every entry copied.
 * `warn` receives the warnings helm logs (helm prints them on stderr).
 */

export type Warn = (message: string) => void;

const GLOBAL = 'global';

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

export class CoalesceError extends Error {}

/** CoalesceValues: a copy of `values` with the chart's (and its subcharts') defaults coalesced in. */
export function coalesceValues(chart: Chart, values: GoMap | null, warn: Warn): GoMap {
  return coalesce(chart, deepCopy(values ?? new Map()), '', false, warn);
}

/** MergeValues: as coalesceValues, but nulls are kept. */
export function mergeValues(chart: Chart, values: GoMap | null, warn: Warn): GoMap {
  return coalesce(chart, deepCopy(values ?? new Map()), '', true, warn);
}

function coalesce(chart: Chart, dest: GoMap, prefix: string, merge: boolean, warn: Warn): GoMap {
  coalesceChartValues(chart, dest, prefix, merge, warn);
  return coalesceDependencies(chart, dest, prefix, merge, warn);
}

function coalesceDependencies(chart: Chart, dest: GoMap, prefix: string, merge: boolean, warn: Warn): GoMap {
  for (const subchart of chart.dependencies) {
    const name = subchart.metadata.name;
    if (!dest.has(name)) dest.set(name, new Map());
    else if (!isGoMap(dest.get(name))) throw new CoalesceError(`type mismatch on ${name}: ${sprintf('%t', dest.get(name)!)}`);
    const subValues = dest.get(name) as GoMap;
    const subPrefix = concatPrefix(prefix, chart.metadata.name);
    coalesceGlobals(subValues, dest, subPrefix, warn);
    dest.set(name, coalesce(subchart, subValues, subPrefix, merge, warn));
  }
  return dest;
}

/** The parent's globals merged into the subchart's values (parent's win); dest's `global` becomes the merge. */
function coalesceGlobals(dest: GoMap, src: GoMap, prefix: string, warn: Warn): void {
  let destGlobals: GoMap;
  let srcGlobals: GoMap;
  const destGlobal = dest.get(GLOBAL);
  if (!dest.has(GLOBAL)) destGlobals = new Map();
  else if (isGoMap(destGlobal)) destGlobals = destGlobal;
  else return warn(`warning: skipping globals because destination ${GLOBAL} is not a table.`);
  const srcGlobal = src.get(GLOBAL);
  if (!src.has(GLOBAL)) srcGlobals = new Map();
  else if (isGoMap(srcGlobal)) srcGlobals = srcGlobal;
  else return warn(`warning: skipping globals because source ${GLOBAL} is not a table.`);
  for (const [key, value] of srcGlobals) {
    if (isGoMap(value)) {
      const copy = shallowCopy(value);
      const existing = destGlobals.get(key);
      if (!destGlobals.has(key)) assignEntry(destGlobals, key, copy, srcGlobals);
      else if (!isGoMap(existing)) warn(`Conflict: cannot merge map onto non-map for ${quoteGo(key)}. Skipping.`);
      else {
        coalesceTablesFullKey(copy, existing, concatPrefix(prefix, key), true, warn);
        assignEntry(destGlobals, key, copy, srcGlobals);
      }
    } else if (destGlobals.has(key) && isGoMap(destGlobals.get(key))) {
      warn(`key ${key} is table. Skipping`);
    } else {
      assignEntry(destGlobals, key, value, srcGlobals);
    }
  }
  dest.set(GLOBAL, destGlobals);
}

function isSubchartName(chart: Chart, key: string): boolean {
  return chart.dependencies.some((subchart) => subchart.metadata.name === key);
}

/** The chart's own defaults coalesced into `values` (which wins). */
function coalesceChartValues(chart: Chart, values: GoMap, prefix: string, merge: boolean, warn: Warn): void {
  const subPrefix = concatPrefix(prefix, chart.metadata.name);
  const defaults = deepCopy(chart.values ?? new Map());
  for (const [key, value] of defaults) {
    if (!values.has(key)) {
      assignEntry(values, key, value, defaults);
      continue;
    }
    const given = values.get(key)!;
    if (given === null && !merge) values.delete(key);
    else if (isGoMap(given)) {
      if (!isGoMap(value)) {
        if (value !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
      } else {
        coalesceTablesFullKey(given, value, concatPrefix(subPrefix, key), isSubchartName(chart, key) || merge, warn);
      }
    }
  }
}

/** CoalesceTables: `src` merged under `dst` (dst wins; a null in dst deletes what src had). */
export function coalesceTables(dst: GoMap, src: GoMap, warn: Warn): GoMap {
  return coalesceTablesFullKey(dst, src, '', false, warn);
}

/** MergeTables: as coalesceTables, nulls kept. */
export function mergeTables(dst: GoMap, src: GoMap, warn: Warn): GoMap {
  return coalesceTablesFullKey(dst, src, '', true, warn);
}

function coalesceTablesFullKey(dst: GoMap, src: GoMap, prefix: string, merge: boolean, warn: Warn): GoMap {
  const srcNonNull = new Set<string>();
  for (const [key, value] of src) if (value !== null) srcNonNull.add(key);
  for (const [key, value] of dst) if (value === null) src.set(key, null);
  for (const [key, value] of src) {
    const fullKey = concatPrefix(prefix, key);
    const present = dst.has(key);
    const existing = dst.get(key);
    if (present && !merge && existing === null && srcNonNull.has(key)) dst.delete(key);
    else if (!present) assignEntry(dst, key, value, src);
    else if (isGoMap(value)) {
      if (isGoMap(existing)) coalesceTablesFullKey(existing, value, fullKey, merge, warn);
      else warn(`warning: cannot overwrite table with non table for ${fullKey} (${formatValue(value)})`);
    } else if (isGoMap(existing) && value !== null) {
      warn(`warning: destination for ${fullKey} is a table. Ignoring non-table value (${formatValue(value)})`);
    }
  }
  return dst;
}
