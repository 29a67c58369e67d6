import type { Rule } from '../rule.js';
import { APPLICATION_REQUIREMENTS } from './docs.js';
import { findMissingLabelViolations } from './pod-labels.js';

export const appLabel: Rule = {
  meta: {
    id: 'app-label',
    title: 'Pod template has no app label',
    severity: 'notice',
    description:
      "Istio takes a workload's canonical service name from its app label (or app.kubernetes.io/name, or service.istio.io/canonical-name); without one it falls back to the workload's own name, so telemetry and traces group by Deployment rather than by application. Istio's docs recommend the label.",
    referenceUrl: `${APPLICATION_REQUIREMENTS}#pod-labels`,
    fixable: true,
  },
  check: (context) =>
    findMissingLabelViolations(context, {
      what: 'app',
      keys: ['service.istio.io/canonical-name', 'app.kubernetes.io/name', 'app'],
      fixKey: 'app',
      why: "Istio names the workload's service in telemetry after the workload itself",
      valueCandidates: (workload) => [workload.resource.name.replace(/-+$/, '')],
      valueIsCertain: true,
      addsLabelsMap: true,
    }),
};
