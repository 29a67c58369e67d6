import type { Rule } from '../rule.js';
import { APPLICATION_REQUIREMENTS } from './docs.js';
import { findReservedIdViolations } from './reserved-id.js';

export const reservedUid: Rule = {
  meta: {
    id: 'reserved-uid',
    title: 'Application runs as the sidecar UID 1337',
    severity: 'warning',
    description:
      "Istio's iptables rules exempt traffic from UID 1337 so that Envoy's own traffic is not redirected to itself. An application running as 1337 bypasses the sidecar entirely.",
    referenceUrl: `${APPLICATION_REQUIREMENTS}#application-uids`,
    istioCode: 'IST0144',
    istioLevel: 'Warning',
    fixable: true,
  },
  check: (context) => findReservedIdViolations(context, 'runAsUser', context.fixDefaults.uid),
};
