import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../src/core/fix.js';
import { RULES } from '../src/core/rules/index.js';
import { fixture, lint, locations, withConfig } from './helpers.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';

/** Every fixture and exactly what it yields: rule, line and column of each finding. */
const EXPECTED: Record<string, string[]> = {
  'rules/reserved-uid/positive.yaml': ['reserved-uid@14:20', 'reserved-uid@42:44'],
  'rules/reserved-uid/negative.yaml': [],
  'rules/reserved-gid/positive.yaml': ['reserved-gid@22:25'],
  'rules/reserved-gid/negative.yaml': [],
  // The PodSecurityPolicies are not checked for a current cluster (kubernetesVersion, default v1.35.0): see below.
  'rules/init-capabilities/positive.yaml': ['init-capabilities@7:41'],
  'rules/init-capabilities/negative.yaml': [],
  'rules/app-label/positive.yaml': ['app-label@11:7', 'app-label@27:5', 'version-label@27:5'],
  'rules/app-label/negative.yaml': [],
  'rules/version-label/positive.yaml': ['version-label@13:11', 'version-label@25:11'],
  'rules/version-label/negative.yaml': [],
  'rules/port-protocol/positive.yaml': ['port-protocol@9:13', 'port-protocol@11:7', 'port-protocol@14:20', 'external-name-port@24:14'],
  'rules/port-protocol/negative.yaml': [],
  'rules/reserved-port/positive.yaml': ['reserved-port@18:30', 'reserved-port@32:19', 'reserved-port@34:13'],
  'rules/reserved-port/negative.yaml': [],
  'rules/port-protocol-conflict/positive.yaml': ['port-protocol-conflict@40:20'],
  'rules/port-protocol-conflict/negative.yaml': [],
  'rules/target-port-conflict/positive.yaml': ['target-port-conflict@39:19'],
  'rules/target-port-conflict/negative.yaml': [],
  'rules/external-name-port/positive.yaml': ['external-name-port@9:13', 'external-name-port@11:7'],
  'rules/external-name-port/negative.yaml': [],
  // One finding a port: a stalling server-first port is not reported as port-protocol too.
  'rules/server-first-protocol/positive.yaml': ['server-first-protocol@28:13', 'server-first-protocol@48:13'],
  // Istio's own samples: clean but for curl's missing version label, as upstream.
  'istio-samples/bookinfo.yaml': [],
  'istio-samples/httpbin.yaml': [],
  'istio-samples/curl.yaml': ['version-label@32:7'],
  // The NATS port is sniffed (port-protocol) but STRICT mTLS makes its traffic client-first TLS.
  'rules/server-first-protocol/negative.yaml': ['port-protocol@40:13'],
};

describe('rules on their fixtures', () => {
  for (const [path, expected] of Object.entries(EXPECTED)) {
    it(`${path} yields exactly ${expected.length === 0 ? 'nothing' : expected.join(', ')}`, () => {
      expect(locations(lint([fixture(path)]))).toEqual(expected);
    });
  }

  it('checks PodSecurityPolicies only for a cluster that still has them: Kubernetes before 1.25', () => {
    const policies = fixture('rules/init-capabilities/positive.yaml');
    expect(locations(lint([policies], withConfig({ kubernetesVersion: '1.24' })))).toEqual(['init-capabilities@7:41', 'init-capabilities@16:7', 'init-capabilities@25:3']);
    expect(locations(lint([policies], withConfig({ kubernetesVersion: 'v1.24.17-gke.1000' })))).toHaveLength(3);
    for (const kubernetesVersion of ['1.25', 'v1.35.0', '2.0']) expect(locations(lint([policies], withConfig({ kubernetesVersion })))).toEqual(['init-capabilities@7:41']);
  });

  it("takes its default severities from the levels Istio gives its messages, where Istio has one", () => {
    const severityOfLevel = { Info: 'notice', Warning: 'warning', Error: 'error' } as const;
    const cited = RULES.filter((rule) => rule.meta.istioCode !== undefined).map((rule) => [rule.meta.id, rule.meta.istioCode, rule.meta.istioLevel, rule.meta.severity]);
    // pkg/config/analysis/msg/messages.yaml of istio/istio.
    expect(cited).toEqual([
      ['reserved-uid', 'IST0144', 'Warning', 'warning'],
      ['port-protocol', 'IST0118', 'Info', 'notice'],
      ['port-protocol-conflict', 'IST0116', 'Warning', 'warning'],
      ['target-port-conflict', 'IST0137', 'Warning', 'warning'],
      ['external-name-port', 'IST0150', 'Warning', 'warning'],
    ]);
    for (const rule of RULES) if (rule.meta.istioLevel) expect(rule.meta.severity).toBe(severityOfLevel[rule.meta.istioLevel]);
    // No Istio message: connections hang, a warning.
    const serverFirst = RULES.find((rule) => rule.meta.id === 'server-first-protocol')!.meta;
    expect([serverFirst.severity, serverFirst.istioCode]).toEqual(['warning', undefined]);
  });

  it('has a positive and a negative fixture for every rule', () => {
    for (const rule of RULES) {
      expect(EXPECTED[`rules/${rule.meta.id}/positive.yaml`]?.some((entry) => entry.startsWith(`${rule.meta.id}@`))).toBe(true);
      expect(EXPECTED[`rules/${rule.meta.id}/negative.yaml`]?.some((entry) => entry.startsWith(`${rule.meta.id}@`))).toBe(false);
    }
  });

  it('points at the exact offending node, with its resource', () => {
    const [pod] = lint([fixture('rules/reserved-uid/positive.yaml')]).findings;
    expect(pod).toMatchObject({
      ruleId: 'reserved-uid',
      severity: 'warning',
      span: { startLine: 14, startColumn: 20, endLine: 14, endColumn: 24 },
      resource: { kind: 'Deployment', name: 'ratings', file: 'rules/reserved-uid/positive.yaml', documentIndex: 0 },
      nodePath: ['spec', 'template', 'spec', 'securityContext', 'runAsUser'],
      docsUrl: 'https://github.com/meshready/meshready/blob/v0.1.0/docs/rules/reserved-uid.md',
      fix: { description: 'set runAsUser to 1000', safe: true },
    });
    expect(pod!.message).toBe(
      'pod runAsUser 1337 is the Istio sidecar\'s UID: traffic of container "ratings" bypasses the proxy (no mTLS, no policy, no telemetry)',
    );
  });

  it('says when PERMISSIVE mTLS makes a server-first port fail', () => {
    const serverFirst = lint([fixture('rules/server-first-protocol/positive.yaml')]).findings.filter(
      (finding) => finding.ruleId === 'server-first-protocol',
    );
    expect(serverFirst.map((finding) => finding.message)).toEqual([
      'Service port "db" 3307 carries MySQL, a server-first protocol, but Istio sniffs its protocol: connections hang until the client speaks. Declare it as tcp (appProtocol: tcp); PeerAuthentication "default" sets PERMISSIVE mTLS, under which plaintext MySQL clients fail',
      'Service port "submission" 587 carries SMTP, a server-first protocol, but Istio sniffs its protocol: connections hang until the client speaks. Declare it as tcp (appProtocol: tcp)',
    ]);
  });

  it('does not report init-capabilities when the repo uses Istio CNI', () => {
    const config = withConfig({ mesh: { ...DEFAULT_CONFIG.mesh, cni: true } });
    expect(locations(lint([fixture('rules/init-capabilities/positive.yaml')], config))).toEqual([]);
  });

  it('uses the configured UID in the fix', () => {
    const config = withConfig({ fixes: { uid: 2000, gid: 3000 } });
    const [finding] = lint([fixture('rules/reserved-gid/positive.yaml')], config).findings;
    expect(finding!.fix!.edits.map((edit) => edit.newText)).toEqual(['3000']);
  });

  it('leaves the labels of Jobs and CronJobs alone unless the config asks, and never commits a guessed version', () => {
    const job = { path: 'job.yaml', text: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    metadata:\n      labels: {tier: db}\n    spec:\n      containers: [{name: migrate, image: "alpine:3.20"}]\n' };
    expect(lint([job]).findings).toEqual([]);
    const findings = lint([job], withConfig({ labels: { jobs: true } })).findings;
    expect(findings.map((finding) => [finding.ruleId, finding.severity, finding.fix?.description, finding.fix?.safe])).toEqual([
      ['app-label', 'notice', 'add label app: migrate', true],
      ['version-label', 'notice', 'add label version: "3.20"', false],
    ]);
    expect(findings.map((finding) => finding.message)).toEqual([
      "pod template has no app label (service.istio.io/canonical-name, app.kubernetes.io/name, app): Istio names the workload's service in telemetry after the workload itself",
      'pod template has no version label (service.istio.io/canonical-revision, app.kubernetes.io/version, version): Istio reports every version of it as "latest"',
    ]);
  });

  it('guesses a protocol from a port number only as an unsafe fix', () => {
    const fixes = lint([fixture('rules/port-protocol/positive.yaml')]).findings.map((finding) => finding.fix && [finding.fix.description, finding.fix.safe]);
    expect(fixes).toEqual([['add appProtocol: http (usual protocol of port 8080)', false], undefined, undefined, undefined]);
  });
});

describe('fixes', () => {
  const fixable = Object.keys(EXPECTED).filter((path) => path.endsWith('positive.yaml'));
  for (const path of fixable) {
    it(`each fix in ${path} removes its finding, changes only its lines and leaves valid YAML`, () => {
      const source = fixture(path);
      const report = lint([source]);
      for (const finding of report.findings.filter((candidate) => candidate.fix)) {
        const fixed = applyEdits(source.text, finding.fix!.edits);
        expect(parseAllDocuments(fixed).flatMap((doc) => ('errors' in doc ? doc.errors : []))).toEqual([]);
        const after = lint([{ path, text: fixed }]);
        expect(after.findings.map((other) => other.fingerprint)).not.toContain(finding.fingerprint);
        // Every line outside the edit is the same, before and after it.
        const before = source.text.split('\n');
        const changed = fixed.split('\n');
        const firstEdited = source.text.slice(0, finding.fix!.edits[0]!.startOffset).split('\n').length - 1;
        const added = changed.length - before.length;
        expect(changed.slice(0, firstEdited)).toEqual(before.slice(0, firstEdited));
        expect(changed.slice(firstEdited + 1 + added)).toEqual(before.slice(firstEdited + 1));
      }
    });
  }
});
