import type { Rule } from '../rule.js';
import { APPLICATION_REQUIREMENTS } from './docs.js';
import { findReservedIdViolations } from './reserved-id.js';

export const reservedGid: Rule = {
  meta: {
    id: 'reserved-gid',
    title: 'Application runs as the sidecar GID 1337',
    severity: 'error',
    description:
      "Istio's traffic redirection also exempts the proxy's group, GID 1337: an application running with that group bypasses the sidecar.",
    referenceUrl: `${APPLICATION_REQUIREMENTS}#application-uids`,
    fixable: true,
  },
  check: (context) => findReservedIdViolations(context, 'runAsGroup', context.fixDefaults.gid),
};
