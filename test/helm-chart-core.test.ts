import { describe, expect, it } from 'vitest';
import { formatHelmTemplateOutput, renderChart } from '../src/core/helm/render.js';
import type { ChartInput, RenderChartResult } from '../src/core/helm/render.js';
import type { OriginSpan } from '../src/core/helm/origins.js';
import { chartArchive, gzipTar, tarEntry } from './support/helm-charts.js';

/**
 * renderChart itself, on charts given as files in memory: the budgets that bound a chart
 * before it is rendered, and where each manifest's text came from.
 */

const encoder = new TextEncoder();

function directory(files: Record<string, string | Uint8Array>, source = 'deploy/app'): ChartInput {
  return {
    kind: 'directory',
    files: Object.entries(files).map(([path, content]) => ({ path, bytes: typeof content === 'string' ? encoder.encode(content) : content })),
    root: `/repo/${source}`,
    source,
  };
}

const CHART_YAML = 'apiVersion: v2\nname: app\nversion: 0.1.0\n';

function ok(result: RenderChartResult): Extract<RenderChartResult, { ok: true }> {
  if (!result.ok) throw new Error(`render failed: ${result.error}`);
  return result;
}

/** The origins of the spans that cover `needle` in a manifest's text. */
function originsOf(text: { text: string; spans: OriginSpan[] }, needle: string): OriginSpan['origin'][] {
  const start = text.text.indexOf(needle);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = start + needle.length;
  return text.spans.filter((span) => span.start < end && span.end > start).map((span) => span.origin);
}

describe('chart budgets', () => {
  it('refuses an archive in charts/ that expands past the byte budget, before rendering', () => {
    const bomb = chartArchive({ 'bomb/Chart.yaml': 'apiVersion: v2\nname: bomb\nversion: 0.1.0\n', 'bomb/zeros.txt': '\0'.repeat(4 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const result = renderChart(directory({ 'Chart.yaml': CHART_YAML, 'charts/bomb-0.1.0.tgz': bomb }), { budget: { maxBytes: 1024 * 1024 } });
    expect(result).toEqual({ ok: false, error: 'an archive in the chart expands beyond its budget (budget.maxBytes = 1048576)', debugHint: false, warnings: [] });
  });

  it('counts the files of nested archives against the file budget', () => {
    const inner = chartArchive(Object.fromEntries([['sub/Chart.yaml', 'apiVersion: v2\nname: sub\nversion: 0.1.0\n'], ...Array.from({ length: 20 }, (_, index) => [`sub/files/${index}.txt`, 'x'])]));
    const result = renderChart(directory({ 'Chart.yaml': CHART_YAML, 'charts/sub-0.1.0.tgz': inner }), { budget: { maxFiles: 10 } });
    expect(result).toMatchObject({ ok: false, error: 'the chart has more files than its budget allows (budget.maxFiles = 10)' });
  });

  it('renders the same chart within a budget that fits it', () => {
    const inner = chartArchive({ 'sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n', 'sub/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n' });
    const result = ok(renderChart(directory({ 'Chart.yaml': CHART_YAML, 'charts/sub-0.1.0.tgz': inner }), { budget: { maxFiles: 10 } }));
    expect(formatHelmTemplateOutput(result)).toBe('---\n# Source: app/charts/sub/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n');
  });
});

describe('chart archives, read as Go reads tar', () => {
  const files = (result: RenderChartResult) => formatHelmTemplateOutput(ok(result)).match(/\ndata:\n([^]*)/)![1];
  const probe = (names: string[]) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n${names.map((name, index) => `  f${index}: {{ .Files.Get ${JSON.stringify(name)} | quote }}`).join('\n')}\n`;
  const longName = `files/${'d'.repeat(120)}/${'f'.repeat(80)}.txt`;
  /** A PAX record, `LENGTH key=value\n`, LENGTH counting itself. */
  const paxRecord = (key: string, value: string) => {
    const body = ` ${key}=${value}\n`;
    let length = body.length;
    while (String(length).length + body.length !== length) length = String(length).length + body.length;
    return Buffer.from(`${length}${body}`);
  };

  it('takes a long name from a PAX record or a GNU long-name entry, and skips directories and global headers', () => {
    const archive = gzipTar([
      tarEntry('pax_global_header', Buffer.from('28 comment=from git archive\n'), 'g'),
      tarEntry('app/', Buffer.alloc(0), '5'),
      tarEntry('app/Chart.yaml', Buffer.from(CHART_YAML)),
      tarEntry('app/templates/probe.yaml', Buffer.from(probe([longName, 'files/gnu.txt', 'files/plain.txt']))),
      tarEntry('PaxHeaders/x', paxRecord('path', `app/${longName}`), 'x'),
      tarEntry('app/ignored-short-name', Buffer.from('from a PAX path')),
      tarEntry('././@LongLink', Buffer.from('app/files/gnu.txt\0'), 'L'),
      tarEntry('app/files/gnu-short', Buffer.from('from a GNU long name')),
      tarEntry('app/files/plain.txt', Buffer.from('\ufeffplain, BOM dropped')),
    ]);
    const result = renderChart({ kind: 'archive', name: 'app-0.1.0.tgz', bytes: archive, source: 'app-0.1.0.tgz' });
    expect(files(result)).toBe('  f0: "from a PAX path"\n  f1: "from a GNU long name"\n  f2: "plain, BOM dropped"\n');
  });

  it("refuses what helm refuses: a Chart.yaml outside the chart's directory, paths out of it, a corrupt header", () => {
    const render = (entries: Buffer[]) => renderChart({ kind: 'archive', name: 'bad.tgz', bytes: gzipTar(entries), source: 'bad.tgz' });
    expect(render([tarEntry('Chart.yaml', Buffer.from(CHART_YAML))])).toMatchObject({ ok: false, error: 'unable to load chart archive' });
    const corrupt = tarEntry('app/Chart.yaml', Buffer.from(CHART_YAML));
    corrupt[150] = corrupt[150]! ^ 1;
    expect(render([corrupt])).toMatchObject({ ok: false, error: 'unable to load chart archive' });
    const sub = (entries: Buffer[]) =>
      renderChart(directory({ 'Chart.yaml': CHART_YAML, 'charts/sub-0.1.0.tgz': gzipTar([tarEntry('sub/Chart.yaml', Buffer.from('apiVersion: v2\nname: sub\nversion: 0.1.0\n')), ...entries]) }));
    expect(sub([tarEntry('sub/../../escape.txt', Buffer.from('x'))])).toMatchObject({ ok: false, error: 'error unpacking subchart sub-0.1.0.tgz in app: chart illegally references parent directory' });
    expect(sub([tarEntry('sub//abs.txt', Buffer.from('x'))])).toMatchObject({ ok: false, error: 'error unpacking subchart sub-0.1.0.tgz in app: chart illegally contains absolute paths' });
    expect(sub([corrupt])).toMatchObject({ ok: false, error: 'error unpacking subchart sub-0.1.0.tgz in app: archive/tar: invalid tar header' });
  });
});

describe('where rendered manifests came from', () => {
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: first\n---\n';
  const template = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\ndata:\n  image: {{ .Values.image }}\n  tag: {{ .Values.tag }}\n';
  const chart = directory({
    'Chart.yaml': CHART_YAML,
    'values.yaml': 'name: web\nimage: nginx\ntag: "1.0"\n',
    'templates/first.yaml': namespace + template,
  });

  it('names each manifest by its template and repository path, its text relative to itself', () => {
    const result = ok(renderChart(chart));
    expect(result.manifests.map(({ name, path, kind }) => ({ name, path, kind }))).toEqual([
      { name: 'app/templates/first.yaml', path: 'deploy/app/templates/first.yaml', kind: 'manifest' },
      { name: 'app/templates/first.yaml', path: 'deploy/app/templates/first.yaml', kind: 'manifest' },
    ]);
    const configMap = result.manifests[1]!;
    expect(configMap.text.text).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  image: nginx\n  tag: 1.0');
    expect(configMap.printed).toBe(`---\n# Source: app/templates/first.yaml\n${configMap.text.text}\n`);
    // The manifest's first character is the template's character after the first document and its separator.
    expect(originsOf(configMap.text, 'apiVersion')[0]).toEqual({ type: 'text', file: 'deploy/app/templates/first.yaml', start: namespace.length });
  });

  it('points a value at the values file that set it: the user file over the chart default, none for --set', () => {
    const result = ok(renderChart(chart, { valuesFiles: [{ path: 'env/prod.yaml', text: 'image: nginx-prod\n' }], set: ['tag=2.0'] }));
    const configMap = result.manifests[1]!.text;
    expect(originsOf(configMap, 'web')).toEqual([{ type: 'value', file: 'deploy/app/values.yaml', start: 6, end: 9, verbatim: true }]);
    expect(originsOf(configMap, 'nginx-prod')).toEqual([{ type: 'value', file: 'env/prod.yaml', start: 7, end: 17, verbatim: true }]);
    expect(originsOf(configMap, '2.0').map((origin) => origin.type)).toEqual(['action']);
  });
});
