import { chartFiles, configMap, describeChartsAgainstHelm } from './support/helm-charts.js';
import type { HelmChartCase } from './support/helm-charts.js';

/**
 * Whole charts rendered by `meshready template` and by real helm v4.1.4, compared byte for
 * byte (stdout, and the error helm prints): loading, values, dependencies, schema, files,
 * capabilities, hooks, CRDs and install order.
 */

const chart = chartFiles;
const valuesJson = configMap('values', '  values: {{ toJson .Values | quote }}');

const cases: HelmChartCase[] = [
  {
    name: 'install-order',
    files: chart('app', {
      'templates/all.yaml': [
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: s',
        '# only a comment',
        '',
        'apiVersion: example.com/v1\nkind: Zebra\nmetadata:\n  name: z',
        'apiVersion: example.com/v1\nkind: Aardvark\nmetadata:\n  name: a',
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns',
      ].join('\n---\n'),
      'templates/cm.yaml': '\n\n---\n' + configMap('cm', '  a: "1"') + '---   \n\n',
      'templates/blank.yaml': '{{/* nothing */}}\n   \n',
      'templates/_helpers.tpl': '{{ define "app.name" }}app{{ end }}',
      'templates/NOTES.txt': 'Thanks for installing {{ .Chart.Name }}',
    }),
    args: ['app'],
  },
  {
    name: 'release-and-chart',
    files: chart(
      'app',
      {
        'templates/cm.yaml': configMap(
          'rel',
          '  release: {{ toJson .Release | quote }}\n  chart: {{ toJson .Chart | quote }}\n  template: {{ toJson .Template | quote }}\n  subcharts: {{ toJson .Subcharts | quote }}',
        ),
      },
      'appVersion: 1.10\ndescription: "a\\tchart"\nkeywords: [a, 2]\nmaintainers:\n- name: me\n  email: me@example.com\nannotations:\n  x: 1\n',
    ),
    args: ['shop', 'app', '-n', 'store', '--is-upgrade'],
  },
  {
    name: 'values-files-and-sets',
    files: {
      ...chart('app', { 'values.yaml': 'a: 1\nb:\n  c: 2\n  d: [1, 2]\nkeep: yes\ndrop: x\nlist: [x]\n', 'templates/v.yaml': valuesJson }),
      'one.yaml': 'b:\n  c: 3\ndrop: null\nextra: {x: 1}\n---\nsecond: doc\n',
      'two.yaml': 'b:\n  e: 4\nextra: null\n',
      'file.txt': 'from a file\n',
    },
    args: [
      'app',
      '-f',
      'one.yaml,two.yaml',
      '--set',
      'n=10,f=1.5,t=true,z=0,o=007,big=99999999999999999999,nul=null,s=x\\,y',
      '--set',
      'list[2]=third,arr={a,b,c},nested.k[0].v=1,dotted\\.key=1',
      '--set-string',
      'str=10,strbool=true',
      '--set-json',
      'j={"a":[1,2],"b":null},jn=5',
      '--set-json',
      '{"top":{"x":1}}',
      '--set-literal',
      'lit=a,b=c{d}',
      '--set-file',
      'content=file.txt',
    ],
  },
  {
    name: 'set-lists-and-escapes',
    files: chart('app', { 'values.yaml': 'list: [a, b, c]\nmaps: [{x: 1}]\n', 'templates/v.yaml': valuesJson }),
    args: [
      'app',
      '--set',
      'list[1]=B,grid[1][2]=x,grid[0][0]=y,maps[0].y=2,maps[2].z=3,objs[0].a=1,objs[0].b=2',
      '--set',
      'path=C:\\\\dir,eq=a\\=b,brackets=x[0],uni=héllo,quote="q",empty=,neg=-5,plus=+7,sci=1e3',
      '--set-literal',
      'raw={a,b}\\n',
      '--set-literal',
      'deep.list[1]=x',
      '--set-json',
      'jl[1]={"k":true},js="text"',
      '--set-string',
      'sl[0]=1,sm.n=null',
    ],
  },
  { name: 'set-negative-index', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a[-1]=x'] },
  { name: 'set-index-too-big', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a[65537]=x'] },
  { name: 'set-list-over-scalar', files: chart('app', { 'values.yaml': 'a: text\n', 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a[0]=x'] },
  { name: 'set-data-after-index', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a[0]x=1'] },
  { name: 'set-too-deep', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', `${Array.from({ length: 32 }, (_, i) => `k${i}`).join('.')}=1`] },
  { name: 'set-json-object-bad', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set-json', '{"a": }'] },
  { name: 'set-no-value', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a'] },
  { name: 'set-trailing-comma', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a=1,'] },
  { name: 'set-empty-map', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a.'] },
  { name: 'set-bad-index', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a[x]=1'] },
  { name: 'set-type-clash', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a=1', '--set', 'a.b=2'] },
  { name: 'set-unfinished-index', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a[1'] },
  { name: 'set-list-unterminated', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set', 'a={1,2'] },
  { name: 'set-json-bad', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set-json', 'a=foo'] },
  { name: 'set-file-missing', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--set-file', 'a=nofile.txt'] },
  { name: 'values-file-missing', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '-f', 'missing.yaml'] },
  { name: 'values-file-bad-yaml', files: { ...chart('app', { 'templates/v.yaml': valuesJson }), 'bad.yaml': 'a: [\n' }, args: ['app', '-f', 'bad.yaml'] },
  { name: 'values-file-not-a-map', files: { ...chart('app', { 'templates/v.yaml': valuesJson }), 'list.yaml': '- a\n' }, args: ['app', '-f', 'list.yaml'] },
  {
    name: 'null-deletes-defaults',
    files: {
      ...chart('app', { 'values.yaml': 'a:\n  b: 1\n  c: 2\nd: 3\nempty: null\n', 'templates/v.yaml': valuesJson }),
      'over.yaml': 'a:\n  b: null\nd: null\nnew: null\n',
    },
    args: ['app', '-f', 'over.yaml'],
  },
  {
    name: 'subchart-directories-and-globals',
    files: {
      ...chart('app', {
        'values.yaml': 'global:\n  region: eu\n  tags: {a: 1}\nsub:\n  replicas: 3\n  global: {local: x}\nown: 1\n',
        'templates/v.yaml': valuesJson,
      }),
      ...chart('app/charts/sub', {
        'values.yaml': 'replicas: 1\nimage: nginx\nglobal:\n  region: us\n  tags: {b: 2}\n',
        'templates/v.yaml': configMap('sub', '  values: {{ toJson .Values | quote }}\n  chart: {{ .Chart.Name }} {{ .Chart.IsRoot }}\n  parent-can-not-see: {{ .Values.own | default "none" }}'),
      }),
      ...chart('app/charts/sub/charts/deep', { 'values.yaml': 'level: 3\n', 'templates/v.yaml': configMap('deep', '  values: {{ toJson .Values | quote }}\n  template: {{ .Template.Name }} {{ .Template.BasePath }}') }),
    },
    args: ['app', '--set', 'global.fromSet=1,sub.deep.level=4'],
  },
  {
    name: 'subchart-archives-nested',
    files: {
      ...chart('app', { 'templates/v.yaml': valuesJson, 'values.yaml': 'db:\n  size: 10\n' }),
      'app/charts/db-1.2.0.tgz': {
        tgz: {
          ...chart('db', { 'values.yaml': 'size: 1\n', 'templates/db.yaml': configMap('db', '  size: {{ .Values.size | quote }}\n  cache: {{ toJson .Values.cache | quote }}'), 'files/a.txt': 'in an archive\n' }, 'version: 1.2.0\n'),
          'db/charts/cache-0.1.0.tgz': { tgz: chart('cache', { 'values.yaml': 'ttl: 60\n', 'templates/c.yaml': configMap('cache', '  ttl: {{ .Values.ttl | quote }}\n  file: {{ .Files.Get "notes.txt" | quote }}'), 'notes.txt': 'cache notes' }) },
        },
      },
    },
    args: ['app'],
  },
  {
    name: 'dependencies-conditions-tags-aliases',
    files: {
      ...chart(
        'app',
        {
          'values.yaml': 'tags:\n  front: false\n  back: true\nweb:\n  enabled: false\napi:\n  on: true\nsecond: {name: two}\n',
          'templates/v.yaml': configMap('app', '  deps: {{ toJson .Chart.Dependencies | quote }}\n  subcharts: {{ keys .Subcharts | sortAlpha | toJson | quote }}'),
        },
        [
          'dependencies:',
          '- name: web',
          '  version: 0.1.0',
          '  repository: file://charts/web',
          '  condition: web.enabled',
          '- name: api',
          '  version: ">=0.1.0"',
          '  repository: file://charts/api',
          '  condition: missing.path,api.on',
          '  tags: [front]',
          '- name: worker',
          '  version: ~0.1',
          '  repository: file://charts/worker',
          '  tags: [front, back]',
          '- name: worker',
          '  alias: second',
          '  version: 0.1.x',
          '  repository: file://charts/worker',
          '- name: lonely',
          '  version: 0.1.0',
          '  repository: file://charts/lonely',
          '  tags: [front]',
          '  enabled: true',
          '- name: old',
          '  version: ^2.0.0',
          '  repository: file://charts/old',
        ].join('\n') + '\n',
      ),
      ...chart('app/charts/web', { 'templates/w.yaml': configMap('web', '  on: "yes"') }),
      ...chart('app/charts/api', { 'templates/a.yaml': configMap('api', '  on: "yes"') }),
      ...chart('app/charts/worker', { 'values.yaml': 'name: one\n', 'templates/w.yaml': configMap('{{ .Chart.Name }}-{{ .Values.name }}', '  chart: {{ toJson .Chart | quote }}') }),
      ...chart('app/charts/lonely', { 'templates/l.yaml': configMap('lonely', '  on: "yes"') }),
      ...chart('app/charts/old', { 'templates/o.yaml': configMap('old', '  on: "yes"') }),
      ...chart('app/charts/undeclared', { 'templates/u.yaml': configMap('undeclared', '  on: "yes"') }),
    },
    args: ['app'],
  },
  {
    name: 'import-values',
    files: {
      ...chart(
        'app',
        { 'values.yaml': 'fromChild:\n  own: parent\ndefaults:\n  b: parent\n', 'templates/v.yaml': valuesJson },
        [
          'dependencies:',
          '- name: child',
          '  version: 0.1.0',
          '  repository: file://charts/child',
          '  import-values:',
          '  - data',
          '  - child: config',
          '    parent: fromChild',
          '  - child: nested.deep',
          '    parent: defaults',
          '  - missing',
        ].join('\n') + '\n',
      ),
      ...chart('app/charts/child', {
        'values.yaml': 'exports:\n  data:\n    exported: 1\n    shared: child\nconfig:\n  own: child\n  extra: 2\nnested:\n  deep: {a: child, b: child}\n',
        'templates/c.yaml': configMap('child', '  chart: {{ toJson .Chart.Name | quote }}'),
      }),
    },
    args: ['app'],
  },
  {
    name: 'missing-dependency',
    files: chart('app', { 'templates/v.yaml': valuesJson }, 'dependencies:\n- name: db\n  version: 1.0.0\n  repository: https://example.com\n- name: cache\n  version: 1.0.0\n  repository: https://example.com\n'),
    args: ['app'],
  },
  {
    name: 'dependency-without-version',
    files: { ...chart('app', { 'templates/v.yaml': valuesJson }, 'dependencies:\n- name: sub\n  repository: file://charts/sub\n'), ...chart('app/charts/sub', { 'templates/s.yaml': configMap('sub', '  on: "yes"') }) },
    args: ['app'],
  },
  {
    name: 'subchart-values-not-a-map',
    files: { ...chart('app', { 'values.yaml': 'sub: text\n', 'templates/v.yaml': valuesJson }), ...chart('app/charts/sub', { 'templates/s.yaml': configMap('sub', '  on: "yes"') }) },
    args: ['app'],
  },
  {
    // A render reads a text fromYaml read before once (istio-base reads each CRD twice): each call's value is its own still.
    name: 'from-yaml-twice',
    files: chart('app', {
      'templates/cm.yaml': configMap('twice', '  a: "{{ $a := fromYaml "x: 1" }}{{ $_ := set $a "x" 2 }}{{ $a.x }}"\n  b: "{{ $b := fromYaml "x: 1" }}{{ $b.x }}"'),
    }),
    args: ['app'],
  },
];

describeChartsAgainstHelm('meshready template renders charts as helm template v4.1.4 does', 'render', cases);
