import type { ServicePort } from '../mesh.js';
import { protocolFamily } from '../protocols.js';
import type { Rule, RuleViolation } from '../rule.js';
import { PROTOCOL_SELECTION } from './docs.js';
import { describeServicePortOf, servicePortPath, servicePortsByPodPort } from './service-ports.js';

export const portProtocolConflict: Rule = {
  meta: {
    id: 'port-protocol-conflict',
    title: 'Services give one pod port different protocols',
    severity: 'warning',
    description:
      "The sidecar builds one inbound listener per pod port. When Services that select the same pods declare one port with protocols of different kinds (HTTP on one, TCP on the other), Istio cannot serve both and one Service's traffic is mishandled.",
    referenceUrl: PROTOCOL_SELECTION,
    istioCode: 'IST0116',
    istioLevel: 'Warning',
    fixable: false,
  },
  check: ({ mesh }) => {
    const violations: RuleViolation[] = [];
    const reported = new Set<ServicePort>();
    for (const workload of mesh.injectedWorkloads()) {
      for (const [podPort, reaching] of servicePortsByPodPort(mesh, workload)) {
        const declared = reaching.filter((port) => port.protocol.declared);
        for (const [index, port] of declared.entries()) {
          // Ports of other numbers on the same pod port are target-port-conflict's finding.
          const first = declared.slice(0, index).find((earlier) => earlier.port === port.port);
          if (!first?.protocol.declared || !port.protocol.declared || reported.has(port)) continue;
          if (protocolFamily(port.protocol.protocol) === protocolFamily(first.protocol.protocol)) continue;
          reported.add(port);
          violations.push({
            resource: port.service,
            path: port.protocol.source === 'appProtocol' ? [...port.path, 'appProtocol'] : servicePortPath(port),
            message: `${describeServicePortOf(port)} declares ${port.protocol.protocol} for pod port ${podPort} of ${workload.resource.kind} "${workload.resource.name}", but ${describeServicePortOf(first)} declares ${first.protocol.protocol} for it: the sidecar has one inbound listener per pod port and cannot serve both`,
          });
        }
      }
    }
    return violations;
  },
};
