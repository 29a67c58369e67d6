import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/analyze.js';
import { analyzeFiles, analyzeSources } from '../src/core/analyze-files.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import type { MeshreadyConfig } from '../src/core/config.js';
import type { SourceFile } from '../src/core/types.js';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      securityContext:
        runAsUser: 1337
      containers:
        - name: web
          image: web:1.0
          ports:
            - name: http
              containerPort: 8080
`;

const FILES: SourceFile[] = [
  { path: 'svc.yaml', text: SERVICE },
  { path: 'deploy.yaml', text: DEPLOYMENT },
  { path: 'broken.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n' },
];

describe('the analysis of files', () => {
  it('is what analyze gives when there is no chart', () => {
    expect(analyzeFiles(FILES, DEFAULT_CONFIG, { filterPaths: false })).toEqual(analyze(FILES, DEFAULT_CONFIG, { filterPaths: false, charts: [] }));
  });

  it('makes only the findings of the files asked for, the other files still read: a fix proof reads those of its render alone', () => {
    const whole = analyzeFiles(FILES, DEFAULT_CONFIG, { filterPaths: false });
    expect(whole.findings.map((finding) => `${finding.file} ${finding.ruleId}`)).toEqual([
      'broken.yaml parse-error',
      'deploy.yaml version-label',
      'deploy.yaml reserved-uid',
      'svc.yaml port-protocol',
    ]);
    const serviceOnly = analyzeSources(FILES, DEFAULT_CONFIG, { filterPaths: false }, [], undefined, new Set(['svc.yaml']));
    expect(serviceOnly.findings).toEqual(whole.findings.filter((finding) => finding.file === 'svc.yaml'));
    // The Service's fix names the container port of the Deployment in the other file.
    expect(serviceOnly.findings[0]!.fix!.description).toBe('add appProtocol: http (container port name "http")');
    expect(serviceOnly.stats).toEqual(whole.stats);
  });
});

/** Manifests that meet across files: Services selecting Deployments, namespaces and their labels, policies, alternatives (one name defined twice). */
const namespaceField = fc.constantFrom('', '  namespace: a\n', '  namespace: b\n', '  namespace: istio-system\n');
const name = fc.constantFrom('web', 'db');
const deployment = fc
  .record({ name, namespace: namespaceField, app: name, version: fc.boolean(), uid: fc.constantFrom(1000, 1337), port: fc.constantFrom(8080, 15020, 9102), inject: fc.constantFrom('', '        sidecar.istio.io/inject: "false"\n') })
  .map(
    (d) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${d.name}\n${d.namespace}spec:\n  selector:\n    matchLabels:\n      app: ${d.app}\n  template:\n    metadata:\n      labels:\n        app: ${d.app}\n${d.version ? '        version: v1\n' : ''}${d.inject}    spec:\n      securityContext:\n        runAsUser: ${d.uid}\n      containers:\n        - name: ${d.name}\n          image: ${d.name}:1.2\n          ports:\n            - name: http\n              containerPort: ${d.port}\n`,
  );
const service = fc
  .record({ name, namespace: namespaceField, app: name, port: fc.constantFrom(80, 8080, 15006), portName: fc.constantFrom('', '      name: http\n', '      name: tcp-x\n', '      name: grpc\n'), target: fc.constantFrom('http', '8080', '9102') })
  .map((s) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${s.name}\n${s.namespace}spec:\n  selector:\n    app: ${s.app}\n  ports:\n    - port: ${s.port}\n${s.portName}      targetPort: ${s.target}\n`);
const namespace = fc
  .record({ name: fc.constantFrom('a', 'b', 'istio-system'), injection: fc.constantFrom('', '    istio-injection: enabled\n', '    istio-injection: disabled\n'), enforce: fc.constantFrom('', '    pod-security.kubernetes.io/enforce: restricted\n') })
  .map((n) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n.name}\n  labels:\n    team: x\n${n.injection}${n.enforce}`);
const peerAuthentication = fc
  .record({ namespace: fc.constantFrom('a', 'istio-system'), mode: fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE'), selector: fc.constantFrom('', '  selector:\n    matchLabels:\n      app: web\n') })
  .map((p) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: mtls\n  namespace: ${p.namespace}\nspec:\n${p.selector}  mtls:\n    mode: ${p.mode}\n`);
const podSecurityPolicy = fc
  .constantFrom('', '  allowedCapabilities: [NET_ADMIN]\n')
  .map((allowed) => `apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: restricted\nspec:\n${allowed}  runAsUser: {rule: RunAsAny}\n`);
const manifestFiles = fc.array(fc.array(fc.oneof(deployment, service, namespace, peerAuthentication, podSecurityPolicy), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 7 }).map((files) =>
  files.map((documents, index): SourceFile => ({ path: `f${index}.yaml`, text: documents.join('---\n') })),
);

describe('the findings of some files, from the resources that bear on them', () => {
  it("keep the alternatives of every namespace: which cluster says a finding first rests on all of them", () => {
    const definition = (workload: string, inNamespace: string, portName: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${workload}\n  namespace: ${inNamespace}\nspec:\n  selector:\n    matchLabels:\n      app: ${workload}\n  template:\n    metadata:\n      labels:\n        app: ${workload}\n        version: v1\n    spec:\n      containers:\n        - name: ${workload}\n          image: ${workload}:1\n          ports:\n            - name: ${portName}\n              containerPort: 8080\n`;
    // Two definitions of web in b, two of other in a; fa.yaml's choice of both sorts first, so the first cluster holds its web.
    const files: SourceFile[] = [
      { path: 'fa.yaml', text: `${definition('other', 'a', 'x0')}---\n${definition('web', 'b', 'http')}` },
      { path: 'fb.yaml', text: definition('web', 'b', 'grpc') },
      { path: 'fc.yaml', text: definition('other', 'a', 'x1') },
      { path: 'svc.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: b\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n' },
    ];
    const some = analyzeSources(files, DEFAULT_CONFIG, { filterPaths: false }, [], undefined, new Set(['svc.yaml']));
    expect(some.findings.map((finding) => finding.fix?.description)).toEqual(['add appProtocol: http (container port name "http")']);
    expect(some.findings).toEqual(analyzeFiles(files, DEFAULT_CONFIG, { filterPaths: false }).findings.filter((finding) => finding.file === 'svc.yaml'));
  });

  it('are those of the whole analysis in those files, over namespaces, selection, policies and alternatives', () => {
    fc.assert(
      fc.property(manifestFiles, fc.array(fc.nat(6)), fc.constantFrom('v1.35.0', 'v1.24.0'), (files, picked, kubernetesVersion) => {
        const config: MeshreadyConfig = { ...DEFAULT_CONFIG, kubernetesVersion };
        const reported = new Set(picked.map((index) => `f${index}.yaml`));
        const whole = analyzeFiles(files, config, { filterPaths: false });
        const some = analyzeSources(files, config, { filterPaths: false }, [], undefined, reported);
        expect(some.findings).toEqual(whole.findings.filter((finding) => reported.has(finding.file)));
      }),
      { numRuns: 400 },
    );
  });
});
