import { describe, expect, it } from 'vitest';
import { renderAgainWithTemplates, renderChart, renderChartReusable } from '../src/core/helm/render.js';
import type { ChartInput, RenderChartResult, ReusableRender } from '../src/core/helm/render.js';

/**
 * A chart rendered again with some templates changed, as a fix's proof renders it: what ran
 * none of the changed templates is its earlier output (a random string stays as it was),
 * what ran one renders again, and the answer is the one a render from the start gives.
 */

const encoder = new TextEncoder();
const CHART_YAML = 'apiVersion: v2\nname: app\nversion: 0.1.0\n';
const HELPERS = '{{- define "app.labels" }}app: web{{ end }}\n{{- define "app.token" }}{{ randAlphaNum 16 }}{{ end }}\n';

function directory(files: Record<string, string>): ChartInput {
  return { kind: 'directory', files: Object.entries(files).map(([path, text]) => ({ path, bytes: encoder.encode(text) })), root: '/repo/app', source: 'app' };
}

function configMap(name: string, data: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}\n`;
}

const FILES = {
  'Chart.yaml': CHART_YAML,
  'values.yaml': 'port: 80\n',
  'templates/_helpers.tpl': HELPERS,
  'templates/labelled.yaml': configMap('labelled', '  {{ include "app.labels" . }}'),
  'templates/token.yaml': configMap('token', '  token: {{ include "app.token" . }}'),
  'templates/port.yaml': configMap('port', '  port: "{{ .Values.port }}"'),
};

function texts(result: RenderChartResult | undefined): string[] {
  if (!result?.ok) throw new Error(`not rendered: ${result ? result.error : 'not rendered again'}`);
  return result.manifests.map((manifest) => manifest.text.text);
}

function firstRender(files: Record<string, string>): { result: RenderChartResult; reusable: ReusableRender } {
  const { result, reusable } = renderChartReusable(directory(files));
  if (!reusable) throw new Error('no reusable render');
  return { result, reusable };
}

describe('renderAgainWithTemplates', () => {
  it('renders again what ran the changed define, and keeps what did not: the random token as it was', () => {
    const { result, reusable } = firstRender(FILES);
    const [labelled, port, token] = texts(result);
    const helpers = HELPERS.replace('app: web', 'app: web\n  tier: front');
    const again = texts(renderAgainWithTemplates(reusable, new Map([['app/templates/_helpers.tpl', helpers]])));
    expect(again).toEqual([labelled!.replace('app: web', 'app: web\n  tier: front'), port, token]);
    // From the start, the token is another.
    const fresh = texts(renderChart(directory({ ...FILES, 'templates/_helpers.tpl': helpers })));
    expect(fresh.slice(0, 2)).toEqual(again.slice(0, 2));
    expect(fresh[2]).not.toBe(token);
  });

  it('answers as a render from the start does when the changed template no longer renders', () => {
    const { reusable } = firstRender(FILES);
    const broken = configMap('port', '  port: "{{ .Values.port | nosuchfunction }}"');
    const again = renderAgainWithTemplates(reusable, new Map([['app/templates/port.yaml', broken]]));
    const fresh = renderChart(directory({ ...FILES, 'templates/port.yaml': broken }));
    expect(again).toEqual(fresh);
    expect(again?.ok).toBe(false);
  });

  it('declines a file that is no template', () => {
    const { reusable } = firstRender(FILES);
    expect(renderAgainWithTemplates(reusable, new Map([['app/values.yaml', 'port: 81\n']]))).toBeUndefined();
  });

  // z-set.yaml runs first: Helm's order is reverse-lexical.
  const Z_SET = '{{- $_ := set .Values "port" (add .Values.port 1) }}{{- $_ := merge $ (dict "tier" "front") }}';
  const CHANGING = { ...FILES, 'templates/z-set.yaml': Z_SET };

  it('makes again the changes of the templates it keeps: a template that runs again reads what they set', () => {
    const { result, reusable } = firstRender(CHANGING);
    expect(texts(result)[1]).toBe(configMap('port', '  port: "81"').trimEnd());
    const port = configMap('port', '  port: "{{ .Values.port }}/{{ .tier }}"');
    const again = texts(renderAgainWithTemplates(reusable, new Map([['app/templates/port.yaml', port]])));
    expect(again[1]).toBe(configMap('port', '  port: "81/front"').trimEnd());
    // The token is random: a render from the start has another.
    expect(again.slice(0, 2)).toEqual(texts(renderChart(directory({ ...CHANGING, 'templates/port.yaml': port }))).slice(0, 2));
  });

  it('puts the data back after each render: a kept template that runs again changes it as it did the first time', () => {
    const { reusable } = firstRender(CHANGING);
    // Adds 1 to the port as before: 80 to 81 each time, were the port not put back, 81 to 82 the second time.
    const zSet = Z_SET.replace('add .Values.port 1', 'add .Values.port 1 0');
    const first = texts(renderAgainWithTemplates(reusable, new Map([['app/templates/z-set.yaml', zSet]])));
    const second = texts(renderAgainWithTemplates(reusable, new Map([['app/templates/z-set.yaml', zSet]])));
    expect(second).toEqual(first);
    expect(first[1]).toBe(configMap('port', '  port: "81"').trimEnd());
  });

  it('declines when a template that runs again changes the data otherwise than before: the templates after it read another value', () => {
    const { reusable } = firstRender(CHANGING);
    const zSet = Z_SET.replace('(add .Values.port 1)', '82');
    expect(renderAgainWithTemplates(reusable, new Map([['app/templates/z-set.yaml', zSet]]))).toBeUndefined();
  });

  it('keeps a chart reusable whose templates change only maps of their own', () => {
    const own = { ...FILES, 'templates/own.yaml': '{{- $d := dict "a" 1 }}{{- $_ := set $d "b" 2 }}{{- $_ := merge $d (dict "c" 3) }}' };
    const { reusable } = firstRender(own);
    const changed = configMap('port', '  port: "{{ add .Values.port 1 }}"');
    const [labelled, port] = texts(renderAgainWithTemplates(reusable, new Map([['app/templates/port.yaml', changed]])));
    expect([labelled, port]).toEqual([configMap('labelled', '  app: web').trimEnd(), configMap('port', '  port: "81"').trimEnd()]);
  });
});
