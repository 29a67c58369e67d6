import { isBefore } from '../kubernetes-version.js';
import { asArray, asObject } from '../manifest.js';
import type { Resource } from '../manifest.js';
import { namespaceLabelsInject } from '../mesh.js';
import type { MeshModel } from '../mesh.js';
import type { Rule, RuleViolation } from '../rule.js';
import { POD_SECURITY_ADMISSION } from './docs.js';

/** What the istio-init container adds to program iptables. */
const INIT_CAPABILITIES = ['NET_ADMIN', 'NET_RAW'];
const RESTRICTIVE_LEVELS = new Set(['baseline', 'restricted']);
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

function normalise(capability: unknown): string {
  return String(capability).toUpperCase().replace(/^CAP_/, '');
}

function findPodSecurityPolicyViolations(policy: Resource): RuleViolation[] {
  const spec = asObject(policy.object.spec) ?? {};
  const dropped = asArray(spec.requiredDropCapabilities).map(normalise);
  const dropIndex = dropped.findIndex((capability) => capability === 'ALL' || INIT_CAPABILITIES.includes(capability));
  if (dropIndex !== -1) {
    return [
      {
        resource: policy,
        path: ['spec', 'requiredDropCapabilities', dropIndex],
        message: `PodSecurityPolicy "${policy.name}" requires dropping ${dropped[dropIndex]}: the istio-init container, which needs NET_ADMIN and NET_RAW, is refused. Use Istio CNI or exempt injected pods`,
      },
    ];
  }
  const allowed = [...asArray(spec.allowedCapabilities), ...asArray(spec.defaultAddCapabilities)].map(normalise);
  if (allowed.includes('*')) return [];
  const missing = INIT_CAPABILITIES.filter((capability) => !allowed.includes(capability));
  if (missing.length === 0) return [];
  return [
    {
      resource: policy,
      path: 'allowedCapabilities' in spec ? ['spec', 'allowedCapabilities'] : ['spec'],
      part: 'key',
      message: `PodSecurityPolicy "${policy.name}" does not allow ${missing.join(' and ')}: the istio-init container, which adds NET_ADMIN and NET_RAW, is refused. Allow them or use Istio CNI`,
    },
  ];
}

/** A namespace gets sidecars when labelled for injection, or when a workload of the change in it is injected. */
function namespaceIsInjected(mesh: MeshModel, namespace: Resource): boolean {
  return namespaceLabelsInject(namespace.labels) || mesh.workloadsIn(namespace.name).some((workload) => mesh.isInjected(workload));
}

export const initCapabilities: Rule = {
  meta: {
    id: 'init-capabilities',
    title: 'istio-init cannot get NET_ADMIN and NET_RAW',
    severity: 'error',
    description:
      'Without Istio CNI, every injected pod starts an istio-init container that needs NET_ADMIN and NET_RAW to set up traffic redirection. Pod Security "baseline" and "restricted", and restrictive PodSecurityPolicies, refuse them, so pods never start.',
    referenceUrl: POD_SECURITY_ADMISSION,
    fixable: false,
  },
  check: ({ mesh, kubernetesVersion }) => {
    if (mesh.facts.cni) return [];
    // Kubernetes 1.25 removed PodSecurityPolicy: a cluster Istio supports has none to refuse the pods.
    const clusterHasPodSecurityPolicy = isBefore(kubernetesVersion, 1, 25);
    const violations = clusterHasPodSecurityPolicy ? mesh.podSecurityPolicies.flatMap(findPodSecurityPolicyViolations) : [];
    for (const namespace of mesh.namespaceResources) {
      const level = namespace.labels[ENFORCE_LABEL];
      if (!level || !RESTRICTIVE_LEVELS.has(level) || !namespaceIsInjected(mesh, namespace)) continue;
      violations.push({
        resource: namespace,
        path: ['metadata', 'labels', ENFORCE_LABEL],
        message: `namespace "${namespace.name}" enforces Pod Security "${level}", which forbids NET_ADMIN and NET_RAW: the istio-init container of every injected pod is rejected. Use Istio CNI (mesh.cni: true in .github/meshready.yml once installed) or the "privileged" level`,
      });
    }
    return violations;
  },
};
