import { fixOf, insertMapEntry } from '../fix.js';
import type { Rule, RuleViolation } from '../rule.js';
import { APPLICATION_REQUIREMENTS } from './docs.js';
import { describeServicePort, serverFirstProtocolOf, servicePortPath, sniffedServicePorts } from './service-ports.js';

export const serverFirstProtocol: Rule = {
  meta: {
    id: 'server-first-protocol',
    title: 'Server-first protocol on a port Istio sniffs',
    severity: 'warning',
    description:
      'With a server-first protocol (MySQL, SMTP, SSH, NATS, ...) the client waits for the server, while Istio protocol sniffing waits for the client: connections stall. Declare the port as tcp.',
    docsUrl: `${APPLICATION_REQUIREMENTS}#server-first-protocols`,
    fixable: true,
  },
  check: ({ mesh }) => {
    const violations: RuleViolation[] = [];
    for (const port of sniffedServicePorts(mesh)) {
      const resource = port.service;
      const serverFirst = serverFirstProtocolOf(mesh, port);
      if (!serverFirst) continue;
      const selected = mesh.selectedWorkloads(resource);
      const workloads = selected.filter((workload) => mesh.isInjected(workload));
      if (selected.length > 0 ? workloads.length === 0 : !mesh.namespaceMayInject(resource.namespace)) continue;
      const policies = workloads.map((workload) => mesh.mtlsPolicy(workload, mesh.targetContainerPort(port, workload)?.number));
      // Under STRICT everything arrives as TLS (client-first); under DISABLE nothing is sniffed as mTLS.
      if (policies.length > 0 && policies.every((policy) => policy && policy.mode !== 'PERMISSIVE')) continue;
      const permissive = policies.find((policy) => policy?.mode === 'PERMISSIVE');
      const permissiveNote = permissive
        ? `; PeerAuthentication "${permissive.peerAuthentication.name}" sets PERMISSIVE mTLS, under which plaintext ${serverFirst.protocol} clients fail`
        : '';
      const fix = fixOf('add appProtocol: tcp', [insertMapEntry(resource, port.path, 'appProtocol', 'tcp')]);
      violations.push({
        resource,
        path: servicePortPath(port),
        message: `${describeServicePort(port)} carries ${serverFirst.protocol}, a server-first protocol, but Istio sniffs its protocol: connections hang until the client speaks. Declare it as tcp (appProtocol: tcp)${permissiveNote}`,
        ...(fix ? { fix } : {}),
      });
    }
    return violations;
  },
};
