import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/analyze.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import type { ChartSource } from '../src/core/chart-source.js';
import { placeOnSource, planRenders, renderForAnalysis } from '../src/core/charts.js';
import { renderChart } from '../src/core/helm/render.js';
import type { HelmSettings, RenderedFile } from '../src/core/charts.js';

const encoder = new TextEncoder();

function chart(root: string, files: Record<string, string>): ChartSource {
  return { root, files: Object.entries(files).map(([path, text]) => ({ path, bytes: encoder.encode(text) })) };
}

const SETTINGS: HelmSettings = { charts: [], ciValues: false, apiVersions: [], kubernetesVersion: 'v1.35.0' };

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        version: v1
    spec:
      containers:
        - name: web
          image: nginx
          securityContext:
            runAsUser: {{ .Values.uid }}
          {{- with .Values.securityContext }}
          {{- toYaml . | nindent 12 }}
          {{- end }}
`;

const WEB_CHART = chart('deploy/web', {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'values.yaml': 'uid: 1000\nsecurityContext: {}\n',
  'templates/deployment.yaml': DEPLOYMENT,
});

function renderedFiles(source: ChartSource, settings: HelmSettings = SETTINGS, readText: (path: string) => string | undefined = () => undefined): RenderedFile[] {
  const { plans, skipped } = planRenders([source], settings, readText);
  expect(skipped).toEqual([]);
  return plans.flatMap((plan) => {
    const result = renderForAnalysis(plan);
    if ('skipped' in result) throw new Error(result.skipped.reason);
    return result.files;
  });
}

function sourceText(charts: ChartSource[], extra: Record<string, string> = {}) {
  return (path: string): string | undefined => {
    if (path in extra) return extra[path];
    for (const source of charts) {
      const file = source.files.find((entry) => `${source.root}/${entry.path}` === path);
      if (file) return new TextDecoder().decode(file.bytes);
    }
    return undefined;
  };
}

function placedFindings(files: RenderedFile[], text: (path: string) => string | undefined) {
  const report = analyze(
    files.map((file) => file.file),
    undefined,
    { filterPaths: false },
  );
  const byPath = new Map(files.map((file) => [file.file.path, file]));
  return report.findings.map((finding) => placeOnSource(finding, byPath.get(finding.file)!, text).finding);
}

describe('findings on a render, placed on the chart', () => {
  it('puts a reserved UID set in values.yaml on its values line, and its fix there', () => {
    const values = 'uid: 1337\nsecurityContext: {}\n';
    const source = chart('deploy/web', { ...Object.fromEntries(WEB_CHART.files.map((f) => [f.path, new TextDecoder().decode(f.bytes)])), 'values.yaml': values });
    const findings = placedFindings(renderedFiles(source), sourceText([source]));
    const uid = findings.find((finding) => finding.ruleId === 'reserved-uid')!;
    expect(uid).toMatchObject({ file: 'deploy/web/values.yaml', span: { startLine: 1, startColumn: 6, endLine: 1, endColumn: 10 } });
    expect(uid.rendered).toMatchObject({ chart: 'deploy/web', template: 'web/templates/deployment.yaml' });
    expect(uid.fix?.edits).toEqual([{ file: 'deploy/web/values.yaml', startOffset: 5, endOffset: 9, newText: '1000' }]);
  });

  it('follows a toYaml | nindent block back to the values line that set it', () => {
    const values = 'uid: 1000\nsecurityContext:\n  runAsGroup: 1337\n';
    const source = chart('deploy/web', { ...Object.fromEntries(WEB_CHART.files.map((f) => [f.path, new TextDecoder().decode(f.bytes)])), 'values.yaml': values });
    const findings = placedFindings(renderedFiles(source), sourceText([source]));
    expect(findings.find((finding) => finding.ruleId === 'reserved-gid')).toMatchObject({ file: 'deploy/web/values.yaml', span: { startLine: 3, startColumn: 15 } });
  });

  it('renders with the values files the config names for the chart', () => {
    const settings: HelmSettings = { ...SETTINGS, charts: [{ path: 'deploy/web', values: ['env/prod.yaml'] }] };
    const text = sourceText([WEB_CHART], { 'env/prod.yaml': 'uid: 1337\n' });
    const findings = placedFindings(renderedFiles(WEB_CHART, settings, text), text);
    expect(findings.find((finding) => finding.ruleId === 'reserved-uid')).toMatchObject({ file: 'env/prod.yaml', span: { startLine: 1, startColumn: 6 } });
  });
});

describe('meshready analyses a repository with its charts rendered', () => {
  const decode = (source: ChartSource) => Object.fromEntries(source.files.map((file) => [file.path, new TextDecoder().decode(file.bytes)]));
  const withValues = (values: string, more: Record<string, string> = {}) => chart('deploy/web', { ...decode(WEB_CHART), 'values.yaml': values, ...more });

  it('reports on the values line and keeps the fix a render with it proves', () => {
    const report = analyze([], DEFAULT_CONFIG, { charts: [withValues('uid: 1337\nsecurityContext: {}\n')] });
    const uid = report.findings.find((finding) => finding.ruleId === 'reserved-uid')!;
    expect(uid).toMatchObject({ file: 'deploy/web/values.yaml', span: { startLine: 1, startColumn: 6 }, fix: { edits: [{ file: 'deploy/web/values.yaml', startOffset: 5, endOffset: 9, newText: '1000' }] } });
    expect(report.stats.files).toBe(3);
  });

  it('drops a fix the render refuses, and names the value that produced the finding', () => {
    const schema = JSON.stringify({ properties: { uid: { const: 1337 } } });
    const report = analyze([], DEFAULT_CONFIG, { charts: [withValues('uid: 1337\nsecurityContext: {}\n', { 'values.schema.json': schema })] });
    const uid = report.findings.find((finding) => finding.ruleId === 'reserved-uid')!;
    expect(uid.fix).toBeUndefined();
    expect(uid.message).toMatch(/\(from the value set at deploy\/web\/values\.yaml:1\)$/);
  });

  it("skips a chart that does not render, with helm's reason, on its Chart.yaml", () => {
    const broken = chart('deploy/web', { ...decode(WEB_CHART), 'templates/deployment.yaml': '{{ required "image.tag is required" .Values.image }}\n' });
    const report = analyze([], DEFAULT_CONFIG, { charts: [broken] });
    expect(report.skipped).toEqual([{ file: 'deploy/web/Chart.yaml', reason: 'chart not rendered: execution error at (web/templates/deployment.yaml:1:3): image.tag is required' }]);
  });

  it('sees the plain files beside the chart: a release in a namespace Istio never injects has no sidecar finding', () => {
    const namespace = { path: 'k8s/namespace.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: legacy\n  labels:\n    istio-injection: disabled\n' };
    const config = { ...DEFAULT_CONFIG, helm: { ...DEFAULT_CONFIG.helm, charts: [{ path: 'deploy/web', namespace: 'legacy' }] } };
    const charts = [withValues('uid: 1337\nsecurityContext: {}\n')];
    expect(analyze([namespace], config, { charts }).findings.filter((finding) => finding.ruleId === 'reserved-uid')).toEqual([]);
    expect(analyze([namespace], DEFAULT_CONFIG, { charts }).findings.filter((finding) => finding.ruleId === 'reserved-uid')).toHaveLength(1);
  });

  it('adds a missing label to the template, where the render shows it fixed', () => {
    const unlabelled = chart('deploy/web', { ...decode(WEB_CHART), 'templates/deployment.yaml': DEPLOYMENT.replace('        version: v1\n', '') });
    const report = analyze([], DEFAULT_CONFIG, { charts: [unlabelled] });
    const version = report.findings.find((finding) => finding.ruleId === 'version-label')!;
    expect(version).toMatchObject({ file: 'deploy/web/templates/deployment.yaml', span: { startLine: 11 } });
    expect(version.fix?.edits[0]).toMatchObject({ file: 'deploy/web/templates/deployment.yaml', newText: expect.stringContaining('version:') });
  });
});

describe('keys in renders for analysis', () => {
  const SECRET_CHART = chart('deploy/tls', {
    'Chart.yaml': 'apiVersion: v2\nname: tls\nversion: 1.0.0\n',
    'templates/secret.yaml': `{{- $ca := genCA "tls-ca" 365 }}
apiVersion: v1
kind: Secret
metadata:
  name: tls
data:
  ca.crt: {{ $ca.Cert | b64enc }}
  key.pem: {{ genPrivateKey "ecdsa" | b64enc }}
`,
  });
  const keyLines = (text: string) => text.split('\n').filter((line) => line.startsWith('  key.pem: '));

  it('every render takes the same keys, generated once in this process, each in the order it asks', () => {
    const [first] = renderedFiles(SECRET_CHART);
    const [second] = renderedFiles(SECRET_CHART);
    expect(keyLines(first!.file.text)).toHaveLength(1);
    expect(keyLines(second!.file.text)).toEqual(keyLines(first!.file.text));
  });

  it('meshready template generates its own, as helm does', () => {
    const input = { kind: 'directory' as const, files: SECRET_CHART.files, root: SECRET_CHART.root, source: SECRET_CHART.root };
    const printed = () => {
      const result = renderChart(input);
      if (!result.ok) throw new Error(result.error);
      return keyLines(result.manifests[0]!.printed);
    };
    expect(printed()).not.toEqual(printed());
  });
});
