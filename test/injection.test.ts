import { describe, expect, it } from 'vitest';
import { parseManifestFile } from '../src/core/manifest.js';
import { DEFAULT_MESH_FACTS, MeshModel } from '../src/core/mesh.js';
import type { MeshFacts } from '../src/core/mesh.js';

function namespace(name: string, labels: Record<string, string> = {}): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\n`;
}

function deployment(name: string, namespaceName: string | undefined, podLabels: Record<string, string> = {}, podAnnotations: Record<string, string> = {}, extra = ''): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(namespaceName ? [`  namespace: ${namespaceName}`] : []),
    'spec:',
    '  template:',
    '    metadata:',
    `      labels: ${JSON.stringify({ app: name, ...podLabels })}`,
    `      annotations: ${JSON.stringify(podAnnotations)}`,
    '    spec:',
    `      containers: [{name: ${name}, image: "${name}:1"}]`,
    extra,
  ].join('\n');
}

/** The dataplane mode of every workload in the manifests, by name. */
function modes(documents: string[], facts: Partial<MeshFacts> = {}): Record<string, string> {
  const { resources } = parseManifestFile({ path: 'k8s.yaml', text: documents.join('\n---\n') }, { maxFileBytes: 1e6 });
  const mesh = new MeshModel(resources, { ...DEFAULT_MESH_FACTS, ...facts });
  return Object.fromEntries(mesh.workloads.map((workload) => [workload.resource.name, mesh.dataplaneMode(workload)]));
}

describe("injection as Istio's webhook decides it", () => {
  it('a namespace of the change injects only with istio-injection=enabled or istio.io/rev', () => {
    expect(
      modes([
        namespace('plain'),
        namespace('enabled', { 'istio-injection': 'enabled' }),
        namespace('revision', { 'istio.io/rev': 'canary' }),
        namespace('disabled', { 'istio-injection': 'disabled' }),
        deployment('in-plain', 'plain'),
        deployment('in-enabled', 'enabled'),
        deployment('in-revision', 'revision'),
        deployment('in-disabled', 'disabled'),
      ]),
    ).toEqual({ 'in-plain': 'none', 'in-enabled': 'sidecar', 'in-revision': 'sidecar', 'in-disabled': 'none' });
  });

  it('a pod label opts in where the object selector applies, and opts out everywhere', () => {
    expect(
      modes([
        namespace('plain'),
        namespace('disabled', { 'istio-injection': 'disabled' }),
        namespace('enabled', { 'istio-injection': 'enabled' }),
        deployment('label-in-plain', 'plain', { 'sidecar.istio.io/inject': 'true' }),
        deployment('revision-in-plain', 'plain', { 'istio.io/rev': 'stable' }),
        // The webhook's object selector reads labels: the old annotation cannot opt in.
        deployment('annotation-in-plain', 'plain', {}, { 'sidecar.istio.io/inject': 'true' }),
        deployment('label-in-disabled', 'disabled', { 'sidecar.istio.io/inject': 'true' }),
        deployment('out-label', 'enabled', { 'sidecar.istio.io/inject': 'false' }),
        deployment('out-annotation', 'enabled', {}, { 'sidecar.istio.io/inject': 'false' }),
        deployment('label-beats-annotation', 'enabled', { 'sidecar.istio.io/inject': 'true' }, { 'sidecar.istio.io/inject': 'false' }),
      ]),
    ).toEqual({
      'label-in-plain': 'sidecar',
      'revision-in-plain': 'sidecar',
      'annotation-in-plain': 'none',
      'label-in-disabled': 'none',
      'out-label': 'none',
      'out-annotation': 'none',
      'label-beats-annotation': 'sidecar',
    });
  });

  it('namespaces not in the change take the config, and Istio never injects its ignored namespaces', () => {
    const documents = [
      deployment('elsewhere', 'shop'),
      deployment('no-namespace', undefined),
      deployment('opted-in', 'shop', { 'sidecar.istio.io/inject': 'true' }),
      ...['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'].map((name) => deployment(`in-${name}`, name, { 'sidecar.istio.io/inject': 'true' })),
      deployment('host-network', 'shop', {}, {}, '      hostNetwork: true'),
    ];
    expect(modes(documents)).toEqual({
      elsewhere: 'sidecar',
      'no-namespace': 'sidecar',
      'opted-in': 'sidecar',
      'in-kube-system': 'none',
      'in-kube-public': 'none',
      'in-kube-node-lease': 'none',
      'in-local-path-storage': 'none',
      'host-network': 'none',
    });
    expect(modes(documents, { namespacesInjectedByDefault: false })).toMatchObject({ elsewhere: 'none', 'no-namespace': 'none', 'opted-in': 'sidecar' });
  });

  it('ambient namespaces and pods run without sidecars', () => {
    expect(
      modes([
        namespace('mesh', { 'istio.io/dataplane-mode': 'ambient' }),
        deployment('ambient-ns', 'mesh'),
        deployment('ambient-pod', 'elsewhere', { 'istio.io/dataplane-mode': 'ambient' }),
        // A sidecar asked for explicitly wins over ambient, as in Istio.
        deployment('sidecar-in-ambient', 'mesh', { 'sidecar.istio.io/inject': 'true' }),
      ]),
    ).toEqual({ 'ambient-ns': 'ambient', 'ambient-pod': 'ambient', 'sidecar-in-ambient': 'sidecar' });
  });

  it("leaves Istio's control plane and every kind of gateway alone", () => {
    expect(
      modes([
        deployment('istiod', 'istio-system', { istio: 'pilot' }),
        deployment('eastwest', 'istio-system', { istio: 'eastwestgateway' }),
        deployment('custom-gateway', 'edge', { istio: 'my-gateway' }),
        deployment('helm-gateway', 'edge', { release: 'istio' }),
        deployment('injected-gateway', 'edge', { 'sidecar.istio.io/inject': 'true' }, { 'inject.istio.io/templates': 'gateway' }),
        deployment('gateway-api', 'edge', { 'gateway.networking.k8s.io/gateway-name': 'edge' }),
        deployment('waypoint', 'edge', { 'gateway.istio.io/managed': 'istio.io-mesh-controller' }),
      ]),
    ).toEqual({
      istiod: 'none',
      eastwest: 'none',
      'custom-gateway': 'none',
      'helm-gateway': 'none',
      'injected-gateway': 'none',
      'gateway-api': 'none',
      waypoint: 'none',
    });
  });
});
