import { describe, expect, it } from 'vitest';
import type { Origin, TracedText } from '../src/core/helm/origins.js';
import { concatTraced, renderTemplates, replaceAllTraced, sliceTraced, tracedAs } from '../src/core/helm/template/index.js';
import { readValues } from '../src/core/helm/yaml/index.js';
import { chartData, HELM_FUNCTIONS } from './helm-template-harness.js';

/**
 * Origin tracing: a chart in (templates and values.yaml), and for chosen characters of the
 * output, where they came from: `kind file:line "source text"`.
 */

const VALUES_PATH = 'deploy/app/values.yaml';

interface Chart {
  templates: Record<string, string>;
  values?: string;
}

function render(chart: Chart, name = 'main.yaml'): { output: TracedText; sources: Map<string, string> } {
  const data = chartData(readValues(chart.values ?? '', VALUES_PATH));
  const sources = new Map<string, string>([[VALUES_PATH, chart.values ?? '']]);
  const templates = Object.entries(chart.templates).map(([file, text]) => {
    sources.set(`deploy/app/templates/${file}`, text);
    return { name: `app/templates/${file}`, path: `deploy/app/templates/${file}`, text, data, basePath: 'app/templates' };
  });
  const output = renderTemplates(templates, HELM_FUNCTIONS).get(`app/templates/${name}`)!;
  checkSpans(output, sources);
  return { output, sources };
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Every character covered once, in order; template text is the file's text; a verbatim value is the node's text. */
function checkSpans(output: TracedText, sources: Map<string, string>): void {
  let covered = 0;
  for (const span of output.spans) {
    expect(span.start).toBe(covered);
    expect(span.end).toBeGreaterThan(span.start);
    covered = span.end;
    const piece = output.text.slice(span.start, span.end);
    const { origin } = span;
    const source = sources.get(origin.file)!;
    expect(source).toBeDefined();
    if (origin.type === 'text') expect(source.slice(origin.start, origin.start + piece.length)).toBe(piece);
    if (origin.type === 'value' && origin.verbatim) expect(source.slice(origin.start, origin.end)).toBe(piece);
    if (origin.type === 'action') expect(source.slice(origin.start, origin.end)).toMatch(/^\{\{[\s\S]*\}\}$/);
  }
  expect(covered).toBe(output.text.length);
}

function describeOrigin(origin: Origin, sources: Map<string, string>, length: number): string {
  const source = sources.get(origin.file)!;
  const file = origin.file.replace('deploy/app/', '');
  const end = origin.type === 'text' ? origin.start + length : origin.end;
  const verbatim = origin.type === 'value' ? (origin.verbatim ? ' verbatim' : '') : '';
  return `${origin.type}${verbatim} ${file}:${lineOf(source, origin.start)} ${JSON.stringify(source.slice(origin.start, end))}`;
}

/** The origins of the `occurrence`-th `needle` of the output, one description per span it touches. */
function originsOf(rendered: { output: TracedText; sources: Map<string, string> }, needle: string, occurrence = 1): string[] {
  const { output, sources } = rendered;
  let at = -1;
  for (let count = 0; count < occurrence; count++) {
    at = output.text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`${JSON.stringify(needle)} not in ${JSON.stringify(output.text)}`);
  }
  const end = at + needle.length;
  return output.spans
    .filter((span) => span.end > at && span.start < end)
    .map((span) => {
      const from = Math.max(span.start, at);
      const to = Math.min(span.end, end);
      const origin = span.origin.type === 'text' ? { ...span.origin, start: span.origin.start + (from - span.start) } : span.origin;
      return describeOrigin(origin, sources, to - from);
    });
}

const VALUES = `image:
  repository: nginx
  tag: "1.25"
uid: 1337
big: 100000000
podSecurityContext:
  runAsUser: 1000
  runAsNonRoot: true
ports:
  - 80
  - 443
labels:
  team: mesh
  tier: web
greeting: "hello {{ .Values.image.repository }}!"
enabled: yes
`;

describe('origins of rendered text', () => {
  it('points a printed value at its values node, and literal text at the template', () => {
    const rendered = render({ templates: { 'main.yaml': 'spec:\n  runAsUser: {{ .Values.uid }}\n' }, values: VALUES });
    expect(rendered.output.text).toBe('spec:\n  runAsUser: 1337\n');
    expect(originsOf(rendered, '1337')).toEqual(['value verbatim values.yaml:4 "1337"']);
    expect(originsOf(rendered, 'runAsUser: ')).toEqual(['text templates/main.yaml:2 "runAsUser: "']);
  });

  it('keeps template text exact around trim markers and comments', () => {
    const template = 'a:\n{{- if .Values.uid }}\n  b: c   {{- /* gone */ -}}   \n  d: {{ .Values.big -}}\n  e\n{{- end }}\n';
    const rendered = render({ templates: { 'main.yaml': template }, values: VALUES });
    expect(rendered.output.text).toBe('a:\n  b: cd: 1e+08e\n');
    expect(originsOf(rendered, 'b: c')).toEqual(['text templates/main.yaml:3 "b: c"']);
    expect(originsOf(rendered, 'e\n')).toEqual(['text templates/main.yaml:5 "e"', 'text templates/main.yaml:6 "\\n"']);
    // Go reformats the float: the node, not verbatim.
    expect(originsOf(rendered, '1e+08')).toEqual(['value values.yaml:5 "100000000"']);
  });

  it('counts offsets in UTF-16 units after non-ASCII text', () => {
    const rendered = render({ templates: { 'main.yaml': 'é😀: {{ .Values.uid }} ü\n' }, values: VALUES });
    expect(originsOf(rendered, ' ü')).toEqual(['text templates/main.yaml:1 " ü"']);
    expect(originsOf(rendered, '1337')).toEqual(['value verbatim values.yaml:4 "1337"']);
  });

  it('gives computed text the action: a missing value defaulted, a comparison', () => {
    const rendered = render({ templates: { 'main.yaml': 'a: {{ .Values.missing | default "fallback" }}\nb: {{ eq .Values.uid 1337.0 }}\n' }, values: VALUES });
    expect(originsOf(rendered, 'fallback')).toEqual(['action templates/main.yaml:1 "{{ .Values.missing | default \\"fallback\\" }}"']);
    expect(originsOf(rendered, 'true')).toEqual(['action templates/main.yaml:2 "{{ eq .Values.uid 1337.0 }}"']);
  });

  it('passes a value through default, required, coalesce, ternary and toString', () => {
    const template = [
      'a: {{ .Values.image.repository | default "x" }}',
      'b: {{ required "need it" .Values.uid }}',
      'c: {{ coalesce .Values.missing .Values.image.tag }}',
      'd: {{ ternary .Values.image.repository "other" true }}',
      'e: {{ toString .Values.uid }}',
      '',
    ].join('\n');
    const rendered = render({ templates: { 'main.yaml': template }, values: VALUES });
    expect(rendered.output.text).toBe('a: nginx\nb: 1337\nc: 1.25\nd: nginx\ne: 1337\n');
    expect(originsOf(rendered, 'nginx', 1)).toEqual(['value verbatim values.yaml:2 "nginx"']);
    expect(originsOf(rendered, '1337', 1)).toEqual(['value verbatim values.yaml:4 "1337"']);
    // The tag is quoted in values.yaml: its text is not the node's.
    expect(originsOf(rendered, '1.25')).toEqual(['value values.yaml:3 "\\"1.25\\""']);
    expect(originsOf(rendered, 'nginx', 2)).toEqual(['value verbatim values.yaml:2 "nginx"']);
    expect(originsOf(rendered, '1337', 2)).toEqual(['value verbatim values.yaml:4 "1337"']);
  });

  it('finds quoted and formatted values inside the result: quote, printf, trimSuffix', () => {
    const template = 'a: {{ .Values.image.repository | quote }}\nb: {{ printf "%s:%v" .Values.image.repository .Values.uid }}\nc: {{ .Values.image.repository | trimSuffix "x" | trimPrefix "ng" }}\n';
    const rendered = render({ templates: { 'main.yaml': template }, values: VALUES });
    expect(rendered.output.text).toBe('a: "nginx"\nb: nginx:1337\nc: in\n');
    expect(originsOf(rendered, '"nginx"')).toEqual([
      'action templates/main.yaml:1 "{{ .Values.image.repository | quote }}"',
      'value verbatim values.yaml:2 "nginx"',
      'action templates/main.yaml:1 "{{ .Values.image.repository | quote }}"',
    ]);
    expect(originsOf(rendered, 'nginx:1337')).toEqual([
      'value verbatim values.yaml:2 "nginx"',
      'action templates/main.yaml:2 "{{ printf \\"%s:%v\\" .Values.image.repository .Values.uid }}"',
      'value verbatim values.yaml:4 "1337"',
    ]);
    // A piece of the node's text is the node, not verbatim.
    expect(originsOf(rendered, 'in\n')).toEqual(['value values.yaml:2 "nginx"', 'text templates/main.yaml:3 "\\n"']);
  });

  it('points each line of toYaml | nindent at its values line, the indentation at the action', () => {
    const rendered = render({ templates: { 'main.yaml': 'spec:\n  securityContext: {{- toYaml .Values.podSecurityContext | nindent 4 }}\n' }, values: VALUES });
    expect(rendered.output.text).toBe('spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 1000\n');
    expect(originsOf(rendered, 'runAsNonRoot')).toEqual(['value verbatim values.yaml:8 "runAsNonRoot"']);
    expect(originsOf(rendered, 'true')).toEqual(['value verbatim values.yaml:8 "true"']);
    expect(originsOf(rendered, '1000')).toEqual(['value verbatim values.yaml:7 "1000"']);
    expect(originsOf(rendered, '\n    runAsUser')).toEqual([
      'action templates/main.yaml:2 "{{- toYaml .Values.podSecurityContext | nindent 4 }}"',
      'value verbatim values.yaml:7 "runAsUser"',
    ]);
  });

  it("points include's output into the helper, through nindent", () => {
    const helpers = '{{- define "app.labels" -}}\napp.kubernetes.io/name: {{ .Values.image.repository }}\nteam: {{ .Values.labels.team }}\n{{- end }}\n';
    const rendered = render({ templates: { 'main.yaml': 'metadata:\n  labels: {{- include "app.labels" . | nindent 4 }}\n', '_helpers.tpl': helpers }, values: VALUES });
    expect(rendered.output.text).toBe('metadata:\n  labels:\n    app.kubernetes.io/name: nginx\n    team: mesh\n');
    expect(originsOf(rendered, 'app.kubernetes.io/name: ')).toEqual(['text templates/_helpers.tpl:2 "app.kubernetes.io/name: "']);
    expect(originsOf(rendered, 'nginx')).toEqual(['value verbatim values.yaml:2 "nginx"']);
    expect(originsOf(rendered, 'team: ')).toEqual(['text templates/_helpers.tpl:3 "team: "']);
    expect(originsOf(rendered, 'mesh')).toEqual(['value verbatim values.yaml:13 "mesh"']);
    expect(originsOf(rendered, '    team')).toEqual(['action templates/main.yaml:2 "{{- include \\"app.labels\\" . | nindent 4 }}"', 'text templates/_helpers.tpl:3 "team"']);
  });

  it('points a template call into the defining file', () => {
    const rendered = render({ templates: { 'main.yaml': 'a: {{ template "app.name" . }}\n', '_helpers.tpl': '{{ define "app.name" }}name-{{ .Values.uid }}{{ end }}' }, values: VALUES });
    expect(rendered.output.text).toBe('a: name-1337\n');
    expect(originsOf(rendered, 'name-')).toEqual(['text templates/_helpers.tpl:1 "name-"']);
    expect(originsOf(rendered, '1337')).toEqual(['value verbatim values.yaml:4 "1337"']);
  });

  it("points tpl's text at the values string it rendered", () => {
    const rendered = render({ templates: { 'main.yaml': 'msg: {{ tpl .Values.greeting . }}\n' }, values: VALUES });
    expect(rendered.output.text).toBe('msg: hello nginx!\n');
    expect(originsOf(rendered, 'hello ')).toEqual(['value values.yaml:15 "\\"hello {{ .Values.image.repository }}!\\""']);
    expect(originsOf(rendered, 'nginx')).toEqual(['value verbatim values.yaml:2 "nginx"']);
    expect(originsOf(rendered, '!')).toEqual(['value values.yaml:15 "\\"hello {{ .Values.image.repository }}!\\""']);
  });

  it("points tpl's text at a template literal it rendered, through include", () => {
    const template = '{{- define "app.tpl" }}x-{{ .Values.uid }}{{ end -}}\nmsg: {{ tpl (include "app.tpl" .) . }}\n';
    const rendered = render({ templates: { 'main.yaml': template }, values: VALUES });
    expect(rendered.output.text).toBe('msg: x-1337\n');
    expect(originsOf(rendered, 'x-')).toEqual(['text templates/main.yaml:1 "x-"']);
    expect(originsOf(rendered, '1337')).toEqual(['value verbatim values.yaml:4 "1337"']);
  });

  it('points range elements, map keys and variables at their nodes', () => {
    const template = 'ports:\n{{- range .Values.ports }}\n  - {{ . }}\n{{- end }}\nlabels:\n{{- range $k, $v := .Values.labels }}\n  {{ $k }}: {{ $v }}\n{{- end }}\n{{- $u := .Values.uid }}\nuid: {{ $u }}\n';
    const rendered = render({ templates: { 'main.yaml': template }, values: VALUES });
    expect(rendered.output.text).toBe('ports:\n  - 80\n  - 443\nlabels:\n  team: mesh\n  tier: web\nuid: 1337\n');
    expect(originsOf(rendered, '80')).toEqual(['value verbatim values.yaml:10 "80"']);
    expect(originsOf(rendered, '443')).toEqual(['value verbatim values.yaml:11 "443"']);
    expect(originsOf(rendered, 'tier')).toEqual(['value verbatim values.yaml:14 "tier"']);
    expect(originsOf(rendered, 'web')).toEqual(['value verbatim values.yaml:14 "web"']);
    expect(originsOf(rendered, '1337')).toEqual(['value verbatim values.yaml:4 "1337"']);
    expect(originsOf(rendered, '  - ', 2)).toEqual(['text templates/main.yaml:3 "  - "']);
  });

  it('keeps origins right where "<no value>" was removed', () => {
    const rendered = render({ templates: { 'main.yaml': 'a: [{{ .Values.missing }}] b: {{ .Values.uid }}\n' }, values: VALUES });
    expect(rendered.output.text).toBe('a: [] b: 1337\n');
    expect(originsOf(rendered, '] b: ')).toEqual(['text templates/main.yaml:1 "] b: "']);
    expect(originsOf(rendered, '1337')).toEqual(['value verbatim values.yaml:4 "1337"']);
  });

  it('shows YAML 1.1 values as Helm reads them, with their node', () => {
    const rendered = render({ templates: { 'main.yaml': 'enabled: {{ .Values.enabled }}\n' }, values: VALUES });
    expect(rendered.output.text).toBe('enabled: true\n');
    expect(originsOf(rendered, 'true')).toEqual(['value values.yaml:16 "yes"']);
  });

  it('points an element a function picks from a list or map at its node: first, last, get', () => {
    const rendered = render({ templates: { 'main.yaml': 'a: {{ first .Values.ports }} b: {{ last .Values.ports }} c: {{ get .Values.labels "tier" }}\n' }, values: VALUES });
    expect(rendered.output.text).toBe('a: 80 b: 443 c: web\n');
    expect(originsOf(rendered, '80')).toEqual(['value verbatim values.yaml:10 "80"']);
    expect(originsOf(rendered, '443')).toEqual(['value verbatim values.yaml:11 "443"']);
    expect(originsOf(rendered, 'web')).toEqual(['value verbatim values.yaml:14 "web"']);
  });

  it('points a lookup by index at the element', () => {
    const rendered = render({ templates: { 'main.yaml': 'p: {{ index .Values.ports 1 }} t: {{ index .Values "labels" "team" }}\n' }, values: VALUES });
    expect(originsOf(rendered, '443')).toEqual(['value verbatim values.yaml:11 "443"']);
    expect(originsOf(rendered, 'mesh')).toEqual(['value verbatim values.yaml:13 "mesh"']);
  });
});

describe('traced text utilities', () => {
  const template = (start: number): Origin => ({ type: 'text', file: 't.yaml', start });
  const value: Origin = { type: 'value', file: 'v.yaml', start: 10, end: 15, verbatim: true };
  const traced = concatTraced(tracedAs('ab: ', template(0)), tracedAs('nginx', value), tracedAs('\n', template(4)));

  it('concatenates, shifting the spans', () => {
    expect(traced.text).toBe('ab: nginx\n');
    expect(traced.spans.map((span) => [span.start, span.end])).toEqual([
      [0, 4],
      [4, 9],
      [9, 10],
    ]);
  });

  it('slices: template text moves with the slice, a piece of a value is no longer verbatim', () => {
    expect(sliceTraced(traced, 1, 6)).toEqual({
      text: 'b: ng',
      spans: [
        { start: 0, end: 3, origin: template(1) },
        { start: 3, end: 5, origin: { ...value, verbatim: false } },
      ],
    });
    expect(sliceTraced(traced, 4, 9).spans).toEqual([{ start: 0, end: 5, origin: value }]);
  });

  it('replaces every occurrence, the rest keeping its origins', () => {
    const replaced = replaceAllTraced(traced, 'nginx', 'x', template(99));
    expect(replaced.text).toBe('ab: x\n');
    expect(replaced.spans).toEqual([
      { start: 0, end: 4, origin: template(0) },
      { start: 4, end: 5, origin: template(99) },
      { start: 5, end: 6, origin: template(4) },
    ]);
    expect(replaceAllTraced(traced, 'absent', '')).toBe(traced);
  });
});
