import { fixOf, insertMapEntry, renderScalar } from '../fix.js';
import { asObject } from '../manifest.js';
import type { RuleContext, RuleViolation } from '../rule.js';
import type { Workload } from '../workloads.js';

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

export interface CanonicalLabel {
  /** What the label names, for messages: "app" or "version". */
  what: string;
  /** Every label Istio reads it from, highest precedence first. */
  keys: string[];
  /** The label a fix adds. */
  fixKey: string;
  why: string;
  /** Values a fix may give the label, best first; the first valid label value is used. */
  valueCandidates(workload: Workload): (string | undefined)[];
  /** Whether a value is read from the manifest (safe to commit) or guessed (offered for review only). */
  valueIsCertain: boolean;
  /**
   * Whether the fix may add a whole `labels:` map where the template has none. Only one
   * label rule does, so that the fixes of one run never both write the map.
   */
  addsLabelsMap: boolean;
}

const JOB_KINDS = new Set(['Job', 'CronJob']);

/** Finds injected pod templates that carry none of the labels Istio reads a canonical name or revision from. */
export function findMissingLabelViolations(context: RuleContext, label: CanonicalLabel): RuleViolation[] {
  const violations: RuleViolation[] = [];
  for (const workload of context.mesh.injectedWorkloads()) {
    if (label.keys.some((key) => key in workload.podLabels)) continue;
    if (JOB_KINDS.has(workload.resource.kind) && !context.labelJobs) continue;
    // A patch's labels come from its base.
    if (workload.resource.partial) continue;
    const metadataPath = [...workload.templatePath, 'metadata'];
    const labelsPath = [...metadataPath, 'labels'];
    const hasLabels = asObject(workload.podMetadata?.labels) !== undefined;
    const usableValue =
      hasLabels || label.addsLabelsMap ? label.valueCandidates(workload).find((value) => value !== undefined && LABEL_VALUE.test(value)) : undefined;
    const fix =
      usableValue === undefined
        ? undefined
        : () =>
            fixOf(
              `add label ${label.fixKey}: ${renderScalar(usableValue)}`,
              [
                hasLabels
                  ? insertMapEntry(workload.resource, labelsPath, label.fixKey, usableValue)
                  : insertMapEntry(workload.resource, metadataPath, 'labels', { [label.fixKey]: usableValue }),
              ],
              label.valueIsCertain,
            );
    violations.push({
      resource: workload.resource,
      path: hasLabels ? labelsPath : workload.podMetadata ? metadataPath : workload.templatePath,
      part: 'key',
      message: `pod template has no ${label.what} label (${label.keys.join(', ')}): ${label.why}`,
      ...(fix ? { fix } : {}),
    });
  }
  return violations;
}
