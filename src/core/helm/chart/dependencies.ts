import type { GoMap, GoValue } from '../values.js';
import { isGoMap } from '../values.js';
import { sprint } from '../fmt.js';
import type { Chart, Dependency, Metadata } from './chart.js';
import { coalesceValues, mergeTables, mergeValues } from './coalesce.js';
import type { Warn } from './coalesce.js';
import { isCompatibleRange } from './compatible.js';
import { deepCopy, valuesPathValue, valuesTable } from './values-tree.js';

/**
 * helm's dependency processing (`pkg/chart/v2/util/dependencies.go`), in its order: the
 * subcharts Chart.yaml declares matched to the loaded ones by name and version range (an
 * alias renames the copy), `tags` then `condition` (the first path that resolves to a
 * bool wins) deciding which stay, recursively; then `import-values` (`exports.x` strings
 * and `{child, parent}` maps), from the leaves up, each chart's values becoming the merge.
 * Chart.yaml's own `enabled` is overwritten (helm sets every dependency enabled first).
 */

/** The error helm gives when Chart.yaml names a dependency that charts/ lacks (checked for the chart being rendered only). */
export function missingDependencies(chart: Chart): string | undefined {
  const missing = (chart.metadata.dependencies ?? []).filter((required) => required && !chart.dependencies.some((loaded) => loaded.metadata.name === required.name)).map((required) => required!.name);
  if (missing.length === 0) return undefined;
  return `an error occurred while checking for chart dependencies. You may need to run \`helm dependency build\` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`;
}

function copyMetadata(metadata: Metadata): Metadata {
  return { ...metadata, dependencies: metadata.dependencies && metadata.dependencies.map((dependency) => dependency && { ...dependency }) };
}

/** The loaded chart a Chart.yaml dependency names, copied (with its name made the alias) so that aliasing one chart twice keeps both. */
function aliasedDependency(charts: readonly Chart[], dependency: Dependency): Chart | undefined {
  for (const chart of charts) {
    if (chart.metadata.name !== dependency.name || !isCompatibleRange(dependency.version, chart.metadata.version)) continue;
    const copy: Chart = { ...chart, metadata: copyMetadata(chart.metadata), dependencies: [] };
    for (const subchart of chart.dependencies) copy.dependencies.push({ ...subchart, parent: copy });
    if (dependency.alias !== '') copy.metadata.name = dependency.alias;
    return copy;
  }
  return undefined;
}

function setDependencies(chart: Chart, dependencies: Chart[]): void {
  chart.dependencies = dependencies;
  for (const dependency of dependencies) dependency.parent = chart;
}

function processTags(dependencies: readonly Dependency[], values: GoMap, warn: Warn): void {
  const tags = valuesTable(values, 'tags');
  if (!tags) return;
  for (const dependency of dependencies) {
    let hasTrue = false;
    let hasFalse = false;
    for (const tag of dependency.tags) {
      if (!tags.has(tag)) continue;
      const value = tags.get(tag);
      if (typeof value === 'boolean') {
        if (value) hasTrue = true;
        else hasFalse = true;
      } else warn(`returned non-bool value tag=${tag} chart=${dependency.name}`);
    }
    if (!hasTrue && hasFalse) dependency.enabled = false;
    else dependency.enabled = true;
  }
}

function processConditions(dependencies: readonly Dependency[], values: GoMap, path: string, warn: Warn): void {
  for (const dependency of dependencies) {
    for (const condition of dependency.condition.trim().split(',')) {
      if (condition === '') continue;
      const found = valuesPathValue(values, path + condition);
      if (!found.found) continue;
      if (typeof found.value === 'boolean') {
        dependency.enabled = found.value;
        break;
      }
      warn(`returned non-bool value path=${condition} chart=${dependency.name}`);
    }
  }
}

function processEnabled(chart: Chart, values: GoMap, path: string, warn: Warn): void {
  const declared = chart.metadata.dependencies;
  if (!declared) return;
  const kept: Chart[] = chart.dependencies.filter((existing) => !declared.some((required) => required && existing.metadata.name === required.name && isCompatibleRange(required.version, existing.metadata.version)));
  for (const required of declared) {
    if (!required) continue;
    const aliased = aliasedDependency(chart.dependencies, required);
    if (aliased) kept.push(aliased);
    if (required.alias !== '') required.name = required.alias;
  }
  setDependencies(chart, kept);
  const dependencies = declared.filter((required): required is Dependency => required !== null);
  for (const dependency of dependencies) dependency.enabled = true;
  const coalesced = coalesceValues(chart, values, warn);
  processTags(dependencies, coalesced, warn);
  processConditions(dependencies, coalesced, path, warn);
  const removed = new Set(dependencies.filter((dependency) => !dependency.enabled).map((dependency) => dependency.name));
  const enabledCharts = chart.dependencies.filter((subchart) => !removed.has(subchart.metadata.name));
  const enabledDeclared = declared.filter((required) => !required || !removed.has(required.name));
  for (const subchart of enabledCharts) processEnabled(subchart, coalesced, `${path}${subchart.metadata.name}.`, warn);
  chart.metadata.dependencies = enabledDeclared.length > 0 ? enabledDeclared : null;
  setDependencies(chart, enabledCharts);
}

/** pathToMap: `a.b` and a table give {a: {b: table}}; `.` gives the table itself. */
function pathToMap(path: string, table: GoMap): GoMap {
  if (path === '.') return table;
  let current = table;
  for (const name of path.split('.').reverse()) current = new Map<string, GoValue>([[name, current]]);
  return current;
}

function processImportValues(chart: Chart, warn: Warn): void {
  const declared = chart.metadata.dependencies;
  if (!declared) return;
  const merged = mergeValues(chart, null, warn);
  let imported: GoMap = new Map();
  for (const dependency of declared) {
    if (!dependency) continue;
    const normalized: GoValue[] = [];
    for (const entry of dependency.importValues) {
      let child: string;
      let parent: string;
      if (isGoMap(entry)) {
        child = sprint(entry.get('child') ?? null);
        parent = sprint(entry.get('parent') ?? null);
      } else if (typeof entry === 'string') {
        child = `exports.${entry}`;
        parent = '.';
      } else continue;
      normalized.push(
        new Map([
          ['child', child],
          ['parent', parent],
        ]),
      );
      const table = valuesTable(merged, `${dependency.name}.${child}`);
      if (!table) {
        warn(`ImportValues missing table from chart chart=${dependency.name}`);
        continue;
      }
      imported = mergeTables(imported, pathToMap(parent, table), warn);
    }
    dependency.importValues = normalized;
  }
  chart.values = mergeTables(deepCopy(merged), imported, warn);
}

function processImports(chart: Chart, warn: Warn): void {
  for (const subchart of chart.dependencies) processImports(subchart, warn);
  processImportValues(chart, warn);
}

/** ProcessDependencies: which subcharts stay, then their imported values. Changes `chart` in place (throws CoalesceError). */
export function processDependencies(chart: Chart, values: GoMap, warn: Warn): void {
  processEnabled(chart, values, '', warn);
  processImports(chart, warn);
}
