import { chartFiles as chart, configMap, describeChartsAgainstHelm } from './support/helm-charts.js';
import type { HelmChartCase } from './support/helm-charts.js';

/**
 * The parts of a chart beyond values, against real helm v4.1.4 byte for byte: the values
 * schema (helm 4's jsonschema messages), .Files and .helmignore, Capabilities and their
 * flags, hooks, CRDs, library charts, apiVersion v1 charts, archives, and helm's errors.
 */

const valuesJson = configMap('values', '  values: {{ toJson .Values | quote }}');

const schema = (text: object) => JSON.stringify(text, null, 2);

const cases: HelmChartCase[] = [
  {
    name: 'schema-passes',
    files: chart('app', {
      'values.yaml': 'replicas: 2\nname: web\n',
      'values.schema.json': schema({ type: 'object', properties: { replicas: { type: 'integer', minimum: 1 }, name: { type: 'string' } }, required: ['name'] }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    name: 'schema-type-and-required',
    files: chart('app', {
      'values.yaml': 'replicas: 2\n',
      'values.schema.json': schema({ type: 'object', properties: { replicas: { type: 'integer' } }, required: ['name', 'image'] }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app', '--set', 'replicas=two'],
  },
  {
    name: 'schema-nested-enum',
    files: chart('app', {
      'values.yaml': 'service:\n  type: Nodeport\n',
      'values.schema.json': schema({ $schema: 'http://json-schema.org/draft-07/schema#', properties: { service: { properties: { type: { enum: ['ClusterIP', 'NodePort'] } } } } }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    name: 'schema-nested-bounds',
    files: chart('app', {
      'values.yaml': 'service:\n  port: 70000\n',
      'values.schema.json': schema({ properties: { service: { properties: { port: { type: 'integer', maximum: 65535, multipleOf: 7 } } } } }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    name: 'schema-string-checks',
    files: chart('app', {
      'values.yaml': 'image:\n  tag: "latest!"\n',
      'values.schema.json': schema({ properties: { image: { properties: { tag: { type: 'string', pattern: '^[a-z0-9.]+$', maxLength: 5, minLength: 1 } } } } }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    name: 'schema-additional-properties-and-refs',
    files: chart('app', {
      'values.yaml': 'ports: [80, "http"]\nextra: 1\n',
      'values.schema.json': schema({
        additionalProperties: false,
        properties: { ports: { type: 'array', items: { $ref: '#/$defs/port' } } },
        $defs: { port: { type: 'integer', minimum: 1 } },
      }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    name: 'schema-any-of-and-const',
    files: chart('app', {
      'values.yaml': 'mode: fast\n',
      'values.schema.json': schema({ properties: { mode: { anyOf: [{ const: 'slow' }, { type: 'integer' }] } } }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    // Several failing properties of one object come out in Go's map order, which changes from run to run.
    name: 'schema-one-of',
    files: chart('app', {
      'values.yaml': 'level: 3\n',
      'values.schema.json': schema({ properties: { level: { oneOf: [{ type: 'integer' }, { minimum: 0 }] } } }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    name: 'schema-draft-07-ref-siblings',
    files: chart('app', {
      'values.yaml': 'port: 0\n',
      'values.schema.json': schema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        definitions: { port: { minimum: 1 } },
        properties: { port: { $ref: '#/definitions/port', type: 'string' } },
      }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    name: 'schema-draft-04-exclusive-bounds',
    files: chart('app', {
      'values.yaml': 'ratio: 1.5\n',
      'values.schema.json': schema({ $schema: 'http://json-schema.org/draft-04/schema#', properties: { ratio: { maximum: 1.5, exclusiveMaximum: true, minimum: 1000 } } }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    name: 'schema-2019-dependent-required-and-contains',
    files: chart('app', {
      'values.yaml': 'tls:\n  enabled: true\n  hosts: [a.example.com, 1]\n',
      'values.schema.json': schema({
        $schema: 'https://json-schema.org/draft/2019-09/schema',
        properties: { tls: { dependentRequired: { enabled: ['secretName'] }, properties: { hosts: { contains: { type: 'integer' }, minContains: 2, uniqueItems: true } } } },
      }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app'],
  },
  {
    name: 'schema-false-and-not',
    files: chart('app', {
      'values.yaml': 'legacy: 1\n',
      'values.schema.json': schema({ properties: { legacy: false } }),
      'templates/v.yaml': valuesJson,
    }),
    args: ['app', '--set', 'legacy=2'],
  },
  {
    name: 'schema-reference-not-found',
    files: chart('app', { 'values.schema.json': schema({ properties: { unused: { $ref: '#/definitions/missing' } } }), 'templates/v.yaml': valuesJson }),
    args: ['app'],
  },
  {
    name: 'schema-in-subchart',
    files: {
      ...chart('app', { 'values.yaml': 'sub:\n  size: big\n', 'values.schema.json': schema({ properties: { top: { type: 'string' } } }), 'templates/v.yaml': valuesJson }),
      ...chart('app/charts/sub', { 'values.yaml': 'size: 1\n', 'values.schema.json': schema({ properties: { size: { type: 'number' } } }), 'templates/s.yaml': configMap('sub', '  size: {{ .Values.size | quote }}') }),
    },
    args: ['app', '--set', 'top=1'],
  },
  {
    name: 'schema-not-json',
    files: chart('app', { 'values.schema.json': '{"type": "object",}', 'templates/v.yaml': valuesJson }),
    args: ['app'],
  },
  {
    name: 'files-and-helmignore',
    files: chart('app', {
      '.helmignore': '# comments and blank lines\n\n*.bak\nsecret/\n/top-only.txt\n',
      'config/app.conf': 'key=value\n',
      'config/db.conf': 'host=db\nport=5432\n',
      'config/old.bak': 'ignored',
      'secret/token': 'ignored too',
      'top-only.txt': 'ignored at the root',
      'nested/top-only.txt': 'kept below the root',
      'templates/.hidden.yaml': 'this: is ignored by default',
      'README.md': '# readme',
      'templates/files.yaml': configMap(
        'files',
        [
          '  get: {{ .Files.Get "config/app.conf" | quote }}',
          '  ignored: {{ list (.Files.Get "config/old.bak") (.Files.Get "secret/token") (.Files.Get "top-only.txt") (.Files.Get "templates/.hidden.yaml") | toJson | quote }}',
          '  kept: {{ list (.Files.Get "nested/top-only.txt") (.Files.Get "README.md") (.Files.Get ".helmignore" | len) | toJson | quote }}',
          '  not-files: {{ list (.Files.Get "Chart.yaml") (.Files.Get "values.yaml") (.Files.Get "templates/files.yaml") | toJson | quote }}',
          '  bytes: {{ .Files.GetBytes "config/app.conf" | len | quote }}',
          '  missing: {{ .Files.Get "nope" | quote }}',
          '  lines: {{ .Files.Lines "config/db.conf" | toJson | quote }}',
          '  no-lines: {{ .Files.Lines "nope" | toJson | quote }}',
          '  config: |',
          '{{ (.Files.Glob "config/*").AsConfig | indent 4 }}',
          '  secrets: |',
          '{{ (.Files.Glob "config/db.conf").AsSecrets | indent 4 }}',
          '  braces: |',
          '{{ (.Files.Glob "{README.md,config/app*}").AsConfig | indent 4 }}',
          '  deep: |',
          '{{ (.Files.Glob "**.txt").AsConfig | indent 4 }}',
          '  refused: |',
          '{{ (.Files.Glob "[").AsConfig | indent 4 }}',
        ].join('\n'),
      ),
    }),
    args: ['app'],
  },
  {
    name: 'files-ranged',
    files: chart('app', {
      'a.txt': 'A',
      'dir/b.txt': 'B',
      'templates/files.yaml': configMap('files', '  all: {{ range $path, $data := .Files }}{{ $path }}={{ $data | len }} {{ end }}\n  glob: {{ range $path, $_ := .Files.Glob "*/*.txt" }}{{ $path }} {{ end }}\n  json: {{ toJson .Files | quote }}'),
    }),
    args: ['app'],
  },
  {
    name: 'helmignore-negation',
    files: chart('app', { '.helmignore': '!templates\n', 'notes.txt': 'x', 'templates/cm.yaml': configMap('cm', '  notes: {{ .Files.Get "notes.txt" | quote }}') }),
    args: ['app'],
  },
  {
    name: 'capabilities-defaults',
    files: chart('app', {
      'templates/caps.yaml': configMap(
        'caps',
        [
          '  kube: {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.Major }}.{{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.KubeVersion.GitVersion }}',
          '  json: {{ toJson .Capabilities.KubeVersion | quote }}',
          '  has: {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "example.com/v1" }}',
          '  helm: {{ toJson .Capabilities.HelmVersion | quote }}',
          '  semver: {{ semverCompare ">=1.30-0" .Capabilities.KubeVersion.Version }}',
        ].join('\n'),
      ),
    }),
    args: ['app'],
  },
  {
    name: 'capabilities-flags',
    files: chart('app', {
      'templates/caps.yaml': configMap(
        'caps',
        [
          '  kube: {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.Major }} {{ .Capabilities.KubeVersion.Minor }}',
          '  has: {{ .Capabilities.APIVersions.Has "example.com/v1" }} {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" }}',
        ].join('\n'),
      ),
    }),
    args: ['app', '--kube-version', '1.29.3-gke.100', '--api-versions', 'example.com/v1,monitoring.coreos.com/v1/ServiceMonitor', '-a', 'more/v1'],
  },
  {
    name: 'capabilities-api-versions-as-a-list',
    files: chart('app', {
      'templates/caps.yaml': configMap('caps', '  apis: {{ toJson .Capabilities.APIVersions | quote }}\n  count: {{ len .Capabilities.APIVersions }}\n  last: {{ range .Capabilities.APIVersions }}{{ . }} {{ end }}'),
    }),
    args: ['app', '--api-versions', 'example.com/v1'],
  },
  { name: 'kube-version-invalid', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--kube-version', 'one.two'] },
  { name: 'kube-version-too-short', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['app', '--kube-version', '1'] },
  { name: 'chart-kube-version-unmet', files: chart('app', { 'templates/v.yaml': valuesJson }, 'kubeVersion: ">=1.36.0-0"\n'), args: ['app'] },
  { name: 'chart-kube-version-met', files: chart('app', { 'templates/v.yaml': valuesJson }, 'kubeVersion: ">=1.28.0-0"\n'), args: ['app', '--kube-version', 'v1.30.1'] },
  {
    name: 'hooks',
    files: chart('app', {
      'templates/hooks.yaml': [
        'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: "5"',
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\n  annotations:\n    "helm.sh/hook": test',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: weird\n  annotations:\n    helm.sh/hook: "pre-install, sometime"',
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: first\n  annotations:\n    helm.sh/hook: post-install\n    helm.sh/hook-delete-policy: hook-succeeded',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: annotated\n  annotations:\n    other: x',
      ].join('\n---\n'),
      'templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n',
    }),
    args: ['app'],
  },
  {
    name: 'crds',
    files: {
      ...chart('app', {
        'crds/a.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: as.example.com\n\n\n',
        'crds/notes.txt': 'not a manifest',
        'crds/B.JSON': '{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition"}',
        'templates/cm.yaml': configMap('cm', '  a: "1"'),
      }),
      ...chart('app/charts/sub', { 'crds/sub.yml': 'kind: CustomResourceDefinition\n' }),
    },
    args: ['app', '--include-crds'],
  },
  {
    name: 'crds-not-included',
    files: chart('app', { 'crds/a.yaml': 'kind: CustomResourceDefinition\n', 'templates/cm.yaml': configMap('cm', '  a: "1"') }),
    args: ['app'],
  },
  {
    name: 'crds-only',
    files: chart('app', { 'crds/a.yaml': 'kind: CustomResourceDefinition\n\n\n' }),
    args: ['app', '--include-crds'],
  },
  {
    name: 'library-chart-dependency',
    files: {
      ...chart('app', { 'templates/cm.yaml': '{{ include "lib.configmap" . }}' }, 'dependencies:\n- name: lib\n  version: 0.1.0\n  repository: file://charts/lib\n'),
      ...chart('app/charts/lib', { 'templates/_cm.tpl': '{{ define "lib.configmap" }}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}-from-lib\n{{ end }}', 'templates/ignored.yaml': configMap('never', '  a: b') }, 'type: library\n'),
    },
    args: ['app'],
  },
  { name: 'library-chart-root', files: chart('lib', { 'templates/_x.tpl': '' }, 'type: library\n'), args: ['lib'] },
  {
    name: 'required-fails',
    files: chart('app', { 'templates/cm.yaml': configMap('cm', '  host: {{ required "host is required" .Values.host }}') }),
    args: ['app'],
  },
  {
    name: 'fail-in-subchart',
    files: { ...chart('app'), ...chart('app/charts/sub', { 'templates/cm.yaml': '{{ fail "sub says no" }}' }) },
    args: ['app'],
  },
  {
    name: 'template-parse-error',
    files: chart('app', { 'templates/cm.yaml': 'a: {{ .Values.x' }),
    args: ['app'],
  },
  {
    name: 'manifest-yaml-error',
    files: chart('app', { 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\n  broken: indent\n' }),
    args: ['app'],
  },
  {
    name: 'manifest-annotations-not-strings',
    files: chart('app', { 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    a: [1]\n' }),
    args: ['app'],
  },
  {
    name: 'apiversion-v1-requirements',
    files: {
      'app/Chart.yaml': 'apiVersion: v1\nname: app\nversion: 1.0.0\n',
      'app/requirements.yaml': 'dependencies:\n- name: sub\n  version: 0.1.0\n  repository: file://charts/sub\n  condition: sub.enabled\n',
      'app/values.yaml': 'sub:\n  enabled: true\n',
      'app/templates/cm.yaml': configMap('app', '  requirements: {{ .Files.Get "requirements.yaml" | quote }}\n  api: {{ .Chart.APIVersion }}'),
      ...chart('app/charts/sub', { 'templates/s.yaml': configMap('sub', '  on: "yes"') }),
    },
    args: ['app'],
  },
  {
    name: 'chart-archive-root',
    files: { 'app-0.1.0.tgz': { tgz: chart('app', { 'values.yaml': 'a: 1\n', 'templates/v.yaml': valuesJson, 'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.2.0\n' }) } },
    args: ['app-0.1.0.tgz', '--set', 'b=2'],
  },
  { name: 'chart-archive-not-gzip', files: { 'app.tgz': 'just text' }, args: ['app.tgz'] },
  { name: 'chart-archive-yaml', files: { 'app.yaml': 'a: 1' }, args: ['app.yaml'] },
  { name: 'chart-yaml-missing', files: { 'app/values.yaml': 'a: 1\n' }, args: ['app'] },
  { name: 'chart-yaml-invalid-version', files: { 'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: one\n' }, args: ['app'] },
  { name: 'chart-yaml-bad-field', files: { 'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: x\n  tags: {a: 1}\n' }, args: ['app'] },
  { name: 'chart-yaml-api-v3', files: { 'app/Chart.yaml': 'apiVersion: v3\nname: app\nversion: 0.1.0\n' }, args: ['app'] },
  { name: 'chart-path-missing', files: {}, args: ['./nowhere'] },
  { name: 'release-name-invalid', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['Not_Valid', 'app'] },
  { name: 'too-many-arguments', files: chart('app', { 'templates/v.yaml': valuesJson }), args: ['a', 'app', 'extra'] },
  { name: 'stray-file-in-charts', files: chart('app', { 'templates/v.yaml': valuesJson, 'charts/README.md': 'not a chart' }), args: ['app'] },
  {
    name: 'subchart-archive-broken',
    files: { ...chart('app', { 'templates/v.yaml': valuesJson }), 'app/charts/db-1.0.0.tgz': 'not gzip at all' },
    args: ['app'],
  },
];

describeChartsAgainstHelm('meshready template, chart features, as helm template v4.1.4', 'features', cases);
