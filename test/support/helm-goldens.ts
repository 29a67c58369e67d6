import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers.js';

/**
 * What real helm makes of small templates, kept as goldens so that the comparison runs
 * where the binary cannot. `MESHREADY_HELM_GOLDENS=update` renders every snippet with real
 * helm (scripts/helm.sh) and rewrites the suite's file; `=check` renders them and fails when
 * the file differs (`.ci/run` does this); unset, the file is read as it is.
 */

export interface HelmSnippet {
  /** Unique within its suite. */
  name: string;
  /** The template text whose output is compared. */
  template: string;
  /** The chart's values.yaml. */
  values?: string;
  /** Other files of the chart, by path from the chart's root (`templates/_helpers.tpl`, `files/a.txt`, `Chart.yaml`). */
  files?: Record<string, string>;
  /** More arguments to `helm template` (`--set a=b`, `--kube-version 1.30`). */
  args?: string[];
  /**
   * `include` (the default): the template is the body of a `define`, rendered through
   * `include ... | b64enc`, so that any text at all can be compared (helm refuses to print
   * output that is not YAML); errors then point into the define. `file`: the template is
   * `templates/snippet.yaml` itself and the output is what helm prints for it (it must be
   * YAML); errors point into that file.
   */
  mode?: 'include' | 'file';
}

export interface HelmOutcome {
  output?: string;
  /** helm's error, without its `Error: ` prefix. */
  error?: string;
}

export const CHART_NAME = 'snippet';
const HELM_VERSION = 'v4.1.4';
const execFileAsync = promisify(execFile);

export function helmBinary(): string {
  return execFileSync('bash', [join(ROOT, 'scripts/helm.sh')], { encoding: 'utf8' }).trim();
}

/** The chart a snippet is rendered from, as files by path from the chart's root. */
export function snippetChart(snippet: HelmSnippet): Record<string, string> {
  const files: Record<string, string> = {
    'Chart.yaml': `apiVersion: v2\nname: ${CHART_NAME}\nversion: 0.1.0\n`,
    'values.yaml': snippet.values ?? '',
    ...snippet.files,
  };
  if ((snippet.mode ?? 'include') === 'file') files['templates/snippet.yaml'] = snippet.template;
  else {
    files['templates/_snippet.tpl'] = `{{ define "meshready.snippet" }}${snippet.template}{{ end }}`;
    files['templates/snippet.yaml'] = 'out: {{ include "meshready.snippet" . | b64enc | quote }}\n';
  }
  return files;
}

async function renderWithHelm(helm: string, snippet: HelmSnippet): Promise<HelmOutcome> {
  const work = mkdtempSync(join(tmpdir(), 'meshready-helm-'));
  try {
    const chart = join(work, CHART_NAME);
    for (const [path, text] of Object.entries(snippetChart(snippet))) {
      mkdirSync(dirname(join(chart, path)), { recursive: true });
      writeFileSync(join(chart, path), text);
    }
    const home = join(work, 'home');
    const env = { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home };
    try {
      const { stdout } = await execFileAsync(helm, ['template', 'release', chart, ...(snippet.args ?? [])], { env, encoding: 'utf8' });
      return { output: outputOf(stdout, snippet) };
    } catch (failure) {
      const stderr = String((failure as { stderr?: string }).stderr ?? failure);
      // The hint helm's command line adds is no part of the error.
      const error = stderr.trim().replace(/^Error: /, '').replace(/\n\nUse --debug flag to render out invalid YAML$/, '');
      return { error: error.split(work + '/').join('') };
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function outputOf(stdout: string, snippet: HelmSnippet): string {
  const marker = `# Source: ${CHART_NAME}/templates/snippet.yaml\n`;
  const at = stdout.indexOf(marker);
  if (at === -1) return '';
  const next = stdout.indexOf('\n---\n', at);
  const document = stdout.slice(at + marker.length, next === -1 ? undefined : next + 1);
  if ((snippet.mode ?? 'include') === 'file') return document;
  const encoded = /^out: "([^"]*)"/.exec(document)?.[1] ?? '';
  return Buffer.from(encoded, 'base64').toString('utf8');
}

async function renderAll(snippets: HelmSnippet[]): Promise<Record<string, HelmOutcome>> {
  const helm = helmBinary();
  const outcomes: Record<string, HelmOutcome> = {};
  let next = 0;
  const worker = async () => {
    while (next < snippets.length) {
      const snippet = snippets[next++]!;
      outcomes[snippet.name] = await renderWithHelm(helm, snippet);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return Object.fromEntries(snippets.map((snippet) => [snippet.name, outcomes[snippet.name]!]));
}

interface GoldenFile {
  helm: string;
  snippets: Record<string, HelmSnippet & HelmOutcome>;
}

/** The outcome real helm gives each snippet of a suite (see the module's comment for the modes). */
export async function helmGoldens(suite: string, snippets: HelmSnippet[]): Promise<Record<string, HelmOutcome>> {
  const names = new Set(snippets.map((snippet) => snippet.name));
  if (names.size !== snippets.length) throw new Error(`${suite}: snippet names repeat`);
  const path = join(ROOT, 'test/goldens/helm', `${suite}.json`);
  const mode = process.env.MESHREADY_HELM_GOLDENS;
  const stored: GoldenFile | undefined = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as GoldenFile) : undefined;
  if (mode === 'update' || mode === 'check') {
    const rendered = await renderAll(snippets);
    const file: GoldenFile = {
      helm: HELM_VERSION,
      snippets: Object.fromEntries(snippets.map((snippet) => [snippet.name, { ...snippet, ...rendered[snippet.name] }])),
    };
    const text = `${JSON.stringify(file, null, 1)}\n`;
    if (mode === 'update') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    } else if (!stored || `${JSON.stringify(stored, null, 1)}\n` !== text) {
      throw new Error(`${path} is not what helm ${HELM_VERSION} renders now: run the suite with MESHREADY_HELM_GOLDENS=update and review the difference`);
    }
    return rendered;
  }
  if (!stored) throw new Error(`${path} is missing: run the suite with MESHREADY_HELM_GOLDENS=update (needs scripts/helm.sh)`);
  const outcomes: Record<string, HelmOutcome> = {};
  for (const snippet of snippets) {
    const golden = stored.snippets[snippet.name];
    if (!golden || JSON.stringify({ ...snippet, output: golden.output, error: golden.error }) !== JSON.stringify(golden)) {
      throw new Error(`${path}: snippet ${snippet.name} changed or is new: run the suite with MESHREADY_HELM_GOLDENS=update`);
    }
    outcomes[snippet.name] = { ...(golden.output !== undefined ? { output: golden.output } : {}), ...(golden.error !== undefined ? { error: golden.error } : {}) };
  }
  return outcomes;
}
