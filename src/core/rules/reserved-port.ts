import type { Rule, RuleViolation } from '../rule.js';
import { applicationContainers } from '../workloads.js';
import { APPLICATION_REQUIREMENTS } from './docs.js';

/** Ports the Envoy sidecar listens on inside every injected pod. */
export const SIDECAR_PORTS: ReadonlyMap<number, string> = new Map([
  [15000, 'Envoy admin'],
  [15001, 'Envoy outbound traffic'],
  [15002, 'failure detection'],
  [15004, 'debug'],
  [15006, 'Envoy inbound traffic'],
  [15008, 'HBONE mTLS tunnel'],
  [15020, 'merged Prometheus telemetry'],
  [15021, 'health checks'],
  [15053, 'DNS proxy'],
  [15090, 'Envoy Prometheus telemetry'],
]);

export const reservedPort: Rule = {
  meta: {
    id: 'reserved-port',
    title: 'Port used by the Istio sidecar',
    severity: 'error',
    description:
      'The sidecar listens on 15000-15090 inside the pod; an application port among them collides with Envoy and either fails to bind or receives traffic meant for the proxy.',
    referenceUrl: `${APPLICATION_REQUIREMENTS}#ports-used-by-istio`,
    fixable: false,
  },
  check: ({ mesh }) => {
    const violations: RuleViolation[] = [];
    for (const workload of mesh.injectedWorkloads()) {
      for (const container of applicationContainers(workload)) {
        for (const port of container.ports) {
          const use = SIDECAR_PORTS.get(port.containerPort);
          if (!use) continue;
          violations.push({
            resource: workload.resource,
            path: [...port.path, 'containerPort'],
            message: `container "${container.name}" uses port ${port.containerPort}, which the Istio sidecar uses (${use}): pick a port outside 15000-15090`,
          });
        }
      }
    }
    for (const { resource, ports } of mesh.applicationServices()) {
      const selected = mesh.selectedWorkloads(resource);
      if (selected.length > 0 ? !selected.some((workload) => mesh.isInjected(workload)) : !mesh.namespaceMayInject(resource.namespace)) continue;
      for (const port of ports) {
        if (typeof port.targetPort !== 'number') continue;
        const use = SIDECAR_PORTS.get(port.targetPort);
        if (!use) continue;
        violations.push({
          resource,
          path: port.targetPortPath,
          message: `Service "${resource.name}" sends traffic to pod port ${port.targetPort}, which the Istio sidecar uses (${use}): the application cannot serve it`,
        });
      }
    }
    return violations;
  },
};
