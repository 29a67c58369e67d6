/** The version whose rule pages findings link to: package.json's (a test keeps them equal). */
export const MESHREADY_VERSION = '0.1.0';

/** meshready's page for a rule, `docs/rules/<id>.md` of the repository at the running version. */
export function ruleDocsUrl(ruleId: string): string {
  return `https://github.com/meshready/meshready/blob/v${MESHREADY_VERSION}/docs/rules/${ruleId}.md`;
}

/** Istio documentation pages the rules rest on. */
const ISTIO_DOCS = 'https://istio.io/latest/docs';

export const APPLICATION_REQUIREMENTS = `${ISTIO_DOCS}/ops/deployment/application-requirements/`;
export const PROTOCOL_SELECTION = `${ISTIO_DOCS}/ops/configuration/traffic-management/protocol-selection/`;
export const POD_SECURITY_ADMISSION = `${ISTIO_DOCS}/setup/additional-setup/pod-security-admission/`;
