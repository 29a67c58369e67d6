import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../src/core/analyze.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { parseKubernetesVersion } from '../src/core/kubernetes-version.js';
import { asBuilt, clustersOf, kustomizeLayout } from '../src/core/kustomize.js';
import { parseManifestFile } from '../src/core/manifest.js';
import type { Resource } from '../src/core/manifest.js';
import { MeshModel } from '../src/core/mesh.js';
import { RULES } from '../src/core/rules/index.js';
import type { AnalysisReport, SourceFile } from '../src/core/types.js';
import { ROOT, lint } from './helpers.js';

const file = (path: string, documents: string[]): SourceFile => ({ path, text: `${documents.join('\n---\n')}\n` });

const namespace = (name: string, labels: Record<string, string>) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${JSON.stringify(labels)}}`;

function deployment(name: string, namespaceName: string | undefined, options: { version?: boolean; uid?: number; port?: number } = {}): string {
  const labels = { app: name, ...(options.version ? { version: 'v1' } : {}) };
  const security = options.uid !== undefined ? `, securityContext: {runAsUser: ${options.uid}}` : '';
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: ${name}${namespaceName ? `, namespace: ${namespaceName}` : ''}}`,
    'spec:',
    '  template:',
    `    metadata: {labels: ${JSON.stringify(labels)}}`,
    '    spec:',
    `      containers: [{name: ${name}, image: "${name}:1", ports: [{containerPort: ${options.port ?? 8080}}]${security}}]`,
  ].join('\n');
}

function service(name: string, namespaceName: string | undefined, selector: string, port: number, portName: string | undefined, targetPort = 8080): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    `metadata: {name: ${name}${namespaceName ? `, namespace: ${namespaceName}` : ''}}`,
    'spec:',
    `  selector: {app: ${selector}}`,
    `  ports: [{${portName ? `name: ${portName}, ` : ''}port: ${port}, targetPort: ${targetPort}}]`,
  ].join('\n');
}

const peerAuthentication = (namespaceName: string, mode: string) =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: ${namespaceName}}\nspec: {mtls: {mode: ${mode}}}`;

/**
 * Definitions to build trees from: several of one identity (kind, namespace, name) that
 * differ, so that files holding them are alternatives, and the same text again in another
 * file is a copy.
 */
const POOL: string[] = [
  namespace('shop', {}),
  namespace('shop', { 'istio-injection': 'enabled' }),
  namespace('shop', { 'istio-injection': 'enabled', 'pod-security.kubernetes.io/enforce': 'baseline' }),
  namespace('web', { 'istio-injection': 'disabled' }),
  deployment('web', 'shop'),
  deployment('web', 'shop', { version: true }),
  deployment('web', 'shop', { version: true, uid: 1337 }),
  deployment('web', undefined, { port: 15001 }),
  deployment('api', 'shop', { version: true }),
  deployment('api', undefined, { version: true, uid: 1337 }),
  deployment('mysql', 'shop', { version: true, port: 3307 }),
  service('web', 'shop', 'web', 80, 'http'),
  service('web', 'shop', 'web', 80, 'tcp'),
  service('web', 'shop', 'web', 8080, undefined),
  service('web-admin', 'shop', 'web', 81, 'http'),
  service('api', 'shop', 'api', 80, undefined),
  service('api', undefined, 'api', 80, 'grpc'),
  service('db', 'shop', 'mysql', 4406, undefined, 3307),
  peerAuthentication('shop', 'STRICT'),
  peerAuthentication('shop', 'PERMISSIVE'),
  peerAuthentication('istio-system', 'PERMISSIVE'),
];

const IDENTITIES = POOL.map((text) => {
  const [resource] = parseManifestFile({ path: 'pool.yaml', text }, DEFAULT_CONFIG.limits).resources;
  return `${resource!.kind}/${resource!.namespace ?? ''}/${resource!.name}`;
});

/** A change: up to eight files, each of one to four definitions from the pool (a file may also be a copy of another). */
function treesOf(files: fc.Arbitrary<number[]>) {
  return fc
    .array(files, { minLength: 1, maxLength: 8 })
    .chain((contents) => fc.tuple(fc.constant(contents), fc.array(fc.nat({ max: contents.length - 1 }), { maxLength: 3 })))
    .map(([contents, copied]) => [...contents, ...copied.map((index) => contents[index]!)].map((items, index) => ({ path: `k8s/f${index}.yaml`, items })));
}
const trees = treesOf(fc.array(fc.nat({ max: POOL.length - 1 }), { minLength: 1, maxLength: 4 }));
/**
 * Files that define each resource once: a finding's fingerprint names the file and the
 * resource, not the document, so two definitions of one resource in one file share theirs.
 */
const treesOfDistinctFiles = treesOf(fc.uniqueArray(fc.nat({ max: POOL.length - 1 }), { minLength: 1, maxLength: 4, selector: (item) => IDENTITIES[item] }));

const filesOf = (tree: { path: string; items: number[] }[]) => tree.map(({ path, items }) => file(path, items.map((item) => POOL[item]!)));

/** What a finding says of its resource, wherever the resource is written. */
const said = (finding: AnalysisReport['findings'][number]) => `${finding.ruleId} ${finding.severity} ${finding.nodePath.join('.')} ${finding.message}`;

/** The rules run over every whole cluster, each finding taken from the first cluster to say it: what analyze must equal. */
function everyClusterWhole(files: SourceFile[]): string[] {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
  const layout = kustomizeLayout(sorted);
  const resources = sorted.flatMap((source) => parseManifestFile(source, DEFAULT_CONFIG.limits).resources).map((resource) => asBuilt(resource, layout));
  const first = new Map<string, string>();
  for (const cluster of clustersOf(resources, layout)) {
    const context = { mesh: new MeshModel(cluster, DEFAULT_CONFIG.mesh), fixDefaults: DEFAULT_CONFIG.fixes, labelJobs: false, kubernetesVersion: parseKubernetesVersion('1.35')! };
    for (const rule of RULES) {
      for (const violation of rule.check(context)) {
        const nodePath = [...violation.resource.basePath, ...violation.path];
        const fingerprint = fingerprintOf(rule.meta.id, violation.resource.ref.file, violation.resource.ref, nodePath);
        if (!first.has(fingerprint)) first.set(fingerprint, `${rule.meta.id} ${violation.resource.ref.file} ${nodePath.join('.')} ${violation.message}`);
      }
    }
  }
  return [...first.values()].sort();
}

function fixtureFiles(): SourceFile[] {
  const walk = (directory: string): SourceFile[] =>
    readdirSync(join(ROOT, 'fixtures', directory), { withFileTypes: true }).flatMap((entry) => {
      const path = `${directory}/${entry.name}`;
      if (entry.isDirectory()) return walk(path);
      return /\.(ya?ml|json)$/.test(entry.name) ? [{ path, text: readFileSync(join(ROOT, 'fixtures', path), 'utf8') }] : [];
    });
  // Charts are templates, skipped unread.
  return readdirSync(join(ROOT, 'fixtures'), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() && entry.name !== 'charts' ? walk(entry.name) : []));
}

const refOf = (resource: Resource) => `${resource.ref.file}#${resource.ref.documentIndex}`;

describe('alternatives: one answer whatever the file order', () => {
  it('gives the same findings for the same files in any order, on generated trees', () => {
    fc.assert(
      fc.property(
        trees.chain((tree) => fc.tuple(fc.constant(filesOf(tree)), fc.shuffledSubarray(filesOf(tree), { minLength: tree.length, maxLength: tree.length }))),
        ([files, shuffled]) => {
          expect(lint(shuffled)).toEqual(lint(files));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives the same findings for every fixture together in any order', () => {
    const files = fixtureFiles();
    const expected = lint(files);
    fc.assert(
      fc.property(fc.shuffledSubarray(files, { minLength: files.length, maxLength: files.length }), (shuffled) => {
        expect(lint(shuffled)).toEqual(expected);
      }),
      { numRuns: 5 },
    );
  });

  it('gives identical copies of a definition identical findings', () => {
    fc.assert(
      fc.property(treesOfDistinctFiles, (tree) => {
        const report = lint(filesOf(tree));
        const byDefinition = new Map<number, Map<string, string[]>>();
        for (const { path, items } of tree) {
          items.forEach((item, documentIndex) => {
            const findings = report.findings.filter((finding) => finding.file === path && finding.resource?.documentIndex === documentIndex).map(said);
            if (!byDefinition.has(item)) byDefinition.set(item, new Map());
            byDefinition.get(item)!.set(`${path}#${documentIndex}`, findings);
          });
        }
        for (const copies of byDefinition.values()) {
          const [first, ...others] = [...copies.values()];
          for (const other of others) expect(other).toEqual(first);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('finds what every whole cluster finds, though it checks again only what may differ', () => {
    fc.assert(
      fc.property(trees, (tree) => {
        const files = filesOf(tree);
        const analysed = lint(files).findings.map((finding) => `${finding.ruleId} ${finding.file} ${finding.nodePath.join('.')} ${finding.message}`);
        expect(analysed.sort()).toEqual(everyClusterWhole(files));
      }),
      { numRuns: 150 },
    );
  });

  it('puts what no alternative conflicts with in every cluster, one definition of each conflict in each, and copies together', () => {
    fc.assert(
      fc.property(trees, (tree) => {
        const resources = filesOf(tree).flatMap((source) => parseManifestFile(source, DEFAULT_CONFIG.limits).resources);
        const clusters = clustersOf(resources, kustomizeLayout([])).map((cluster) => new Set(cluster));
        // Built from what the resources say, not the order they come in.
        const refsOf = (built: Resource[][]) => built.map((cluster) => cluster.map(refOf).sort());
        expect(refsOf(clustersOf([...resources].reverse(), kustomizeLayout([])))).toEqual(refsOf(clusters.map((cluster) => [...cluster])));
        const definitionOf = new Map<string, number>(tree.flatMap(({ path, items }) => items.map((item, index) => [`${path}#${index}`, item] as const)));
        const identity = (resource: Resource) => `${resource.kind}/${resource.namespace ?? ''}/${resource.name}`;
        // What each file says of each resource: the definitions it holds of it.
        const filesDefining = new Map<string, Map<string, Set<number>>>();
        for (const resource of resources) {
          if (!filesDefining.has(identity(resource))) filesDefining.set(identity(resource), new Map());
          const byFile = filesDefining.get(identity(resource))!;
          byFile.set(resource.ref.file, new Set([...(byFile.get(resource.ref.file) ?? []), definitionOf.get(refOf(resource))!].sort()));
        }
        const key = (definitions: Set<number>) => [...definitions].join(',');
        const conflicting = (name: string) => new Set([...filesDefining.get(name)!.values()].map(key)).size > 1;
        for (const resource of resources) {
          const clustersHolding = clusters.map((cluster) => cluster.has(resource));
          if (!conflicting(identity(resource))) expect(clustersHolding.every(Boolean)).toBe(true);
          // A copy is in the same clusters as the definition it copies.
          for (const other of resources) {
            if (definitionOf.get(refOf(other)) === definitionOf.get(refOf(resource))) expect(clusters.map((cluster) => cluster.has(other))).toEqual(clustersHolding);
          }
        }
        for (const cluster of clusters) {
          for (const [name, byFile] of filesDefining) {
            if (!conflicting(name)) continue;
            // One file's definition of it, whichever: never two files' that differ.
            const held = new Set([...cluster].filter((resource) => identity(resource) === name).map((resource) => definitionOf.get(refOf(resource))!));
            expect([...byFile.values()].map(key)).toContain(key(new Set([...held].sort())));
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('alternatives: only what really conflicts is split', () => {
  it('takes identical copies of a Namespace for one Namespace: every copy of a workload sees it', () => {
    const plain = namespace('shop', {});
    const files = [
      file('a/namespace.yaml', [plain]),
      file('b/namespace.yaml', [plain]),
      // Two variants of one Deployment, each copied: alternatives of each other, never of the Namespace.
      file('c/web.yaml', [deployment('web', 'shop')]),
      file('d/web.yaml', [deployment('web', 'shop', { uid: 1337 })]),
      file('e/web.yaml', [deployment('web', 'shop')]),
      file('f/web.yaml', [deployment('web', 'shop', { uid: 1337 })]),
    ];
    expect(lint(files).findings).toEqual([]);
    const injected = files.map((source) => (source.path.endsWith('namespace.yaml') ? file(source.path, [namespace('shop', { 'istio-injection': 'enabled' })]) : source));
    expect(lint(injected).findings.map((finding) => `${finding.ruleId} ${finding.file}`)).toEqual([
      'version-label c/web.yaml',
      'version-label d/web.yaml',
      'reserved-uid d/web.yaml',
      'version-label e/web.yaml',
      'version-label f/web.yaml',
      'reserved-uid f/web.yaml',
    ]);
  });

  it('shows a Service defined once to every definition of the workload it selects', () => {
    const injected = namespace('shop', { 'istio-injection': 'enabled' });
    const files = [
      file('base/namespace.yaml', [injected]),
      file('base/web.yaml', [deployment('web', 'shop', { version: true }), service('web', 'shop', 'web', 80, 'http')]),
      // Another definition of the same Service, with the Deployment's: an alternative of base/web.yaml.
      file('other/web.yaml', [deployment('web', 'shop', { version: true }), service('web', 'shop', 'web', 80, 'grpc')]),
      // Defined once, it conflicts with nothing: it meets both.
      file('extra/admin.yaml', [service('web-admin', 'shop', 'web', 81, 'http')]),
    ];
    // Each definition of "web" meets it; the later of two Services (by path) is the one reported.
    expect(lint(files).findings.map((finding) => `${finding.ruleId} ${finding.file}: ${finding.message}`)).toEqual([
      'target-port-conflict extra/admin.yaml: Service "web-admin" port "http" 81 and Service "web" port "http" 80 both send traffic to pod port 8080 of Deployment "web" from different port numbers: Istio requires Services that share a target port to use the same port number',
      'target-port-conflict other/web.yaml: Service "web" port "grpc" 80 and Service "web-admin" port "http" 81 both send traffic to pod port 8080 of Deployment "web" from different port numbers: Istio requires Services that share a target port to use the same port number',
    ]);
  });
});
