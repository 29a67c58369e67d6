/**
 * The Kubernetes version of the cluster the manifests are for, read as Helm reads
 * `--kube-version` (`ParseKubeVersion`, on Kubernetes' `version.ParseGeneric`): an optional
 * `v`, at least major and minor, anything after the numbers (`-gke.1245000`) kept in
 * `version` and left out of the rest.
 */
export interface KubernetesVersion {
  /** As given, with a leading `v`: Helm's `.Capabilities.KubeVersion.Version`. */
  version: string;
  /** The numbers alone, with a leading `v`: what Helm compares constraints with. */
  normalized: string;
  major: number;
  minor: number;
}

/** The default of Helm v4.1.4's `.Capabilities.KubeVersion`: a current cluster. */
export const DEFAULT_KUBERNETES_VERSION = 'v1.35.0';

/** What `version.ParseGeneric` accepts (its leading-zero rule included), for the config schema. */
export const KUBERNETES_VERSION_PATTERN = '^\\s*v?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)+';

export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const match = /^\s*v?((?:0|[1-9][0-9]*)(?:\.[0-9]+)+)/.exec(text);
  if (!match) return undefined;
  const components = match[1]!.split('.').map(Number);
  return {
    version: text.startsWith('v') ? text : `v${text}`,
    normalized: `v${components.join('.')}`,
    major: components[0]!,
    minor: components[1]!,
  };
}

/** Whether a version is older than `major.minor`. */
export function isBefore(version: KubernetesVersion, major: number, minor: number): boolean {
  return version.major < major || (version.major === major && version.minor < minor);
}
