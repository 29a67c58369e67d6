import type { GoValue } from '../values.js';
import { GoStruct } from '../values.js';
import { quoteGo } from '../fmt.js';

/**
 * `.Capabilities` as `helm template` (helm v4.1.4, offline) gives it: the Kubernetes version
 * (v1.35.0 unless `--kube-version`), the API versions of client-go's scheme (read out of
 * real helm with `{{ toJson .Capabilities.APIVersions }}`) plus `--api-versions`, and
 * helm's own build information.
 */

export const DEFAULT_KUBE_VERSION = 'v1.35.0';

/** helm v4.1.4's DefaultVersionSet, in its order. */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1',
  'apps/v1beta1',
  'apps/v1beta2',
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1',
  'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1',
  'authorization.k8s.io/v1beta1',
  'autoscaling/v1',
  'autoscaling/v2',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1',
  'batch/v1beta1',
  'certificates.k8s.io/v1',
  'certificates.k8s.io/v1beta1',
  'certificates.k8s.io/v1alpha1',
  'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1',
  'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1',
  'networking.k8s.io/v1beta1',
  'node.k8s.io/v1',
  'node.k8s.io/v1alpha1',
  'node.k8s.io/v1beta1',
  'policy/v1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1',
  'resource.k8s.io/v1',
  'resource.k8s.io/v1beta2',
  'resource.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1alpha1',
  'scheduling.k8s.io/v1beta1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1beta1',
  'storage.k8s.io/v1',
  'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1',
];

/** helm v4.1.4's version.BuildInfo, as the release binary reports it. */
export const HELM_BUILD_INFO = {
  version: 'v4.1.4',
  gitCommit: '05fa37973dc9e42b76e1d2883494c87174b6074f',
  gitTreeState: 'clean',
  goVersion: 'go1.25.9',
  kubeClientVersion: 'v1.35',
};

export interface KubeVersion {
  /** As given (`v` added): `v1.33.4-gke.1`. */
  version: string;
  /** For constraint checks: `v1.33.4`. */
  normalized: string;
  major: string;
  minor: string;
}

export class KubeVersionError extends Error {}

/** helm's ParseKubeVersion (apimachinery's ParseGeneric); throws KubeVersionError with helm's `invalid kube version` message. */
export function parseKubeVersion(text: string): KubeVersion {
  const fail = (reason: string): never => {
    throw new KubeVersionError(`invalid kube version '${text}': ${reason}`);
  };
  const match = /^[\t\n\f\r ]*v?([0-9]+(?:\.[0-9]+)*)([^\n]*)$/.exec(text);
  if (!match) fail(`could not parse ${quoteGo(text)} as version`);
  const components = match![1]!.split('.');
  if (components.length < 2) fail(`illegal version string ${quoteGo(text)}`);
  const numbers = components.map((component, index) => {
    if (index === 0 && component.startsWith('0') && component !== '0') fail(`illegal zero-prefixed version component ${quoteGo(component)} in ${quoteGo(text)}`);
    const value = BigInt(component);
    if (value > 0xffffffffffffffffn) fail(`illegal non-numeric version component ${quoteGo(component)} in ${quoteGo(text)}: strconv.ParseUint: parsing ${quoteGo(component)}: value out of range`);
    return value;
  });
  return {
    version: text.startsWith('v') ? text : `v${text}`,
    normalized: `v${numbers.join('.')}`,
    major: String(numbers[0]),
    minor: String(numbers[1]),
  };
}

export const DEFAULT_KUBE: KubeVersion = { version: DEFAULT_KUBE_VERSION, normalized: DEFAULT_KUBE_VERSION, major: '1', minor: '35' };

const stringMethod = (call: () => GoValue) => ({ signature: { params: [] }, call });

function kubeVersionStruct(kube: KubeVersion): GoStruct {
  return new GoStruct(
    'common.KubeVersion',
    new Map<string, GoValue>([
      ['Version', kube.version],
      ['Major', kube.major],
      ['Minor', kube.minor],
    ]),
    new Map([
      ['String', stringMethod(() => kube.normalized)],
      ['GitVersion', stringMethod(() => kube.version)],
    ]),
  );
}

/** `.Capabilities.APIVersions`: a list of strings with a `Has` method (common.VersionSet). */
export function versionSet(versions: readonly string[]): GoStruct {
  return new GoStruct(
    'common.VersionSet',
    new Map(),
    new Map([['Has', { signature: { params: ['string'] }, call: (apiVersion: GoValue) => versions.includes(apiVersion as string) }]]),
    new Map(),
    [...versions],
  );
}

function helmVersionStruct(): GoStruct {
  return new GoStruct(
    'version.BuildInfo',
    new Map<string, GoValue>([
      ['Version', HELM_BUILD_INFO.version],
      ['GitCommit', HELM_BUILD_INFO.gitCommit],
      ['GitTreeState', HELM_BUILD_INFO.gitTreeState],
      ['GoVersion', HELM_BUILD_INFO.goVersion],
      ['KubeClientVersion', HELM_BUILD_INFO.kubeClientVersion],
    ]),
    new Map(),
    new Map([
      ['Version', { name: 'version', omitEmpty: true }],
      ['GitCommit', { name: 'git_commit', omitEmpty: true }],
      ['GitTreeState', { name: 'git_tree_state', omitEmpty: true }],
      ['GoVersion', { name: 'go_version', omitEmpty: true }],
      ['KubeClientVersion', { name: 'kube_client_version', omitEmpty: false }],
    ]),
  );
}

export function capabilitiesStruct(kube: KubeVersion, apiVersions: readonly string[]): GoStruct {
  return new GoStruct(
    '*common.Capabilities',
    new Map<string, GoValue>([
      ['KubeVersion', kubeVersionStruct(kube)],
      ['APIVersions', versionSet(apiVersions)],
      ['HelmVersion', helmVersionStruct()],
    ]),
  );
}
