import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFiles } from '../src/cli/files.js';
import { failsGate } from '../src/core/analyze.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { manifestSource } from '../src/core/encoding.js';
import type { AnalysisReport, SourceFile } from '../src/core/types.js';
import { ROOT, lint, withConfig } from './helpers.js';

/** The files of a case (fixtures/real-cases/<case>/), by their paths in the repository they come from, as the CLI reads them. */
function caseFiles(name: string): SourceFile[] {
  const root = join(ROOT, 'fixtures/real-cases', name);
  const walk = (directory: string): string[] =>
    readdirSync(directory, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(directory, entry.name)) : [join(directory, entry.name)]));
  return walk(root)
    .filter((path) => /\.(ya?ml|json)$/.test(path))
    .sort()
    .map((path) => manifestSource(relative(root, path), readFileSync(path))!);
}

const described = (report: AnalysisReport) =>
  report.findings.map((finding) => `${finding.file}:${finding.span.startLine}:${finding.span.startColumn} ${finding.severity} ${finding.ruleId} ${finding.message}`);

describe('real cases (fixtures/real-cases)', () => {
  it('linkerd2: every copy of a workload sees the Namespace all its definitions leave uninjected, in any order', () => {
    const files = caseFiles('linkerd2-emojivoto');
    expect(files).toHaveLength(11);
    expect(lint(files).findings).toEqual([]);
    expect(lint([...files].reverse()).findings).toEqual([]);
    // Each file ends with a `---`: an empty document more.
    expect(lint(files).stats).toEqual({ files: 11, documents: 21, resources: 13 });
  });

  it('bank-of-anthos: a NodePort Service defined once meets the frontend, whatever its Ingress clashes with', () => {
    const files = caseFiles('bank-of-anthos-frontend-nodeport');
    const expected = [
      'extras/cloudsql/kubernetes-manifests/frontend.yaml:26:7 notice version-label pod template has no version label (service.istio.io/canonical-revision, app.kubernetes.io/version, version): Istio reports every version of it as "latest"',
      'extras/tls-domain-managedcerts/managed-certificates.yaml:32:7 notice port-protocol Service port 8080: has no name and no appProtocol is set, so Istio sniffs the protocol; set appProtocol (or name it <protocol>[-suffix])',
      'extras/tls-domain-managedcerts/managed-certificates.yaml:34:19 warning target-port-conflict Service "frontend-nodeport" port 8080 and Service "frontend" port "http" 80 both send traffic to pod port 8080 of Deployment "frontend" from different port numbers: Istio requires Services that share a target port to use the same port number',
    ];
    expect(described(lint(files))).toEqual(expected);
    expect(described(lint([...files].reverse()))).toEqual(expected);
  });

  it('bank-of-anthos: a NUL in a comment is a parse error where it stands, failing the gate; the other document is still checked', () => {
    const report = lint(caseFiles('bank-of-anthos-nul-in-comment'));
    expect(described(report)).toEqual([
      'extras/cloudsql/kubernetes-manifests/frontend.yaml:1:75 error parse-error YAML parse error in document 1: control characters are not allowed (U+0000): kubectl refuses the document',
    ]);
    expect(report.skipped).toEqual([]);
    expect(report.stats).toEqual({ files: 1, documents: 2, resources: 1 });
    expect(failsGate(report, DEFAULT_CONFIG)).toBe(true);
  });

  it('aks-store-demo: a launch.json with "kind" nested and // comments is no broken manifest', () => {
    const report = lint(caseFiles('aks-store-demo-launch-json'));
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  it("dapr quickstarts: an unnamed port 80 is a notice, as Istio rates IST0118", () => {
    const report = lint(caseFiles('dapr-quickstarts-port-80'));
    expect(described(report)).toEqual([
      'tutorials/hello-kubernetes/deploy/node.yaml:11:5 notice port-protocol Service port 80: has no name and no appProtocol is set, so Istio sniffs the protocol; set appProtocol (or name it <protocol>[-suffix])',
      'tutorials/hello-kubernetes/deploy/node.yaml:30:7 notice version-label pod template has no version label (service.istio.io/canonical-revision, app.kubernetes.io/version, version): Istio reports every version of it as "latest"',
    ]);
    expect(failsGate(report, withConfig({ failOn: 'warning' }))).toBe(false);
  });

  it('cloud-on-k8s: PodSecurityPolicy recipes only for a cluster older than 1.25', () => {
    const files = caseFiles('cloud-on-k8s-psp');
    expect(lint(files).findings).toEqual([]);
    expect(described(lint(files, withConfig({ kubernetesVersion: '1.24' })))).toEqual([
      'config/recipes/psp/beats-agent-psp.yaml:13:1 error init-capabilities PodSecurityPolicy "elastic.beat.restricted" does not allow NET_ADMIN and NET_RAW: the istio-init container, which adds NET_ADMIN and NET_RAW, is refused. Allow them or use Istio CNI',
      'config/recipes/psp/elastic-psp.yaml:17:9 error init-capabilities PodSecurityPolicy "elastic.restricted" requires dropping ALL: the istio-init container, which needs NET_ADMIN and NET_RAW, is refused. Use Istio CNI or exempt injected pods',
    ]);
  });

  it("bank-of-anthos and knative: the default excludes match from the linted repository's root, and leave vendor trees out", async () => {
    // Out of meshready's own checkout, whose root would be the repository root otherwise.
    const parent = mkdtempSync(join(tmpdir(), 'meshready-real-case-'));
    cpSync(join(ROOT, 'fixtures/real-cases/bank-of-anthos-workflows'), parent, { recursive: true });
    cpSync(join(ROOT, 'fixtures/real-cases/knative-serving-vendor'), parent, { recursive: true });
    const noStdin = () => Promise.resolve(undefined);
    const workflows = await collectFiles(['bank-of-anthos'], DEFAULT_CONFIG, parent, noStdin);
    expect({ files: workflows.files.map((file) => file.path), skipped: workflows.skipped }).toEqual({ files: ['bank-of-anthos/extras/asm-multicluster/services-all.yaml'], skipped: [] });
    const vendored = await collectFiles(['serving'], DEFAULT_CONFIG, parent, noStdin);
    expect({ files: vendored.files, skipped: vendored.skipped }).toEqual({ files: [], skipped: [] });
  });
});
