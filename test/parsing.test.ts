import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/analyze.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { applyEdits } from '../src/core/fix.js';
import { decodeManifestBytes } from '../src/core/encoding.js';
import { parseManifestFile } from '../src/core/manifest.js';
import { fixture, lint, locations, withConfig } from './helpers.js';

describe('parsing', () => {
  it('reports a document that does not parse with its line and still analyses the others', () => {
    const report = lint([fixture('parsing/broken-middle.yaml')]);
    expect(locations(report)).toEqual(['port-protocol@7:13', 'parse-error@15:1', 'port-protocol@22:7']);
    expect(report.findings[1]!.message).toBe(
      'YAML parse error in document 2: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
    expect(report.stats).toEqual({ files: 1, documents: 3, resources: 2 });
  });

  it('reads CRLF files and keeps CRLF in fixes', () => {
    const source = fixture('parsing/crlf.yaml');
    const report = lint([source]);
    expect(locations(report)).toEqual(['port-protocol@10:13']);
    const fixed = applyEdits(source.text, report.findings[0]!.fix!.edits);
    expect(fixed).toBe(source.text.replace('      port: 8080\r\n', '      port: 8080\r\n      appProtocol: http\r\n'));
  });

  it('passes over empty documents, comments, scalars and non-workload kinds', () => {
    const report = lint([fixture('parsing/empty-documents.yaml')]);
    expect(locations(report)).toEqual(['port-protocol@20:14']);
    expect(report.stats).toEqual({ files: 1, documents: 5, resources: 2 });
  });

  it('reads JSON and kind: List', () => {
    const report = lint([fixture('parsing/list.json')]);
    expect(locations(report)).toEqual(['reserved-uid@9:98']);
    expect(report.findings[0]!.resource).toEqual({ kind: 'Pod', name: 'web', file: 'parsing/list.json', documentIndex: 0 });
    expect(report.findings[0]!.nodePath).toEqual(['items', 0, 'spec', 'containers', 0, 'securityContext', 'runAsUser']);
  });

  it('skips an alias bomb with a reason, in bounded time', () => {
    const started = Date.now();
    const report = lint([fixture('parsing/alias-bomb.yaml')]);
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([{ file: 'parsing/alias-bomb.yaml', reason: 'YAML alias expansion over 10000 nodes (alias bomb?)' }]);
    // Not a timing target: a bomb expanded would take minutes and gigabytes.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('skips a file nested deeper than 500 levels with a reason, before anything recursive reads it', () => {
    // In a fresh process yaml's composer aborted the whole process on these (V8 out of memory
    // compiling a regular expression at the edge of the stack). The third goes to yaml: an anchor.
    // The last is shallow as written, but each alias brings in 490 levels more.
    const aliasChain = Array.from({ length: 20 }, (_, k) => `a${k}: &a${k} ${'['.repeat(490)}${k === 0 ? 'x' : `*a${k - 1}`}${']'.repeat(490)}`).join('\n');
    const deep = ['['.repeat(20_000) + ']'.repeat(20_000), '- '.repeat(20_000) + 'x', `a: &x 1\nb: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, aliasChain];
    for (const text of deep) {
      const report = lint([{ path: 'deep.yaml', text }]);
      expect(report.findings).toEqual([]);
      expect(report.skipped).toEqual([{ file: 'deep.yaml', reason: 'YAML nested deeper than 500 levels' }]);
    }
    // 500 levels are still read, on both paths.
    for (const text of ['['.repeat(500) + ']'.repeat(500), `a: &x 1\nb: ${'['.repeat(499)}${']'.repeat(499)}\n`]) {
      expect(lint([{ path: 'deep.yaml', text }]).skipped).toEqual([]);
    }
  });

  it('skips Helm templates, binary files and files over the size limit', () => {
    const big = { path: 'big.yaml', text: `# ${'x'.repeat(3 * 1024 * 1024)}\n` };
    const binary = { path: 'image.yaml', text: 'GIF89a\u0000\u0001\u0002' };
    const report = lint([fixture('parsing/helm-template.yaml'), big, binary]);
    // In the order of their paths, whatever the order the files came in.
    expect(report.skipped).toEqual([
      { file: 'big.yaml', reason: 'file is 3.0 MB, over the 2.0 MB limit' },
      { file: 'image.yaml', reason: 'binary file' },
      { file: 'parsing/helm-template.yaml', reason: 'Go/Helm template ({{ }}) outside any chart (no Chart.yaml in its folders): render it first (meshready template) and lint the output' },
    ]);
  });

  it('takes a file for a manifest only by its top-level apiVersion and kind: a nested "kind" makes none', () => {
    // VS Code's launch.json: JSON with comments, which YAML does not read; its "kind" is a cargo filter's.
    const launch = ['{', '  // Use IntelliSense to learn about possible attributes.', '  "version": "0.2.0",', '  "configurations": [', '    {"type": "lldb", "cargo": {"filter": {"name": "app", "kind": "bin"}}}', '  ]', '}'].join('\n');
    expect(lint([{ path: '.vscode/launch.json', text: `${launch}\n` }]).findings).toEqual([]);
    // A manifest that fails to parse is reported, block or flow, commented or not.
    const brokenJson = '{\n  // generated\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "web"\n}\n';
    const brokenYaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n   labels: {}\n';
    expect(locations(lint([{ path: 'pod.json', text: brokenJson }, { path: 'pod.yaml', text: brokenYaml }]))).toEqual(['parse-error@7:1', 'parse-error@4:9']);
    // Nested apiVersion and kind (a seed's records, a list item) make no manifest either.
    const nested = 'records:\n  - apiVersion: v1\n    kind: Pod\n  - {bad\n';
    expect(lint([{ path: 'seed.yaml', text: nested }]).findings).toEqual([]);
  });

  it('refuses a control character where it stands, as kubectl does, and still checks the other documents', () => {
    const pod = (name: string, comment: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}  # ${comment}\n  labels: {app: ${name}, version: v1}\nspec:\n  containers: [{name: ${name}, image: "${name}:1", securityContext: {runAsUser: 1337}}]\n`;
    const report = lint([{ path: 'pods.yaml', text: `${pod('web', 'a NUL \u0000 here')}---\n${pod('api', 'clean')}` }]);
    expect(report.findings.map((finding) => `${finding.ruleId}@${finding.span.startLine}:${finding.span.startColumn}-${finding.span.endColumn} ${finding.severity} ${finding.message}`)).toEqual([
      'parse-error@4:22-23 error YAML parse error in document 1: control characters are not allowed (U+0000): kubectl refuses the document',
      'reserved-uid@15:73-77 warning container "api" runs with runAsUser 1337, the Istio sidecar\'s UID: its traffic bypasses the proxy (no mTLS, no policy, no telemetry)',
    ]);
    // go-yaml's reader: C0 controls but tab, LF and CR, DEL and C1 controls but NEL, U+FFFE and U+FFFF.
    const refused = (character: string) => locations(lint([{ path: 'pod.yaml', text: pod('web', `x${character}`) }])).filter((entry) => entry.startsWith('parse-error'));
    for (const character of ['\u0001', '\u0008', '\u000B', '\u000C', '\u001B', '\u007F', '\u0080', '\u009F', '\uFFFE', '\uFFFF', '\uD800']) expect(refused(character)).toEqual(['parse-error@4:17']);
    for (const character of ['\t', '\u0085', '\u00A0', '\uFEFF', '\uFFFD', '\u{1F600}']) expect(refused(character)).toEqual([]);
  });

  it('skips as binary only what is not text: a stray NUL is text, an image or a run of NULs is not', () => {
    const png = decodeManifestBytes(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x01, 0, 0, 0, 0x01, 0, 0x08, 0x06]));
    expect(png).toBeUndefined();
    expect(decodeManifestBytes(new TextEncoder().encode(`${'\u0000'.repeat(64)}apiVersion: v1\n`))).toBeUndefined();
    // UTF-16 without its byte order mark reads as a NUL every other byte: not text.
    expect(decodeManifestBytes(Uint8Array.from([...'kind: Pod\n'].flatMap((character) => [character.charCodeAt(0), 0])))).toBeUndefined();
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings  # \u0000\n`;
    expect(decodeManifestBytes(new TextEncoder().encode(manifest))).toEqual({ text: manifest, encoding: 'utf-8' });
    expect(lint([{ path: 'settings.yaml', text: manifest }]).skipped).toEqual([]);
  });

  it('skips a file only for template syntax in its structure, never for {{ in data', () => {
    const pod = (extra: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  labels: {app: app, version: v1}\n${extra}spec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsUser: 1337  # {{ x }}\n`;
    const inData = [
      pod(''),
      pod('  annotations:\n    note: "{{ .Values.x }}"\n    other: \'{{ y }}\'\n'),
      pod('  annotations:\n    script: |\n      {{- if .Values.x }}\n      echo {{ .y }}\n      {{- end }}\n'),
      `# {{ .Values.header }}\n${pod('')}`,
    ];
    for (const text of inData) {
      const report = lint([{ path: 'pod.yaml', text }]);
      expect(report.skipped).toEqual([]);
      expect(report.findings.map((finding) => finding.ruleId)).toEqual(['reserved-uid']);
    }
    const inStructure = [
      pod('  namespace: {{ .Release.Namespace }}\n'),
      pod('  annotations:\n    image: repo/{{ .Values.tag }}\n'),
      `{{- if .Values.enabled }}\n${pod('')}{{- end }}\n`,
      pod('  labels:\n    {{- include "labels" . | nindent 4 }}\n'),
    ];
    for (const text of inStructure) {
      expect(lint([{ path: 'chart.yaml', text }]).skipped).toEqual([
        { file: 'chart.yaml', reason: 'Go/Helm template ({{ }}) outside any chart (no Chart.yaml in its folders): render it first (meshready template) and lint the output' },
      ]);
    }
  });

  it('reads quoted strings continued on less-indented lines as go-yaml (kubectl) does', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: app',
      '  labels: {app: app, version: v1}',
      '  annotations:',
      '    description: "first line',
      '  continued less indented',
      '',
      '  after a blank line"',
      "    owner: 'team",
      "platform'",
      '    script: |',
      '      echo "not a',
      '      quote',
      'spec:',
      '  containers:',
      '    - name: app',
      '      image: app:1',
      '      securityContext: {runAsUser: 1337}',
      '',
    ].join('\n');
    const report = lint([{ path: 'pod.yaml', text }]);
    expect(locations(report)).toEqual(['reserved-uid@20:36']);
    // The values PyYAML and go-yaml give these scalars.
    const { resources } = parseManifestFile({ path: 'pod.yaml', text }, { maxFileBytes: 1e6 });
    expect(resources[0]!.annotations).toEqual({
      description: 'first line continued less indented\nafter a blank line',
      owner: 'team platform',
      script: 'echo "not a\nquote\n',
    });
  });

  it('takes the size limit from the config', () => {
    const config = withConfig({ limits: { maxFileBytes: 100 } });
    expect(lint([fixture('rules/reserved-gid/positive.yaml')], config).skipped).toEqual([
      { file: 'rules/reserved-gid/positive.yaml', reason: 'file is 393 bytes, over the 100 bytes limit' },
    ]);
  });

  it('finds every workload kind', () => {
    const kinds = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Rollout'];
    const files = kinds.map((kind) => {
      const labels = '{labels: {app: x, version: v1}}';
      const podSpec = 'spec: {containers: [{name: c, image: i, securityContext: {runAsUser: 1337}}]}';
      const pod = `metadata: ${labels}, ${podSpec}`;
      const apiVersion = kind === 'Rollout' ? 'argoproj.io/v1alpha1' : kind === 'Pod' || kind === 'ReplicationController' ? 'v1' : 'apps/v1';
      const head = `apiVersion: ${apiVersion}\nkind: ${kind}\n`;
      const text =
        kind === 'Pod'
          ? `${head}metadata: {name: w, labels: {app: x, version: v1}}\n${podSpec}\n`
          : kind === 'CronJob'
            ? `${head}metadata: {name: w}\nspec: {jobTemplate: {spec: {template: {${pod}}}}}\n`
            : `${head}metadata: {name: w}\nspec: {template: {${pod}}}\n`;
      return { path: `${kind}.yaml`, text };
    });
    expect(lint(files).findings.map((finding) => finding.resource?.kind).sort()).toEqual([...kinds].sort());
  });

  it('applies the path globs of the config', () => {
    const file = fixture('rules/reserved-gid/positive.yaml');
    const excluded = { ...DEFAULT_CONFIG, paths: { include: ['**/*.yaml'], exclude: ['rules/**'] } };
    expect(analyze([file], excluded).stats.files).toBe(0);
    expect(analyze([file], DEFAULT_CONFIG).findings).toHaveLength(1);
  });
});
