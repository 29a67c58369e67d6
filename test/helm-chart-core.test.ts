import { describe, expect, it } from 'vitest';
import { formatHelmTemplateOutput, renderChart } from '../src/core/helm/render.js';
import type { ChartInput, RenderChartResult } from '../src/core/helm/render.js';
import type { OriginSpan } from '../src/core/helm/origins.js';
import { chartArchive } from './support/helm-charts.js';

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
