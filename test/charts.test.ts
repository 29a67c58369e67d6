import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/analyze.js';
import type { ChartSource } from '../src/core/chart-source.js';
import { placeOnSource, planRenders, renderForAnalysis } from '../src/core/charts.js';
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
  return report.findings.map((finding) => placeOnSource(finding, byPath.get(finding.file)!, text));
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
