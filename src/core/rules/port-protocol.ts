import { fixOf, insertMapEntry } from '../fix.js';
import type { Rule, RuleViolation } from '../rule.js';
import { PROTOCOL_SELECTION } from './docs.js';
import { describeServicePort, inferProtocol, serverFirstStall, servicePortPath, sniffedServicePorts } from './service-ports.js';

export const portProtocol: Rule = {
  meta: {
    id: 'port-protocol',
    title: 'Service port declares no protocol Istio knows',
    severity: 'notice',
    description:
      'Istio chooses how to proxy a port from its appProtocol or its name prefix (http, grpc, tcp, ...). Without either, it sniffs the protocol, which costs latency and fails for server-first protocols.',
    referenceUrl: PROTOCOL_SELECTION,
    istioCode: 'IST0118',
    istioLevel: 'Info',
    fixable: true,
  },
  check: ({ mesh }) => {
    const violations: RuleViolation[] = [];
    for (const port of sniffedServicePorts(mesh)) {
      const { protocol: declaration, service: resource } = port;
      // A server-first port that stalls is server-first-protocol's finding, with the same fix: one finding per port.
      if (declaration.declared || serverFirstStall(mesh, port)) continue;
      if (declaration.problem === 'unknown-appProtocol') {
        violations.push({
          resource,
          path: [...port.path, 'appProtocol'],
          message: `${describeServicePort(port)} has appProtocol "${declaration.detail}", which Istio does not recognise: use one of http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp`,
        });
        continue;
      }
      const fix = () => {
        const inferred = inferProtocol(mesh, port);
        return inferred
          ? fixOf(`add appProtocol: ${inferred.protocol} (${inferred.reason})`, [insertMapEntry(resource, port.path, 'appProtocol', inferred.protocol)], inferred.certain)
          : undefined;
      };
      const naming = declaration.problem === 'unnamed' ? 'has no name' : `name "${port.name}" does not start with a protocol Istio knows`;
      violations.push({
        resource,
        path: servicePortPath(port),
        message: `${describeServicePort(port)}: ${naming} and no appProtocol is set, so Istio sniffs the protocol; set appProtocol (or name it <protocol>[-suffix])`,
        fix,
      });
    }
    return violations;
  },
};
