import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfigText } from '../src/core/config.js';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from '../src/core/kubernetes-version.js';
import { helmGoldens } from './support/helm-goldens.js';
import type { HelmSnippet } from './support/helm-goldens.js';

const GIVEN = ['1.35', 'v1.35.0', '1.24', 'v1.33.4-gke.1245000', '1.30.2+k3s1', '2.0', '1.035', 'v1', '01.30', 'one.two'];

/** What Helm makes of `--kube-version`, or its default when none is given. */
const SNIPPETS: HelmSnippet[] = [undefined, ...GIVEN].map((version) => ({
  name: version === undefined ? 'default' : `kube-version ${JSON.stringify(version)}`,
  template: '{{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Major }} {{ .Capabilities.KubeVersion.Minor }}',
  ...(version !== undefined ? { args: ['--kube-version', version] } : {}),
}));

const asHelmPrints = (version: string) => {
  const parsed = parseKubernetesVersion(version);
  return parsed ? `${parsed.version} ${parsed.normalized} ${parsed.major} ${parsed.minor}` : undefined;
};

describe('the target cluster’s Kubernetes version', () => {
  it('is read as helm v4.1.4 reads --kube-version, and defaults to its KubeVersion', async () => {
    const helm = await helmGoldens('kubernetes-version', SNIPPETS);
    expect(helm.default).toEqual({ output: 'v1.35.0 v1.35.0 1 35' });
    expect(asHelmPrints(DEFAULT_KUBERNETES_VERSION)).toBe(helm.default!.output);
    for (const version of GIVEN) {
      const outcome = helm[`kube-version ${JSON.stringify(version)}`]!;
      // Where helm refuses the version, so does the config.
      expect({ version, read: asHelmPrints(version) }).toEqual({ version, read: outcome.output });
    }
  });

  it('is a config setting, checked against the same syntax', () => {
    expect(DEFAULT_CONFIG.kubernetesVersion).toBe('v1.35.0');
    expect(parseConfigText('kubernetesVersion: "1.24"')).toEqual({ ok: true, config: { ...DEFAULT_CONFIG, kubernetesVersion: '1.24' } });
    expect(parseConfigText('kubernetesVersion: latest')).toEqual({ ok: false, errors: ['kubernetesVersion: must be a Kubernetes version, such as "1.35" or "v1.35.0"'] });
    // YAML reads 1.30 as a number: the config wants the version as written, quoted.
    expect(parseConfigText('kubernetesVersion: 1.30')).toEqual({ ok: false, errors: ['kubernetesVersion: must be string'] });
  });
});
