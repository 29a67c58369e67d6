/** Istio documentation pages the rules rest on. */
const ISTIO_DOCS = 'https://istio.io/latest/docs';

export const APPLICATION_REQUIREMENTS = `${ISTIO_DOCS}/ops/deployment/application-requirements/`;
export const PROTOCOL_SELECTION = `${ISTIO_DOCS}/ops/configuration/traffic-management/protocol-selection/`;
export const POD_SECURITY_ADMISSION = `${ISTIO_DOCS}/setup/additional-setup/pod-security-admission/`;
