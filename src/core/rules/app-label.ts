import type { Rule } from '../rule.js';
import { APPLICATION_REQUIREMENTS } from './docs.js';
import { findMissingLabelViolations } from './pod-labels.js';

export const appLabel: Rule = {
  meta: {
    id: 'app-label',
    title: 'Pod template has no app label',
    severity: 'warning',
    description:
      'Istio takes the canonical service name of a workload from its app label; without one, metrics and traces name pods instead of the application.',
    docsUrl: `${APPLICATION_REQUIREMENTS}#pod-labels`,
    fixable: true,
  },
  check: (context) =>
    findMissingLabelViolations(context, {
      what: 'app',
      keys: ['service.istio.io/canonical-name', 'app.kubernetes.io/name', 'app'],
      fixKey: 'app',
      why: 'Istio metrics and traces cannot name the application',
      valueCandidates: (workload) => [workload.resource.name.replace(/-+$/, '')],
    }),
};
