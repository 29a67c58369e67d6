import { fixOf, replaceValue } from '../fix.js';
import { asObject } from '../manifest.js';
import type { RuleContext, RuleViolation } from '../rule.js';
import { applicationContainers } from '../workloads.js';

/** The UID and GID the sidecar runs as; its iptables rules let their traffic bypass Envoy. */
export const ISTIO_PROXY_ID = 1337;

export type IdField = 'runAsUser' | 'runAsGroup';

/**
 * Finds `securityContext.<field>: 1337` in injected workloads: on an application
 * container, or on the pod when some application container inherits it. Init containers
 * are left alone: running one as 1337 is what Istio's docs tell init containers that need
 * the network before the sidecar starts ("Compatibility with application init containers").
 */
export function findReservedIdViolations(context: RuleContext, field: IdField, replacement: number): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const what = field === 'runAsUser' ? 'UID' : 'GID';
  const fixFor = (resource: RuleViolation['resource'], path: RuleViolation['path']) => () =>
    fixOf(`set ${field} to ${replacement}`, [replaceValue(resource, path, replacement)]);

  for (const workload of context.mesh.injectedWorkloads()) {
    const containers = applicationContainers(workload).filter((container) => !container.init);
    const resource = workload.resource;
    const podValue = asObject(workload.podSpec.securityContext)?.[field];
    const inheritors = containers.filter((container) => asObject(container.spec.securityContext)?.[field] === undefined);
    if (podValue === ISTIO_PROXY_ID && inheritors.length > 0) {
      const path = [...workload.templatePath, 'spec', 'securityContext', field];
      violations.push({
        resource,
        path,
        message: `pod ${field} ${ISTIO_PROXY_ID} is the Istio sidecar's ${what}: traffic of container${inheritors.length > 1 ? 's' : ''} ${inheritors
          .map((container) => `"${container.name}"`)
          .join(', ')} bypasses the proxy (no mTLS, no policy, no telemetry)`,
        fix: fixFor(resource, path),
      });
    }
    for (const container of containers) {
      if (asObject(container.spec.securityContext)?.[field] !== ISTIO_PROXY_ID) continue;
      const path = [...container.path, 'securityContext', field];
      violations.push({
        resource,
        path,
        message: `container "${container.name}" runs with ${field} ${ISTIO_PROXY_ID}, the Istio sidecar's ${what}: its traffic bypasses the proxy (no mTLS, no policy, no telemetry)`,
        fix: fixFor(resource, path),
      });
    }
  }
  return violations;
}
