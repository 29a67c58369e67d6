import { beforeEach, describe, expect, it } from 'vitest';
import { formatHelmTemplateOutput, renderChart } from '../src/core/helm/render.js';
import type { RenderChartResult } from '../src/core/helm/render.js';
import { DigestCache } from '../src/core/digest-cache.js';
import { DOCUMENT_HEADS, forgetKeptRenders, TEMPLATE_TREES } from '../src/core/helm/render-cache.js';
import { renderTemplates } from '../src/core/helm/template/render.js';
import { chartData, HELM_FUNCTIONS } from './helm-template-harness.js';

const encoder = new TextEncoder();

function chart(files: Record<string, string>) {
  return { kind: 'directory' as const, root: 'web', source: 'deploy/web', files: Object.entries(files).map(([path, text]) => ({ path, bytes: encoder.encode(text) })) };
}

const WEB = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'values.yaml': 'replicas: 2\n',
  'templates/_helpers.tpl': '{{ define "web.name" }}{{ .Release.Name }}-web{{ end }}\n',
  'templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "web.name" . }}\nspec:\n  replicas: {{ .Values.replicas }}\n',
  'templates/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n',
};

function printed(result: RenderChartResult): string {
  if (!result.ok) throw new Error(result.error);
  return formatHelmTemplateOutput(result);
}

describe('what renders keep for the next render', () => {
  beforeEach(forgetKeptRenders);

  it('a second render of a chart parses no template and reads no head again, and prints the same', () => {
    const first = printed(renderChart(chart(WEB)));
    expect({ trees: TEMPLATE_TREES.misses, heads: DOCUMENT_HEADS.misses }).toEqual({ trees: 3, heads: 2 });
    const second = printed(renderChart(chart(WEB)));
    expect(second).toBe(first);
    expect({ trees: TEMPLATE_TREES.misses, heads: DOCUMENT_HEADS.misses }).toEqual({ trees: 3, heads: 2 });
    expect({ trees: TEMPLATE_TREES.hits, heads: DOCUMENT_HEADS.hits }).toEqual({ trees: 3, heads: 2 });
  });

  it('with other values, only the documents that changed are read again', () => {
    renderChart(chart(WEB));
    const other = printed(renderChart(chart(WEB), { set: ['replicas=3'] }));
    expect(other).toContain('replicas: 3');
    expect({ trees: TEMPLATE_TREES.misses, heads: DOCUMENT_HEADS.misses, headHits: DOCUMENT_HEADS.hits }).toEqual({ trees: 3, heads: 3, headHits: 1 });
  });

  it('a template changed in the chart is parsed again', () => {
    renderChart(chart(WEB));
    const edited = printed(renderChart(chart({ ...WEB, 'templates/_helpers.tpl': '{{ define "web.name" }}{{ .Release.Name }}-site{{ end }}\n' })));
    expect(edited).toContain('name: release-name-site');
    expect(TEMPLATE_TREES.misses).toBe(4);
  });

  it('a tree kept for one set of functions is not given to a render with another: the parse error stands', () => {
    const data = chartData(new Map());
    const templates = [{ name: 'app/templates/a.yaml', path: 'charts/app/templates/a.yaml', text: '{{ shout "hi" }}', data, basePath: 'app/templates' }];
    const shouting = new Map(HELM_FUNCTIONS).set('shout', HELM_FUNCTIONS.get('upper')!);
    expect(renderTemplates(templates, shouting).get('app/templates/a.yaml')!.text).toBe('HI');
    expect(() => renderTemplates(templates, HELM_FUNCTIONS)).toThrow('parse error at (app/templates/a.yaml:1): function "shout" not defined');
  });
});

describe('DigestCache', () => {
  it('keeps at most its units, the least recently used dropped first', () => {
    const cache = new DigestCache<string>(10);
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    expect(cache.get('a')).toBe('A');
    cache.set('c', 'C', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['A', undefined, 'C']);
    cache.set('huge', 'H', 11);
    expect(cache.get('huge')).toBeUndefined();
  });

  it('keys a text and what it depends on apart', () => {
    expect(DigestCache.keyOf('ab', 'c')).not.toBe(DigestCache.keyOf('a', 'bc'));
    expect(DigestCache.keyOf('ab', 'c')).toBe(DigestCache.keyOf('ab', 'c'));
  });
});
