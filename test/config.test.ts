import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfigText, resolveConfig } from '../src/core/config.js';
import { fixture, lint, locations } from './helpers.js';

describe('config', () => {
  it('has defaults when there is no config file', () => {
    expect(resolveConfig(undefined)).toEqual({ ok: true, config: DEFAULT_CONFIG });
  });

  it('merges what is given over the defaults', () => {
    const result = parseConfigText(`
rules:
  app-label: off
  version-label: error
failOn: warning
mesh:
  cni: true
fixes:
  uid: 4242
review:
  maxComments: 5
`);
    expect(result).toEqual({
      ok: true,
      config: {
        ...DEFAULT_CONFIG,
        rules: { 'app-label': 'off', 'version-label': 'error' },
        failOn: 'warning',
        mesh: { ...DEFAULT_CONFIG.mesh, cni: true },
        fixes: { uid: 4242, gid: 1000 },
        review: { ...DEFAULT_CONFIG.review, maxComments: 5 },
      },
    });
  });

  it('explains every mistake in an invalid config', () => {
    const result = parseConfigText(`
rules:
  reserved-uids: off
  app-label: loud
failOn: sometimes
fixes:
  uid: 1337
colour: true
`);
    expect(result).toEqual({
      ok: false,
      errors: [
        '(top level): unknown setting "colour"',
        'rules: unknown rule "reserved-uids" (rules: reserved-uid, reserved-gid, init-capabilities, app-label, version-label, port-protocol, reserved-port, port-protocol-conflict, target-port-conflict, server-first-protocol, external-name-port)',
        'rules.app-label: must be one of error, warning, notice, off',
        'failOn: must be one of error, warning, notice, never',
        "fixes.uid: must not be 1337, the sidecar's own ID",
      ],
    });
  });

  it('refuses YAML that does not parse', () => {
    expect(parseConfigText('rules: [')).toMatchObject({ ok: false, errors: [expect.stringMatching(/^not valid YAML: /)] });
    // yaml's parser would exhaust the stack, where V8 can abort the process.
    expect(parseConfigText(`rules: ${'['.repeat(20_000)}${']'.repeat(20_000)}`)).toEqual({ ok: false, errors: ['not valid YAML: YAML nested deeper than 500 levels'] });
  });

  it('turns rules off and changes their severity', () => {
    const result = parseConfigText('rules: {app-label: off, version-label: notice}');
    if (!result.ok) throw new Error(result.errors.join());
    const report = lint([fixture('rules/app-label/positive.yaml')], result.config);
    expect(report.findings.map((finding) => `${finding.ruleId}:${finding.severity}`)).toEqual(['version-label:notice']);
  });
});

describe('suppressions', () => {
  const deployment = (annotations: string, uidLine: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${annotations}spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: web:1
          securityContext:
${uidLine}`;

  it('silences the named rules of a resource by annotation', () => {
    const text = deployment('  annotations:\n    meshready.io/ignore: "version-label, reserved-port"\n', '            runAsUser: 1337\n');
    expect(locations(lint([{ path: 'a.yaml', text }]))).toEqual(['reserved-uid@16:24']);
  });

  it('silences every rule of a resource with "all"', () => {
    const text = deployment('  annotations:\n    meshready.io/ignore: all\n', '            runAsUser: 1337\n');
    expect(locations(lint([{ path: 'a.yaml', text }]))).toEqual([]);
  });

  it('silences a finding by a comment on the line above, for the rules it names', () => {
    const text = deployment('', '            # meshready-ignore: reserved-uid -- the image needs it\n            runAsUser: 1337\n');
    expect(locations(lint([{ path: 'a.yaml', text }]))).toEqual(['version-label@8:7']);
    const other = deployment('', '            # meshready-ignore: app-label\n            runAsUser: 1337\n');
    expect(locations(lint([{ path: 'a.yaml', text: other }]))).toEqual(['version-label@8:7', 'reserved-uid@15:24']);
  });

  it('silences a finding by a comment at the end of its line', () => {
    const text = deployment('', '            runAsUser: 1337 # meshready-ignore\n');
    expect(locations(lint([{ path: 'a.yaml', text }]))).toEqual(['version-label@8:7']);
  });
});
