
/**
 * Where a repository's Helm charts are: what the readers (the CLI's walk, the app's tree)
 * need to know to hand a chart over whole — templates, helpers, values, archives — though
 * only some of its files are YAML.
 */

/** A file of a chart, by path from the chart's directory, as bytes (archives in `charts/` are not text). */
export interface ChartFile {
  path: string;
  bytes: Uint8Array;
}

/** A chart's directory: its repository path (`` at the repository's root) and every file under it. */
export interface ChartSource {
  root: string;
  files: readonly ChartFile[];
}

export const CHART_FILE = 'Chart.yaml';

function isUnder(path: string, directory: string): boolean {
  return directory === '' || path === directory || path.startsWith(`${directory}/`);
}

/** A repository path as its chart names it (from the chart's directory); undefined for a path outside the chart. */
export function pathInChart(path: string, root: string): string | undefined {
  return root === '' ? path : path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
}

/** The chart a repository path belongs to: the innermost of `roots` holding it. */
export function chartOf(path: string, roots: readonly string[]): string | undefined {
  let found: string | undefined;
  for (const root of roots) if (isUnder(path, root) && (found === undefined || root.length > found.length)) found = root;
  return found;
}
