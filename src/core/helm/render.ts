import { posix } from 'node:path';
import type { OriginSpan, TracedText } from './origins.js';
import type { GoFunction, GoMap, GoValue } from './values.js';
import { sprintf } from './fmt.js';
import { SPRIG_FUNCTIONS } from './functions/index.js';
import { GeneratedKeys, withGeneratedKeys } from './functions/certificates.js';
import { deepCopy } from './functions/dicts.js';
import { HELM_DATA_FUNCTIONS, toYamlTraced } from './yaml/index.js';
import { isGoSpace } from './yaml/go-text.js';
import { HelmRenderError, renderRecorded, sliceTraced } from './template/index.js';
import type { RenderBudget, RenderTemplate, TemplateRenderRecord } from './template/index.js';
import type { Chart } from './chart/chart.js';
import { chartFullPath, isLibraryChart, isRoot, metadataAsMap, repositoryPath } from './chart/chart.js';
import { BudgetError } from './chart/archive.js';
import type { ExpansionBudget } from './chart/archive.js';
import { ChartLoadError, loadChartArchive, loadChartDirectory } from './chart/loader.js';
import type { ChartDirectoryFile } from './chart/loader.js';
import { CoalesceError, coalesceValues } from './chart/coalesce.js';
import { missingDependencies, processDependencies } from './chart/dependencies.js';
import { DEFAULT_API_VERSIONS, DEFAULT_KUBE, KubeVersionError, capabilitiesStruct, parseKubeVersion } from './chart/capabilities.js';
import type { KubeVersion } from './chart/capabilities.js';
import { chartFiles } from './chart/files.js';
import { ManifestError, sortManifests } from './chart/manifests.js';
import type { KeptHeads } from './chart/manifests.js';
import { DigestCache } from '../digest-cache.js';
import { DOCUMENT_HEADS } from './render-cache.js';
import { validateChartValues } from './chart/schema.js';
import { UserValuesError, userValues } from './chart/user-values.js';
import type { UserValuesOptions } from './chart/user-values.js';
import { isCompatibleRange } from './chart/compatible.js';
import { valuesTable } from './chart/values-tree.js';

/**
 * `helm template` (helm v4.1.4) in-process: a chart loaded from its files, its values
 * coalesced with the user's, its dependencies processed, its schema checked, its templates
 * rendered (the template engine), and the result post-processed as helm does before it
 * prints — documents split, hooks set apart, sorted by install order, CRDs first with
 * `includeCrds`, NOTES.txt left out. Every manifest keeps where its text came from.
 * Nothing is run; the steps and their errors come in helm's order.
 */

/** The chart: a directory's files, or a `.tgz`. */
export type ChartInput =
  | {
      kind: 'directory';
      /** Every file under the chart's root, by path from it (`/`-separated). */
      files: readonly ChartDirectoryFile[];
      /** How helm names the directory in its errors (the absolute path). */
      root: string;
      /** The chart's repository path, for origins (`deploy/app`; `` for the repository's root). */
      source: string;
    }
  | {
      kind: 'archive';
      /** As the user named the file (helm's messages name it so). */
      name: string;
      bytes: Uint8Array;
      source: string;
    };

export interface ChartBudget {
  /** Files in the chart, archives' contents included (default 10,000). */
  maxFiles: number;
  /** Bytes of the chart's files once every archive is expanded (default 64 MiB). */
  maxBytes: number;
  /** The template engine's bounds. */
  render: Partial<RenderBudget>;
}

export const DEFAULT_CHART_BUDGET: ChartBudget = { maxFiles: 10_000, maxBytes: 64 * 1024 * 1024, render: {} };

export interface RenderChartOptions extends UserValuesOptions {
  /** `helm template NAME`: default `release-name`. */
  releaseName?: string;
  /** `-n`: default `default`. */
  namespace?: string;
  /** `--kube-version`. */
  kubeVersion?: string;
  /** `--api-versions`, added to helm's default set. */
  apiVersions?: readonly string[];
  /** `--include-crds`. */
  includeCrds?: boolean;
  /** `--is-upgrade`. */
  isUpgrade?: boolean;
  budget?: Partial<ChartBudget>;
}

export interface RenderedManifest {
  /** helm's name for it, as `# Source:` prints it (`app/templates/deploy.yaml`, `app/charts/db/crds/crd.yaml`). */
  name: string;
  /** The repository path of the template (or CRD file) it came from. */
  path: string;
  kind: 'crd' | 'manifest' | 'hook';
  /** The document's text, its spans relative to it. */
  text: TracedText;
  /** As helm prints it: `---\n# Source: NAME\nTEXT\n`. */
  printed: string;
}

export type RenderChartResult =
  | {
      ok: true;
      /** In helm's output order: CRDs, manifests, hooks. */
      manifests: RenderedManifest[];
      /** The chart's rendered NOTES.txt, which `helm template` does not print. */
      notes?: string;
      /** What helm logs on stderr along the way (coalescing and dependency warnings). */
      warnings: string[];
    }
  | {
      ok: false;
      /** helm's message, as it follows `Error: `. */
      error: string;
      /** helm adds `Use --debug flag to render out invalid YAML` when it failed after building the release. */
      debugHint: boolean;
      warnings: string[];
    };

class TemplateCommandError extends Error {
  constructor(
    message: string,
    readonly debugHint = false,
  ) {
    super(message);
  }
}

const VALID_RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkReleaseName(name: string): void {
  let problem: string | undefined;
  if (name === '') problem = 'no name provided';
  else if (name.length > 53 || !VALID_RELEASE_NAME.test(name)) problem = `invalid release name, must match regex ${VALID_RELEASE_NAME.source} and the length must not be longer than 53`;
  if (problem) throw new TemplateCommandError(`release name check failed: release name ${sprintf('%q', name)}: ${problem}`);
}

/** The function map of helm's engine: Sprig's, then helm's own (engine.go's funcMap); the engine binds include, tpl, required, fail, lookup. */
export const HELM_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map([...SPRIG_FUNCTIONS, ...HELM_DATA_FUNCTIONS]);

const TRACERS = new Map([['toYaml', (args: GoValue[]) => toYamlTraced(args[0] ?? null)]]);

/**
 * HELM_FUNCTIONS for one render, its fromYaml reading each text once: a chart may read one
 * text again (istio-base reads each CRD for its name, then for the whole of it). Each call
 * has a copy of its own, as each of Go's is a value of its own that the template may change.
 */
function renderFunctions(): Map<string, GoFunction> {
  const functions = new Map(HELM_FUNCTIONS);
  const fromYaml = HELM_FUNCTIONS.get('fromYaml')!;
  const read = new Map<string, GoValue>();
  functions.set('fromYaml', {
    ...fromYaml,
    call: (text) => {
      let value = read.get(text as string);
      if (value === undefined) read.set(text as string, (value = fromYaml.call(text)));
      return deepCopy(value);
    },
  });
  return functions;
}

/** The data of each chart's templates, as engine.go's recAllTpls builds it, and the templates themselves. */
function collectTemplates(chart: Chart, parent: GoMap, templates: RenderTemplate[]): GoMap {
  const chartMap = metadataAsMap(chart.metadata);
  chartMap.set('IsRoot', isRoot(chart));
  const subcharts: GoMap = new Map();
  const parentValues = parent.get('Values');
  let values: GoValue = new Map();
  if (isRoot(chart)) values = parentValues ?? new Map();
  else if (parentValues instanceof Map) values = valuesTable(parentValues, chart.metadata.name) ?? new Map();
  const data: GoMap = new Map<string, GoValue>([
    ['Chart', chartMap],
    ['Files', chartFiles(chart.files)],
    ['Release', parent.get('Release') ?? null],
    ['Capabilities', parent.get('Capabilities') ?? null],
    ['Values', values],
    ['Subcharts', subcharts],
  ]);
  for (const subchart of chart.dependencies) subcharts.set(subchart.metadata.name, collectTemplates(subchart, data, templates));
  const fullPath = chartFullPath(chart);
  const decoder = new TextDecoder();
  for (const template of chart.templates) {
    if (isLibraryChart(chart) && !posix.basename(template.name).startsWith('_')) continue;
    templates.push({
      name: posix.join(fullPath, template.name),
      path: repositoryPath(chart, template.name),
      text: decoder.decode(template.data),
      data,
      basePath: posix.join(fullPath, 'templates'),
    });
  }
  return data;
}

/** The CRD files of the chart and its (enabled) subcharts, as CRDObjects lists them. */
function crdObjects(chart: Chart): { name: string; path: string; text: string }[] {
  const decoder = new TextDecoder();
  const own = chart.files
    .filter((file) => file.name.startsWith('crds/') && /^\.(ya?ml|json)$/i.test(posix.extname(file.name)))
    .map((file) => ({ name: posix.join(chartFullPath(chart), file.name), path: repositoryPath(chart, file.name), text: decoder.decode(file.data) }));
  return [...own, ...chart.dependencies.flatMap(crdObjects)];
}

function printed(name: string, text: string): string {
  return `---\n# Source: ${name}\n${text}\n`;
}

function loadChart(input: ChartInput, budget: ChartBudget): Chart {
  const expansion: ExpansionBudget = { bytes: budget.maxBytes, files: budget.maxFiles, names: { bytes: `budget.maxBytes = ${budget.maxBytes}`, files: `budget.maxFiles = ${budget.maxFiles}` } };
  if (input.kind === 'directory') return loadChartDirectory(input.files, input.root, input.source, expansion);
  return loadChartArchive(input.name, input.bytes, input.source, expansion);
}

/** A render of a chart kept to render it again with some of its templates changed: what the templates were given, and the render's record. */
export interface ReusableRender {
  readonly chart: Chart;
  readonly options: RenderChartOptions;
  readonly templates: readonly RenderTemplate[];
  readonly record: TemplateRenderRecord;
  /** The keys the templates generated, for the renders again to take. */
  readonly keys: GeneratedKeys;
  readonly warnings: readonly string[];
}

type Rendered = { manifests: RenderedManifest[]; notes?: string };

function renderChartOrThrow(input: ChartInput, options: RenderChartOptions, warnings: string[], keys: GeneratedKeys): Rendered & { reusable: ReusableRender } {
  const warn = (message: string) => warnings.push(message);
  const budget: ChartBudget = { ...DEFAULT_CHART_BUDGET, ...options.budget };
  let kube: KubeVersion = DEFAULT_KUBE;
  if (options.kubeVersion !== undefined && options.kubeVersion !== '') kube = parseKubeVersion(options.kubeVersion);
  const releaseName = options.releaseName ?? 'release-name';
  const values = userValues(options);
  const chart = loadChart(input, budget);
  const type = chart.metadata.type;
  if (type !== '' && type !== 'application') throw new TemplateCommandError(`${type} charts are not installable`);
  const missing = missingDependencies(chart);
  if (missing) throw new TemplateCommandError(missing);
  checkReleaseName(releaseName);
  try {
    processDependencies(chart, values, warn);
  } catch (error) {
    if (error instanceof CoalesceError) throw new TemplateCommandError(`chart dependencies processing failed: ${error.message}`);
    throw error;
  }
  const capabilities = capabilitiesStruct(kube, [...DEFAULT_API_VERSIONS, ...(options.apiVersions ?? [])]);
  const isUpgrade = options.isUpgrade === true;
  const release: GoMap = new Map<string, GoValue>([
    ['Name', releaseName],
    ['Namespace', options.namespace ?? 'default'],
    ['IsUpgrade', isUpgrade],
    ['IsInstall', !isUpgrade],
    ['Revision', 1n],
    ['Service', 'Helm'],
  ]);
  let coalesced: GoMap;
  try {
    coalesced = coalesceValues(chart, values, warn);
  } catch (error) {
    if (error instanceof CoalesceError) throw new TemplateCommandError(error.message);
    throw error;
  }
  const schemaReport = validateChartValues(chart, coalesced);
  if (schemaReport !== undefined) throw new TemplateCommandError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${schemaReport}`);
  if (chart.metadata.kubeVersion !== '' && !isCompatibleRange(chart.metadata.kubeVersion, kube.normalized)) {
    throw new TemplateCommandError(`chart requires kubeVersion: ${chart.metadata.kubeVersion} which is incompatible with Kubernetes ${kube.version}`, true);
  }
  const templates: RenderTemplate[] = [];
  const top: GoMap = new Map<string, GoValue>([
    ['Capabilities', capabilities],
    ['Release', release],
    ['Values', coalesced],
  ]);
  collectTemplates(chart, top, templates);
  const { rendered, record } = renderTemplatesOrThrow(templates, budget, undefined, keys)!;
  const reusable: ReusableRender = { chart, options, templates, record, keys, warnings };
  return { ...manifestsOf(rendered, reusable), reusable };
}

function renderTemplatesOrThrow(templates: RenderTemplate[], budget: ChartBudget, previous: TemplateRenderRecord | undefined, keys: GeneratedKeys): ReturnType<typeof renderRecorded> {
  try {
    return withGeneratedKeys(keys, () => renderRecorded(templates, renderFunctions(), { budget: budget.render, tracers: TRACERS }, previous));
  } catch (error) {
    if (error instanceof HelmRenderError) throw new TemplateCommandError(error.message, true);
    throw error;
  }
}

/** The rendered templates as helm prints them: NOTES.txt set apart, documents split and sorted, CRDs first when asked for. */
function manifestsOf(rendered: Map<string, TracedText>, { chart, options, templates }: ReusableRender): Rendered {
  let notes: string | undefined;
  const rootNotes = posix.join(chart.metadata.name, 'templates', 'NOTES.txt');
  for (const name of [...rendered.keys()]) {
    if (!name.endsWith('NOTES.txt')) continue;
    if (name === rootNotes) notes = rendered.get(name)!.text;
    rendered.delete(name);
  }
  let sorted: ReturnType<typeof sortManifests>;
  try {
    sorted = sortManifests(new Map([...rendered].map(([name, traced]) => [name, traced.text])), KEPT_HEADS);
  } catch (error) {
    if (error instanceof ManifestError) throw new TemplateCommandError(error.message, true);
    throw error;
  }
  const pathOf = new Map(templates.map((template) => [template.name, template.path]));
  const manifests: RenderedManifest[] = [];
  if (options.includeCrds) {
    for (const crd of crdObjects(chart)) {
      const spans: OriginSpan[] = crd.text === '' ? [] : [{ start: 0, end: crd.text.length, origin: { type: 'text', file: crd.path, start: 0 } }];
      manifests.push({ name: crd.name, path: crd.path, kind: 'crd', text: { text: crd.text, spans }, printed: printed(crd.name, crd.text) });
    }
  }
  for (const [kind, list] of [
    ['manifest', sorted.manifests],
    ['hook', sorted.hooks],
  ] as const) {
    for (const manifest of list) {
      const text = sliceTraced(rendered.get(manifest.name)!, manifest.start, manifest.end);
      manifests.push({ name: manifest.name, path: pathOf.get(manifest.name) ?? manifest.name, kind, text, printed: printed(manifest.name, manifest.content) });
    }
  }
  return notes === undefined ? { manifests } : { manifests, notes };
}

const KEPT_HEADS: KeptHeads = {
  headOf(content, read) {
    const key = DigestCache.keyOf(content);
    let head = DOCUMENT_HEADS.get(key);
    if (head === undefined) DOCUMENT_HEADS.set(key, (head = read()), 1);
    return head;
  },
};

/** A render's manifests, or helm's error (and nothing else) as a failed result. */
function resultOf(render: () => Rendered, warnings: string[]): RenderChartResult {
  try {
    const { manifests, notes } = render();
    return notes === undefined ? { ok: true, manifests, warnings } : { ok: true, manifests, notes, warnings };
  } catch (error) {
    if (error instanceof TemplateCommandError) return { ok: false, error: error.message, debugHint: error.debugHint, warnings };
    if (error instanceof ChartLoadError || error instanceof UserValuesError || error instanceof KubeVersionError || error instanceof BudgetError) {
      return { ok: false, error: error.message, debugHint: false, warnings };
    }
    throw error;
  }
}

/** Renders a chart as `helm template` would; helm's error (and nothing else) when it would fail. */
export function renderChart(input: ChartInput, options: RenderChartOptions = {}): RenderChartResult {
  return renderChartReusable(input, options).result;
}

/**
 * renderChart, and, when it rendered, what renderAgainWithTemplates needs to render the
 * chart again with templates changed. Given `keys` (another render's), the key generators
 * take those keys before they generate any.
 */
export function renderChartReusable(input: ChartInput, options: RenderChartOptions = {}, keys = new GeneratedKeys()): { result: RenderChartResult; reusable?: ReusableRender } {
  const warnings: string[] = [];
  let reusable: ReusableRender | undefined;
  const result = resultOf(() => {
    const rendered = renderChartOrThrow(input, options, warnings, keys);
    reusable = rendered.reusable;
    return rendered;
  }, warnings);
  return reusable ? { result, reusable } : { result };
}

/**
 * The chart of an earlier render rendered again with the templates at `texts` (repository
 * paths) changed and nothing else: the values, dependencies and schema are as they were,
 * and a template that ran none of the changed templates' trees gives its output again.
 * Undefined when a changed file is no template of the chart, or a template that runs again
 * changes the data it is given otherwise than before: only a render from the start tells then.
 */
export function renderAgainWithTemplates(previous: ReusableRender, texts: ReadonlyMap<string, string>): RenderChartResult | undefined {
  const paths = new Set(previous.templates.map((template) => template.path));
  if ([...texts.keys()].some((path) => !paths.has(path))) return undefined;
  const templates = previous.templates.map((template) => (texts.has(template.path) ? { ...template, text: texts.get(template.path)! } : template));
  const budget: ChartBudget = { ...DEFAULT_CHART_BUDGET, ...previous.options.budget };
  let reused = true;
  const result = resultOf(() => {
    const again = renderTemplatesOrThrow(templates, budget, previous.record, previous.keys);
    if (!again) {
      reused = false;
      return { manifests: [] };
    }
    return manifestsOf(again.rendered, { ...previous, templates, record: again.record });
  }, [...previous.warnings]);
  return reused ? result : undefined;
}

/** Go's strings.TrimSpace at the end only (the output starts with `---`). */
function trimEndGoSpace(text: string): string {
  let end = text.length;
  while (end > 0 && isGoSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

/** What `helm template` prints on stdout for a successful render: the release manifest trimmed, then the hooks. */
export function formatHelmTemplateOutput(result: Extract<RenderChartResult, { ok: true }>): string {
  const main = result.manifests.filter((manifest) => manifest.kind !== 'hook');
  const hooks = result.manifests.filter((manifest) => manifest.kind === 'hook');
  return `${trimEndGoSpace(main.map((manifest) => manifest.printed).join(''))}\n${hooks.map((manifest) => manifest.printed).join('')}`;
}

/** What `helm template` prints on stderr when it fails. */
export function formatHelmTemplateError(result: Extract<RenderChartResult, { ok: false }>): string {
  return `Error: ${result.error}${result.debugHint ? '\n\nUse --debug flag to render out invalid YAML' : ''}\n`;
}
