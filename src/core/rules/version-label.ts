import { imageTag } from '../protocols.js';
import type { Rule } from '../rule.js';
import { applicationContainers } from '../workloads.js';
import { APPLICATION_REQUIREMENTS } from './docs.js';
import { findMissingLabelViolations } from './pod-labels.js';

export const versionLabel: Rule = {
  meta: {
    id: 'version-label',
    title: 'Pod template has no version label',
    severity: 'notice',
    description:
      "Istio takes a workload's canonical revision from its version label (or app.kubernetes.io/version, or service.istio.io/canonical-revision); without one every version is reported as \"latest\", so telemetry cannot tell versions apart. Istio's docs recommend the label.",
    referenceUrl: `${APPLICATION_REQUIREMENTS}#pod-labels`,
    fixable: true,
  },
  check: (context) =>
    findMissingLabelViolations(context, {
      what: 'version',
      keys: ['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version'],
      fixKey: 'version',
      why: 'Istio reports every version of it as "latest"',
      valueCandidates: (workload) => {
        const image = applicationContainers(workload).find((container) => !container.init && container.image)?.image;
        return [image ? imageTag(image) : undefined, 'v1'];
      },
      // An image tag is not always the application's version (alpine, 2.13.0-gpu-jupyter).
      valueIsCertain: false,
      addsLabelsMap: false,
    }),
};
