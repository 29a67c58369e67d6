import { SPRIG_FUNCTIONS } from '../src/core/helm/functions/index.js';
import { HelmRenderError, renderTemplates, type RenderOptions, type RenderTemplate } from '../src/core/helm/template/index.js';
import { goMap, type GoFunction, type GoMap } from '../src/core/helm/values.js';
import { HELM_DATA_FUNCTIONS, readValues } from '../src/core/helm/yaml/index.js';
import { CHART_NAME, snippetChart, type HelmOutcome, type HelmSnippet } from './support/helm-goldens.js';

/**
 * Runs a golden snippet (test/support/helm-goldens.ts) through our engine, on the same chart
 * files: what `helm template release snippet/` would print, or its error.
 */

/** Helm's function map: Sprig's and Helm's own data functions (the engine binds include, tpl and the rest). */
export const HELM_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map([...SPRIG_FUNCTIONS, ...HELM_DATA_FUNCTIONS]);

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
  const data = chartData(readValues(snippet.values ?? '', `${root}/values.yaml`));
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

export function renderSnippet(snippet: HelmSnippet, options: RenderOptions = {}): HelmOutcome {
  try {
    const rendered = renderTemplates(snippetTemplates(snippet), HELM_FUNCTIONS, options);
    const output = rendered.get(`${CHART_NAME}/templates/snippet.yaml`)!.text;
    if ((snippet.mode ?? 'include') === 'file') return { output: firstManifest(output) };
    const encoded = /^out: "([^"]*)"/.exec(output)?.[1] ?? '';
    return { output: Buffer.from(encoded, 'base64').toString('utf8') };
  } catch (error) {
    if (error instanceof HelmRenderError) return { error: error.message };
    throw error;
  }
}
