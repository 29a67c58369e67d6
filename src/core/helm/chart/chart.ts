import type { GoMap, GoValue } from '../values.js';

/**
 * A chart as helm's `pkg/chart/v2` holds it once loaded: its Chart.yaml metadata, its
 * templates, values, schema, other files and its subcharts, with where each file is in the
 * repository, so that rendered text can point back at it.
 */

export interface Maintainer {
  name: string;
  email: string;
  url: string;
}

/** A dependency of Chart.yaml (requirements.yaml for apiVersion v1). */
export interface Dependency {
  name: string;
  version: string;
  repository: string;
  condition: string;
  tags: string[];
  enabled: boolean;
  /** Strings, or `{child, parent}` maps (any values: helm formats them with %v). */
  importValues: GoValue[];
  alias: string;
}

/** Chart.yaml, field for field (helm's `chart.Metadata`); `null` in a list is a YAML null helm refuses at validation. */
export interface Metadata {
  name: string;
  home: string;
  sources: string[];
  version: string;
  description: string;
  keywords: string[];
  maintainers: (Maintainer | null)[];
  icon: string;
  apiVersion: string;
  condition: string;
  tags: string;
  appVersion: string;
  deprecated: boolean;
  annotations: Map<string, string> | null;
  kubeVersion: string;
  dependencies: (Dependency | null)[] | null;
  type: string;
}

export interface ChartFile {
  /** The path from the chart's root (`templates/x.yaml`, `files/a.txt`). */
  name: string;
  data: Uint8Array;
}

export interface Chart {
  metadata: Metadata;
  /** Chart.lock (requirements.lock for v1): kept only as helm keeps it, unused by rendering. */
  lock?: GoValue;
  templates: ChartFile[];
  /** values.yaml merged over its documents; null when the chart has none. */
  values: GoMap | null;
  schema?: Uint8Array;
  /** Everything else helm keeps as the chart's files (`.Files`), in load order. */
  files: ChartFile[];
  dependencies: Chart[];
  parent?: Chart;
  /**
   * Where the chart's own files are in the repository: a directory (`deploy/app`,
   * `deploy/app/charts/db`), or an archive and the chart's root inside it
   * (`deploy/app/charts/db-1.0.0.tgz!`), so that `repositoryPath(chart, name)` names a file.
   */
  source: string;
}

export function emptyMetadata(): Metadata {
  return {
    name: '',
    home: '',
    sources: [],
    version: '',
    description: '',
    keywords: [],
    maintainers: [],
    icon: '',
    apiVersion: '',
    condition: '',
    tags: '',
    appVersion: '',
    deprecated: false,
    annotations: null,
    kubeVersion: '',
    dependencies: null,
    type: '',
  };
}

/** The repository path of one of a chart's files: `dir/name`, or `archive.tgz!/name` for a file inside an archive. */
export function repositoryPath(chart: Chart, name: string): string {
  if (chart.source.endsWith('!')) return `${chart.source}/${name}`;
  return chart.source === '' ? name : `${chart.source}/${name}`;
}

export function isRoot(chart: Chart): boolean {
  return chart.parent === undefined;
}

/** helm's ChartFullPath: `parent/charts/name`, with alias names. */
export function chartFullPath(chart: Chart): string {
  return chart.parent ? `${chartFullPath(chart.parent)}/charts/${chart.metadata.name}` : chart.metadata.name;
}

export function isLibraryChart(chart: Chart): boolean {
  return chart.metadata.type.toLowerCase() === 'library';
}

function dependencyAsMap(dependency: Dependency | null): GoValue {
  if (!dependency) return null;
  return new Map<string, GoValue>([
    ['Name', dependency.name],
    ['Version', dependency.version],
    ['Repository', dependency.repository],
    ['Condition', dependency.condition],
    ['Tags', [...dependency.tags]],
    ['Enabled', dependency.enabled],
    ['ImportValues', [...dependency.importValues]],
    ['Alias', dependency.alias],
  ]);
}

/**
 * `.Chart` as helm 4 gives it to templates: the metadata struct turned into a map of its Go
 * field names (structToMap: every list a list, even when absent; a nil map stays nil).
 */
export function metadataAsMap(metadata: Metadata): GoMap {
  return new Map<string, GoValue>([
    ['Name', metadata.name],
    ['Home', metadata.home],
    ['Sources', [...metadata.sources]],
    ['Version', metadata.version],
    ['Description', metadata.description],
    ['Keywords', [...metadata.keywords]],
    [
      'Maintainers',
      metadata.maintainers.map((maintainer) =>
        maintainer
          ? new Map<string, GoValue>([
              ['Name', maintainer.name],
              ['Email', maintainer.email],
              ['URL', maintainer.url],
            ])
          : null,
      ),
    ],
    ['Icon', metadata.icon],
    ['APIVersion', metadata.apiVersion],
    ['Condition', metadata.condition],
    ['Tags', metadata.tags],
    ['AppVersion', metadata.appVersion],
    ['Deprecated', metadata.deprecated],
    ['Annotations', metadata.annotations ? new Map<string, GoValue>(metadata.annotations) : null],
    ['KubeVersion', metadata.kubeVersion],
    ['Dependencies', (metadata.dependencies ?? []).map(dependencyAsMap)],
    ['Type', metadata.type],
  ]);
}
