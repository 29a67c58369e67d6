import type { ServicePort } from '../mesh.js';
import { protocolFamily } from '../protocols.js';
import type { Rule, RuleViolation } from '../rule.js';
import { PROTOCOL_SELECTION } from './docs.js';
import { describeServicePort, servicePortPath } from './service-ports.js';

export const portProtocolConflict: Rule = {
  meta: {
    id: 'port-protocol-conflict',
    title: 'Services give one pod port different protocols',
    severity: 'error',
    description:
      "The sidecar builds one inbound listener per pod port. When two Services select the same pods and declare different protocols for the same target port (HTTP on one, TCP on the other), Istio cannot serve both and one Service's traffic is mishandled.",
    docsUrl: PROTOCOL_SELECTION,
    istioCode: 'IST0116',
    fixable: false,
  },
  check: ({ mesh }) => {
    const violations: RuleViolation[] = [];
    const reported = new Set<ServicePort>();
    for (const workload of mesh.injectedWorkloads()) {
      const seen = new Map<number, { port: ServicePort; protocol: string }>();
      for (const { resource, ports, istioManaged } of mesh.servicesSelecting(workload)) {
        if (istioManaged) continue;
        for (const port of ports) {
          if (!port.protocol.declared) continue;
          const target = mesh.targetContainerPort(port, workload)?.number;
          if (target === undefined) continue;
          const protocol = port.protocol.protocol;
          const first = seen.get(target);
          if (!first) {
            seen.set(target, { port, protocol });
            continue;
          }
          if (first.port.service === resource || protocolFamily(first.protocol) === protocolFamily(protocol) || reported.has(port)) continue;
          reported.add(port);
          violations.push({
            resource,
            path: port.protocol.source === 'appProtocol' ? [...port.path, 'appProtocol'] : servicePortPath(port),
            message: `${describeServicePort(port)} of Service "${resource.name}" declares ${protocol} for pod port ${target} of ${workload.resource.kind} "${workload.resource.name}", which Service "${first.port.service.name}" declares as ${first.protocol}: one sidecar listener cannot serve both`,
          });
        }
      }
    }
    return violations;
  },
};
