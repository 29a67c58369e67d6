import { imageTag } from '../protocols.js';
import type { Rule } from '../rule.js';
import { applicationContainers } from '../workloads.js';
import { APPLICATION_REQUIREMENTS } from './docs.js';
import { findMissingLabelViolations } from './pod-labels.js';

export const versionLabel: Rule = {
  meta: {
    id: 'version-label',
    title: 'Pod template has no version label',
    severity: 'warning',
    description:
      'Istio takes the canonical revision of a workload from its version label; without one, telemetry cannot tell versions apart and version-based routing has nothing to match.',
    docsUrl: `${APPLICATION_REQUIREMENTS}#pod-labels`,
    fixable: true,
  },
  check: (context) =>
    findMissingLabelViolations(context, {
      what: 'version',
      keys: ['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version'],
      fixKey: 'version',
      why: 'Istio telemetry cannot tell versions apart',
      valueCandidates: (workload) => {
        const image = applicationContainers(workload).find((container) => !container.init && container.image)?.image;
        return [image ? imageTag(image) : undefined, 'v1'];
      },
    }),
};
