import { fixOf, insertMapEntry, replaceValue } from '../fix.js';
import type { Rule, RuleViolation } from '../rule.js';
import { APPLICATION_REQUIREMENTS } from './docs.js';
import { describeServicePort, serverFirstStall, servicePortPath, sniffedServicePorts } from './service-ports.js';

export const serverFirstProtocol: Rule = {
  meta: {
    id: 'server-first-protocol',
    title: 'Server-first protocol on a port Istio sniffs',
    severity: 'warning',
    description:
      'With a server-first protocol (MySQL, SMTP, SSH, NATS, ...) the client waits for the server, while Istio protocol sniffing waits for the client: connections stall. Declare the port as tcp.',
    referenceUrl: `${APPLICATION_REQUIREMENTS}#server-first-protocols`,
    fixable: true,
  },
  check: ({ mesh }) => {
    const violations: RuleViolation[] = [];
    for (const port of sniffedServicePorts(mesh)) {
      const stall = serverFirstStall(mesh, port);
      if (!stall) continue;
      const { serverFirst, permissive } = stall;
      const resource = port.service;
      const permissiveNote = permissive
        ? `; PeerAuthentication "${permissive.peerAuthentication.name}" sets PERMISSIVE mTLS, under which plaintext ${serverFirst.protocol} clients fail`
        : '';
      // An appProtocol Istio does not know is replaced, never written twice.
      const fix = () =>
        fixOf('add appProtocol: tcp', [
          port.appProtocol !== undefined ? replaceValue(resource, [...port.path, 'appProtocol'], 'tcp') : insertMapEntry(resource, port.path, 'appProtocol', 'tcp'),
        ]);
      violations.push({
        resource,
        path: servicePortPath(port),
        message: `${describeServicePort(port)} carries ${serverFirst.protocol}, a server-first protocol, but Istio sniffs its protocol: connections hang until the client speaks. Declare it as tcp (appProtocol: tcp)${permissiveNote}`,
        fix,
      });
    }
    return violations;
  },
};
