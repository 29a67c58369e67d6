import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../src/core/types.js';
import { lint } from './helpers.js';

const file = (path: string, lines: string[]): SourceFile => ({ path, text: `${lines.join('\n')}\n` });

const base = [
  file('base/kustomization.yaml', ['resources: [deployment.yaml]', 'commonLabels: {app: web}']),
  file('base/deployment.yaml', [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  template:',
    '    metadata: {labels: {version: v1}}',
    '    spec:',
    '      containers: [{name: web, image: "web:1"}]',
  ]),
];

const overlay = [
  file('overlays/prod/kustomization.yaml', ['resources: [../../base]', 'patches:', '  - path: uid-patch.yaml']),
  // A patch: no labels, no image, only what it changes.
  file('overlays/prod/uid-patch.yaml', [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers: [{name: web, securityContext: {runAsUser: 1337}}]',
  ]),
];

const findingsOf = (files: SourceFile[]) => lint(files).findings.map((finding) => `${finding.ruleId} ${finding.file}`);

describe('kustomize-aware analysis', () => {
  it("reads a patch as a patch: its base's labels and commonLabels count, what it sets is still checked", () => {
    expect(findingsOf([...base, ...overlay])).toEqual(['reserved-uid overlays/prod/uid-patch.yaml']);
    // Without the kustomizations the same files are whole workloads, short of labels.
    expect(findingsOf([base[1]!, overlay[1]!])).toEqual([
      'app-label base/deployment.yaml',
      'app-label overlays/prod/uid-patch.yaml',
      'version-label overlays/prod/uid-patch.yaml',
      'reserved-uid overlays/prod/uid-patch.yaml',
    ]);
  });

  it("gives a kustomization's resources its namespace, so that namespace's injection labels decide", () => {
    const plain = [
      file('overlays/batch/kustomization.yaml', ['namespace: batch', 'resources: [../../base, namespace.yaml]', 'patches: [uid-patch.yaml]']),
      file('overlays/batch/namespace.yaml', ['apiVersion: v1', 'kind: Namespace', 'metadata: {name: batch}']),
      { ...overlay[1]!, path: 'overlays/batch/uid-patch.yaml' },
    ];
    expect(findingsOf([...base, ...plain])).toEqual([]);
    const injected = [plain[0]!, file('overlays/batch/namespace.yaml', ['apiVersion: v1', 'kind: Namespace', 'metadata: {name: batch, labels: {istio-injection: enabled}}']), plain[2]!];
    expect(findingsOf([...base, ...injected])).toEqual(['reserved-uid overlays/batch/uid-patch.yaml']);
  });

  it('analyses alternative files apart: the same Service in two provider variants is no conflict', () => {
    const variant = (provider: string, portLine: string) =>
      file(`deploy/${provider}/deploy.yaml`, [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: controller, namespace: ingress}',
        'spec:',
        '  template:',
        '    metadata: {labels: {app: controller, version: v1}}',
        '    spec:',
        '      containers: [{name: controller, image: "controller:1", ports: [{containerPort: 80}]}]',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: controller, namespace: ingress}',
        'spec:',
        '  selector: {app: controller}',
        `  ports: [${portLine}]`,
      ]);
    const namespace = file('deploy/namespace.yaml', ['apiVersion: v1', 'kind: Namespace', 'metadata: {name: ingress, labels: {istio-injection: enabled}}']);
    const aws = variant('aws', '{name: http, port: 80}');
    const baremetal = variant('baremetal', '{name: tcp, port: 80}');
    const extra = file('deploy/extra-service.yaml', ['apiVersion: v1', 'kind: Service', 'metadata: {name: controller-tcp, namespace: ingress}', 'spec:', '  selector: {app: controller}', '  ports: [{name: tcp, port: 80}]']);
    expect(findingsOf([aws, baremetal, namespace])).toEqual([]);
    // A file common to both variants meets each of them: its conflict with aws's Service is found, once.
    expect(lint([aws, baremetal, namespace, extra]).findings.map((finding) => finding.message)).toEqual([
      'Service "controller-tcp" port "tcp" 80 declares tcp for pod port 80 of Deployment "controller", but Service "controller" port "http" 80 declares http for it: the sidecar has one inbound listener per pod port and cannot serve both',
    ]);
  });

  it('takes resources without a name for no alternatives: generateName makes a new object each time', () => {
    const workload = file('web.yaml', [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  template:',
      '    metadata: {labels: {app: web, version: v1}}',
      '    spec:',
      '      containers: [{name: web, image: "web:1", ports: [{containerPort: 80}]}]',
    ]);
    const generated = (path: string, portName: string) =>
      file(path, ['apiVersion: v1', 'kind: Service', 'metadata: {generateName: web-}', 'spec:', '  selector: {app: web}', `  ports: [{name: ${portName}, port: 80}]`]);
    expect(findingsOf([workload, generated('http-service.yaml', 'http'), generated('tcp-service.yaml', 'tcp')])).toEqual(['port-protocol-conflict tcp-service.yaml']);
  });
});
