import { sprintf } from '../src/core/helm/fmt.js';
import { HelmRenderError, renderTemplates, type RenderOptions, type RenderTemplate } from '../src/core/helm/template/index.js';
import { goMap, type GoFunction, type GoMap, type GoValue } from '../src/core/helm/values.js';
import { CHART_NAME, snippetChart, type HelmOutcome, type HelmSnippet } from './support/helm-goldens.js';

/**
 * Runs a golden snippet (test/support/helm-goldens.ts) through our engine, on the same chart
 * files: what `helm template release snippet/` would print, or its error.
 */

/** A values file written as JSON (which is YAML too), read as Helm reads values: numbers are float64. */
export function jsonValues(text: string | undefined): GoMap {
  const parsed: unknown = text === undefined || text.trim() === '' ? {} : JSON.parse(text);
  return toGo(parsed) as GoMap;
}

function toGo(value: unknown): GoValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map(toGo);
  return goMap(Object.entries(value as Record<string, unknown>).map(([key, element]) => [key, toGo(element)]));
}

/** The two Sprig functions the include-mode wrapper calls, until the Sprig port is in. */
const wrapperFunctions = new Map<string, GoFunction>([
  ['b64enc', { params: ['string'], call: (text) => Buffer.from(text as string, 'utf8').toString('base64') }],
  ['quote', { params: [], variadic: 'any', call: (...values) => values.filter((value) => value !== null).map((value) => sprintf('%q', typeof value === 'string' ? value : sprintf('%v', value))).join(' ') }],
]);

/** The chart's data as `helm template release snippet/` gives it, for the parts the snippets use. */
export function chartData(values: GoMap): GoMap {
  return goMap([
    ['Values', values],
    ['Release', goMap([['Name', 'release'], ['Namespace', 'default'], ['IsInstall', true], ['IsUpgrade', false], ['Revision', 1n], ['Service', 'Helm']])],
    ['Chart', goMap([['Name', CHART_NAME], ['Version', '0.1.0'], ['IsRoot', true]])],
    ['Subcharts', goMap()],
  ]);
}

/** The chart's templates as RenderTemplates, in the repository at `root`. */
export function snippetTemplates(snippet: HelmSnippet, root = 'charts/snippet'): RenderTemplate[] {
  const data = chartData(jsonValues(snippet.values));
  return Object.entries(snippetChart(snippet))
    .filter(([path]) => path.startsWith('templates/'))
    .map(([path, text]) => ({ name: `${CHART_NAME}/${path}`, path: `${root}/${path}`, text, data, basePath: `${CHART_NAME}/templates` }));
}

/** releaseutil.SplitManifests' first document, as `helm template` prints it. */
function firstManifest(rendered: string): string {
  const documents = rendered
    .trim()
    .split(/(?:^|\s*\n)---\s*/)
    .filter((document) => document !== '');
  return documents.length === 0 ? '' : `${documents[0]!.trim()}\n`;
}

export function renderSnippet(snippet: HelmSnippet, functions: ReadonlyMap<string, GoFunction> = new Map(), options: RenderOptions = {}): HelmOutcome {
  try {
    const rendered = renderTemplates(snippetTemplates(snippet), new Map([...wrapperFunctions, ...functions]), options);
    const output = rendered.get(`${CHART_NAME}/templates/snippet.yaml`)!.text;
    if ((snippet.mode ?? 'include') === 'file') return { output: firstManifest(output) };
    const encoded = /^out: "([^"]*)"/.exec(output)?.[1] ?? '';
    return { output: Buffer.from(encoded, 'base64').toString('utf8') };
  } catch (error) {
    if (error instanceof HelmRenderError) return { error: error.message };
    throw error;
  }
}
