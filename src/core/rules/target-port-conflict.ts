import type { ServicePort } from '../mesh.js';
import { protocolFamily } from '../protocols.js';
import type { Rule, RuleViolation } from '../rule.js';
import { PROTOCOL_SELECTION } from './docs.js';
import { describeServicePortOf, servicePortsByPodPort } from './service-ports.js';

function protocolOf(port: ServicePort): string | undefined {
  return port.protocol.declared ? port.protocol.protocol : undefined;
}

export const targetPortConflict: Rule = {
  meta: {
    id: 'target-port-conflict',
    title: 'Service ports of different numbers reach one pod port',
    severity: 'warning',
    description:
      'Istio keys the inbound configuration of a pod port by the Service port that reaches it: Services that select the same workload and send traffic to the same targetPort must do so from the same port number, or one Service port is configured and the other is not.',
    referenceUrl: PROTOCOL_SELECTION,
    istioCode: 'IST0137',
    istioLevel: 'Warning',
    fixable: false,
  },
  check: ({ mesh }) => {
    const violations: RuleViolation[] = [];
    const reported = new Set<ServicePort>();
    for (const workload of mesh.injectedWorkloads()) {
      for (const [podPort, reaching] of servicePortsByPodPort(mesh, workload)) {
        const first = reaching[0]!;
        for (const port of reaching.slice(1)) {
          if (port.port === first.port || reported.has(port)) continue;
          const [protocol, firstProtocol] = [protocolOf(port), protocolOf(first)];
          const protocols =
            protocol !== undefined && firstProtocol !== undefined && protocolFamily(protocol) !== protocolFamily(firstProtocol)
              ? `; they also declare ${protocol} and ${firstProtocol}, which one sidecar listener cannot both serve`
              : '';
          reported.add(port);
          violations.push({
            resource: port.service,
            path: port.targetPortPath,
            message: `${describeServicePortOf(port)} and ${describeServicePortOf(first)} both send traffic to pod port ${podPort} of ${workload.resource.kind} "${workload.resource.name}" from different port numbers: Istio requires Services that share a target port to use the same port number${protocols}`,
          });
        }
      }
    }
    return violations;
  },
};
