import { asObject } from '../manifest.js';
import type { Rule, RuleViolation } from '../rule.js';
import { PROTOCOL_SELECTION } from './docs.js';
import { describeServicePort, servicePortPath } from './service-ports.js';

export const externalNamePort: Rule = {
  meta: {
    id: 'external-name-port',
    title: 'ExternalName Service port without a usable protocol',
    severity: 'warning',
    description:
      'The sidecar forwards traffic to an ExternalName Service by the protocol of its port. A port named plain "tcp", or one whose protocol Istio cannot tell, keeps TCP traffic for the external host from being forwarded correctly.',
    referenceUrl: PROTOCOL_SELECTION,
    istioCode: 'IST0150',
    istioLevel: 'Warning',
    fixable: false,
  },
  check: ({ mesh }) => {
    const violations: RuleViolation[] = [];
    for (const service of mesh.applicationServices()) {
      if (!service.externalName) continue;
      for (const port of service.ports) {
        const plainTcp = port.name === 'tcp';
        if (port.protocol.declared && !plainTcp) continue;
        violations.push({
          resource: service.resource,
          path: servicePortPath(port),
          message: `${describeServicePort(port)} of ExternalName Service "${service.resource.name}" ${
            plainTcp ? 'is named plain "tcp"' : 'declares no protocol Istio knows'
          }: the sidecar may not forward its TCP traffic to ${String(asObject(service.resource.object.spec)?.externalName ?? 'the external host')}; name it for its protocol (https, tls, mongo, ...) or tcp-<suffix>`,
        });
      }
    }
    return violations;
  },
};
