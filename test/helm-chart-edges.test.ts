import { chartFiles as chart, configMap, describeChartsAgainstHelm } from './support/helm-charts.js';
import type { HelmChartCase } from './support/helm-charts.js';

/**
 * Corners of helm's chart handling, against real helm v4.1.4: aliases and parents, globals
 * through several levels, conditions and tags that are not booleans, values files of
 * several documents, .helmignore's rules one by one, how documents split, subchart errors.
 */

const valuesJson = configMap('values', '  values: {{ toJson .Values | quote }}');
const dump = (name: string) => configMap(name, '  values: {{ toJson .Values | quote }}\n  chart: {{ .Chart.Name }}\n  template: {{ .Template.Name }}');

const dependency = (name: string, extra = '') => `- name: ${name}\n  version: 0.1.0\n  repository: file://charts/${name}\n${extra}`;

const ignoreRules = ['*.log', 'build/', '/root.txt', 'docs/*.md', 'a?c.txt', '[xy].txt', 'dir/sub/', '  spaced.txt  '];
const ignoreProbes = ['app.log', 'build/out.txt', 'root.txt', 'deep/root.txt', 'docs/a.md', 'docs/deep/b.md', 'abc.txt', 'abbc.txt', 'x.txt', 'z.txt', 'dir/sub/f.txt', 'dir/f.txt', 'spaced.txt'];

const cases: HelmChartCase[] = [
  {
    name: 'alias-twice-with-grandchildren',
    files: {
      ...chart('app', { 'values.yaml': 'one:\n  greeting: hello\ntwo:\n  greeting: bye\n  leaf: {depth: 2}\n', 'templates/v.yaml': valuesJson }, `dependencies:\n${dependency('mid', '  alias: one\n')}${dependency('mid', '  alias: two\n')}`),
      ...chart('app/charts/mid', { 'values.yaml': 'greeting: none\n', 'templates/m.yaml': dump('{{ .Chart.Name }}-mid') }, `dependencies:\n${dependency('leaf')}`),
      ...chart('app/charts/mid/charts/leaf', { 'values.yaml': 'depth: 1\n', 'templates/l.yaml': dump('{{ .Template.BasePath | replace "/" "-" }}') }),
    },
    args: ['app'],
  },
  {
    name: 'globals-three-levels',
    files: {
      ...chart('app', { 'values.yaml': 'global:\n  env: prod\n  images: {registry: r1, pull: Always}\nsub:\n  global:\n    images: {registry: r2}\n', 'templates/v.yaml': valuesJson }),
      ...chart('app/charts/sub', { 'values.yaml': 'global:\n  env: dev\n  own: sub\n', 'templates/s.yaml': dump('sub') }),
      ...chart('app/charts/sub/charts/leaf', { 'values.yaml': 'global:\n  images: {tag: latest}\n', 'templates/l.yaml': dump('leaf') }),
    },
    args: ['app', '--set', 'global.images.pull=Never,sub.leaf.x=1'],
  },
  {
    name: 'conditions-and-tags-not-booleans',
    files: {
      ...chart(
        'app',
        { 'values.yaml': 'tags:\n  t: "yes"\na:\n  enabled: "false"\nb:\n  enabled: {deep: true}\nc:\n  enabled: false\n', 'templates/v.yaml': configMap('app', '  subcharts: {{ keys .Subcharts | sortAlpha | join "," | quote }}') },
        `dependencies:\n${dependency('a', '  condition: a.enabled\n  tags: [t]\n')}${dependency('b', '  condition: b.enabled,c.enabled\n')}${dependency('c', '  condition: " c.enabled"\n')}`,
      ),
      ...chart('app/charts/a'),
      ...chart('app/charts/b'),
      ...chart('app/charts/c'),
    },
    args: ['app'],
  },
  {
    name: 'condition-from-subchart-defaults',
    files: {
      ...chart('app', { 'templates/v.yaml': configMap('app', '  subcharts: {{ keys .Subcharts | sortAlpha | join "," | quote }}') }, `dependencies:\n${dependency('sub', '  condition: sub.enabled\n')}`),
      ...chart('app/charts/sub', { 'values.yaml': 'enabled: false\n', 'templates/s.yaml': dump('sub') }),
    },
    args: ['app'],
  },
  {
    name: 'subchart-values-null',
    files: { ...chart('app', { 'values.yaml': 'sub: null\n', 'templates/v.yaml': valuesJson }), ...chart('app/charts/sub', { 'values.yaml': 'x: 1\n' }) },
    args: ['app'],
  },
  {
    name: 'subchart-values-nulled-by-user',
    files: { ...chart('app', { 'values.yaml': 'sub:\n  first: 2\n', 'templates/v.yaml': valuesJson }), ...chart('app/charts/sub', { 'values.yaml': 'first: 1\nsecond: 1\n', 'templates/s.yaml': dump('sub') }) },
    args: ['app', '--set', 'sub.second=null'],
  },
  {
    name: 'subcharts-seen-from-the-parent',
    files: {
      ...chart('app', { 'templates/v.yaml': configMap('app', '  sub: "{{ .Subcharts.sub.Values.x }} {{ .Subcharts.sub.Chart.Name }} {{ .Subcharts.sub.Chart.IsRoot }}"') }),
      ...chart('app/charts/sub', { 'values.yaml': 'x: 7\n' }),
    },
    args: ['app'],
  },
  {
    name: 'values-yaml-documents',
    files: chart('app', { 'values.yaml': 'a: 1\nb: {c: 1}\n---\n# a comment only\n---\nb: {d: 2}\na: 3\n--- # trailing comment\ne: null\n', 'templates/v.yaml': valuesJson }),
    args: ['app'],
  },
  {
    name: 'values-yaml-bad-separator',
    files: chart('app', { 'values.yaml': 'a: 1\n--- b: 2\n', 'templates/v.yaml': valuesJson }),
    args: ['app'],
  },
  {
    // YAML 1.1 reads the key `off` as false: helm names that subchart "false".
    name: 'yaml-booleans-as-chart-names',
    files: {
      ...chart('app', { 'values.yaml': 'off:\n  enabled: false\n' }, `dependencies:\n${dependency('off', '  condition: off.enabled\n')}`),
      ...chart('app/charts/off', { 'templates/off.yaml': configMap('off', '  name: {{ .Chart.Name | quote }}') }),
    },
    args: ['app'],
  },
  {
    name: 'helmignore-rules',
    files: chart('app', {
      '.helmignore': `${ignoreRules.join('\n')}\n`,
      ...Object.fromEntries(ignoreProbes.map((path) => [path, path])),
      'templates/probe.yaml': configMap('probe', ignoreProbes.map((path) => `  ${path.replaceAll('/', '_')}: {{ .Files.Get "${path}" | quote }}`).join('\n')),
    }),
    args: ['app'],
  },
  { name: 'helmignore-double-star', files: chart('app', { '.helmignore': 'docs/**\n', 'templates/v.yaml': valuesJson }), args: ['app'] },
  { name: 'helmignore-bad-pattern', files: chart('app', { '.helmignore': 'a[\n', 'templates/v.yaml': valuesJson }), args: ['app'] },
  {
    name: 'document-splitting',
    files: chart('app', {
      'templates/docs.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: glued\n  \n---\t\n\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n...\n',
      'templates/leading.yaml': '---\n---\n# leading\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n',
    }),
    args: ['app'],
  },
  { name: 'document-is-a-scalar', files: chart('app', { 'templates/text.yaml': 'just some text\n' }), args: ['app'] },
  { name: 'document-kind-not-a-string', files: chart('app', { 'templates/k.yaml': 'apiVersion: v1\nkind: [ConfigMap]\n' }), args: ['app'] },
  { name: 'document-numbers-as-strings', files: chart('app', { 'templates/k.yaml': 'apiVersion: 1\nkind: 2.50\nmetadata:\n  name: 3\n  annotations:\n    helm.sh/hook-weight: 5\n    helm.sh/hook: test\n' }), args: ['app'] },
  { name: 'subchart-error-wrapped-twice', files: { ...chart('app'), ...chart('app/charts/mid'), 'app/charts/mid/charts/bad/Chart.yaml': 'apiVersion: v2\nname: bad\n' }, args: ['app'] },
  { name: 'subchart-tgz-directory', files: { ...chart('app'), 'app/charts/db.tgz/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 0.1.0\n' }, args: ['app'] },
  {
    name: 'disabled-subchart-crds',
    files: {
      ...chart('app', { 'values.yaml': 'disabled:\n  enabled: false\n' }, `dependencies:\n${dependency('disabled', '  condition: disabled.enabled\n')}${dependency('kept')}`),
      ...chart('app/charts/disabled', { 'crds/off.yaml': 'kind: CustomResourceDefinition\nmetadata: {name: disabled}\n' }),
      ...chart('app/charts/kept', { 'crds/on.yaml': 'kind: CustomResourceDefinition\nmetadata: {name: kept}\n' }),
    },
    args: ['app', '--include-crds'],
  },
  {
    name: 'notes-and-hooks-only',
    files: chart('app', { 'templates/NOTES.txt': 'notes', 'templates/hook.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test-success\n' }),
    args: ['app'],
  },
];

describeChartsAgainstHelm('meshready template, corners of chart handling, as helm template v4.1.4', 'edges', cases);
