import { createHash } from 'node:crypto';
import { DEFAULT_CONFIG, pathMatcher } from './config.js';
import type { MeshreadyConfig } from './config.js';
import { parseManifestFile, spanOf } from './manifest.js';
import type { ParseCache } from './parse-cache.js';
import type { ParsedFile, ParseProblem, Resource } from './manifest.js';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from './kubernetes-version.js';
import { asBuilt, clustersOf, kustomizeLayout } from './kustomize.js';
import { MeshModel, dependentsOf } from './mesh.js';
import type { RuleMeta, RuleViolation } from './rule.js';
import { RULES } from './rules/index.js';
import { ruleDocsUrl } from './rules/docs.js';
import { parseErrorMeta } from './rules/parse-error.js';
import type { Render } from './charts.js';
import type { LineIndex } from './source.js';
import { SEVERITY_RANK } from './types.js';
import type { AnalysisReport, Finding, NodePath, ResourceRef, SkippedFile, SourceFile } from './types.js';

/**
 * The engine over manifest files: files in, the rules' findings out. Helm charts are
 * analyze.ts's, which renders them and analyses their renders here: this module does not
 * load the Helm engine, so a command that meets no chart does not pay for it.
 */

/** `metadata.annotations` key that silences rules for one resource: a comma-separated list of rule ids, or `all`. */
export const IGNORE_ANNOTATION = 'meshready.io/ignore';
/**
 * A comment on the line above a finding (or at the end of its line):
 * `# meshready-ignore: rule-a, rule-b -- why`, or with no rule ids for all rules.
 */
const IGNORE_COMMENT = /#\s*meshready-ignore\b:?([^#]*)/;

export function fingerprintOf(ruleId: string, file: string, resource: ResourceRef | undefined, nodePath: NodePath): string {
  const identity = [ruleId, file, resource?.kind ?? '', resource?.namespace ?? '', resource?.name ?? '', nodePath.join('.')].join('\u0000');
  return createHash('sha256').update(identity).digest('hex').slice(0, 20);
}

function nodePathOf(violation: RuleViolation): NodePath {
  return [...violation.resource.basePath, ...violation.path];
}

function violationFingerprint(meta: RuleMeta, violation: RuleViolation): string {
  return fingerprintOf(meta.id, violation.resource.ref.file, violation.resource.ref, nodePathOf(violation));
}

function findingOf(meta: RuleMeta, config: MeshreadyConfig, violation: RuleViolation, fingerprint: string): Finding {
  const { resource } = violation;
  const nodePath = nodePathOf(violation);
  const override = config.rules[meta.id];
  const fix = violation.fix?.();
  return {
    ruleId: meta.id,
    severity: override && override !== 'off' ? override : meta.severity,
    message: violation.message,
    file: resource.ref.file,
    span: spanOf(resource, violation.path, violation.part),
    resource: resource.ref,
    nodePath,
    docsUrl: ruleDocsUrl(meta.id),
    ...(fix ? { fix: resource.source.file.encoding === undefined ? fix : { ...fix, safe: false } } : {}),
    fingerprint,
  };
}

function parseErrorFinding(problem: ParseProblem): Finding {
  const nodePath = [`document ${problem.documentIndex}`];
  return {
    ruleId: parseErrorMeta.id,
    severity: parseErrorMeta.severity,
    message: problem.message,
    file: problem.file,
    span: problem.span,
    nodePath,
    docsUrl: ruleDocsUrl(parseErrorMeta.id),
    fingerprint: fingerprintOf(parseErrorMeta.id, problem.file, undefined, nodePath),
  };
}

function ignoredRules(text: string | undefined): Set<string> | 'all' | undefined {
  if (text === undefined) return undefined;
  const ids = text
    .split('--')[0]!
    .split(/[\s,]+/)
    .filter(Boolean);
  return ids.length === 0 || ids.includes('all') ? 'all' : new Set(ids);
}

function covers(ignored: Set<string> | 'all' | undefined, ruleId: string): boolean {
  return ignored === 'all' || (ignored !== undefined && ignored.has(ruleId));
}

export function suppressedByComment(lines: LineIndex, finding: Finding): boolean {
  const line = finding.span.startLine;
  for (const candidate of [line - 1, line]) {
    if (candidate < 1) continue;
    const match = IGNORE_COMMENT.exec(lines.lines(candidate, candidate));
    if (match && covers(ignoredRules(match[1] ?? ''), finding.ruleId)) return true;
  }
  return false;
}

/** The order findings are reported in: by file, line, column and rule. */
export function compareByPlace(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.span.startLine - b.span.startLine ||
    a.span.startColumn - b.span.startColumn ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/**
 * The clusters as the rules need to see them: the first whole, each other with only the
 * resources whose findings may differ from the first's (the alternatives and what depends
 * on them). The rest would say the same again in every cluster.
 */
function clustersToAnalyse(clusters: Resource[][], resources: Resource[], config: MeshreadyConfig): Resource[][] {
  if (clusters.length < 2) return clusters;
  const clusterCount = new Map<Resource, number>();
  for (const cluster of clusters) for (const resource of cluster) clusterCount.set(resource, (clusterCount.get(resource) ?? 0) + 1);
  const varying = new Set(resources.filter((resource) => clusterCount.get(resource) !== clusters.length));
  const dependents = dependentsOf(resources, varying, config.mesh);
  return [clusters[0]!, ...clusters.slice(1).map((cluster) => cluster.filter((resource) => dependents.has(resource)))];
}

export interface AnalyzeFilesOptions {
  /**
   * Whether to keep only files matching the config's path globs. Off for files a person
   * named on the command line: naming one is asking for it to be checked.
   */
  filterPaths?: boolean;
  /** Hears of each file parsed, with how many there are: parsing is most of a large run. */
  onFileParsed?: (parsed: number, total: number) => void;
  /** Parses kept from earlier analyses (the app's analysis thread keeps one): files met again are not parsed again. */
  parseCache?: ParseCache;
}

/** Files in, findings out, no chart among them: what `analyze` does when it is given none. Pure apart from hashing. */
export function analyzeFiles(files: SourceFile[], config: MeshreadyConfig = DEFAULT_CONFIG, options: AnalyzeFilesOptions = {}): AnalysisReport {
  return analyzeSources(files, config, options, []);
}

/**
 * Files parsed under one config's limits, by path, for analyses of the same files again: a
 * parse is of the file's text, size limit and encoding alone, and what it gives is never
 * changed, so a file as it was is not parsed again.
 */
export class ParsedFiles {
  private readonly byPath = new Map<string, { file: SourceFile; parsed: ParsedFile }[]>();

  constructor(
    private readonly limits: MeshreadyConfig['limits'],
    private readonly cache: ParseCache | undefined,
  ) {}

  parse(file: SourceFile): ParsedFile {
    const earlier = this.byPath.get(file.path) ?? [];
    const same = earlier.find(({ file: other }) => other.text === file.text && other.maxBytes === file.maxBytes && other.encoding === file.encoding);
    if (same) return same.parsed;
    const parsed = this.cache ? this.cache.parse(file, this.limits) : parseManifestFile(file, this.limits);
    this.byPath.set(file.path, [...earlier, { file, parsed }]);
    return parsed;
  }
}

/**
 * The files of a render are built together, as a kustomization's are: its resources are
 * alternatives of another render's, never of each other. With `reportedFiles`, only the
 * findings in those files are made, from the resources that bear on them (`bearingOn`):
 * the same findings as the whole analysis has there (a finding's identity holds its file).
 */
export function analyzeSources(
  files: SourceFile[],
  config: MeshreadyConfig,
  options: AnalyzeFilesOptions,
  renders: readonly Render[],
  parsedFiles: ParsedFiles = new ParsedFiles(config.limits, options.parseCache),
  reportedFiles?: ReadonlySet<string>,
): AnalysisReport {
  const renderedPaths = new Set(renders.flatMap((render) => render.files.map((file) => file.file.path)));
  const matchesPaths = options.filterPaths === false ? () => true : pathMatcher(config.paths);
  const isIncluded = (path: string) => renderedPaths.has(path) || matchesPaths(path);
  const parsedResources: Resource[] = [];
  const findings: Finding[] = [];
  const skipped: SkippedFile[] = [];
  const linesByFile = new Map<string, LineIndex>();
  let analysedFiles = 0;
  let documents = 0;

  // In the order of their paths: what the rules report (the second of two Services, a
  // kustomization's files) must not depend on the order the files came in.
  const ordered = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const [index, file] of ordered.entries()) {
    if (isIncluded(file.path)) {
      analysedFiles++;
      const parsed = parsedFiles.parse(file);
      if (parsed.skipped) skipped.push(parsed.skipped);
      if (parsed.source) linesByFile.set(file.path, parsed.source.lines);
      documents += parsed.documentCount;
      parsedResources.push(...parsed.resources);
      if (!reportedFiles || reportedFiles.has(file.path)) findings.push(...parsed.problems.map(parseErrorFinding));
    }
    options.onFileParsed?.(index + 1, files.length);
  }

  const layout = kustomizeLayout(ordered.filter((file) => isIncluded(file.path) && !renderedPaths.has(file.path)));
  const releaseNamespaces = new Map(renders.flatMap((render) => (render.plan.options.namespace ? render.files.map((file) => [file.file.path, render.plan.options.namespace!] as const) : [])));
  const resources = parsedResources.map((resource) => inReleaseNamespace(asBuilt(resource, layout), releaseNamespaces.get(resource.ref.file)));
  const units = renders.map((render) => render.files.map((file) => file.file.path));
  const analysed = reportedFiles ? bearingOn(resources, reportedFiles) : resources;
  const clusters = clustersOf(analysed, units.length === 0 ? layout : { ...layout, units: [...layout.units, ...units] });
  // Alternatives (a resource defined differently in files no kustomization joins) are
  // analysed apart; a finding on a resource in several clusters is reported once.
  const reported = new Set<string>();
  // The config's schema holds it to the pattern; a config built in code falls back to the default.
  const kubernetesVersion = parseKubernetesVersion(config.kubernetesVersion) ?? parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION)!;
  for (const cluster of clustersToAnalyse(clusters, analysed, config)) {
    const mesh = new MeshModel(cluster, config.mesh);
    const context = { mesh, fixDefaults: config.fixes, labelJobs: config.labels.jobs, kubernetesVersion };
    for (const rule of RULES) {
      if (config.rules[rule.meta.id] === 'off') continue;
      for (const violation of rule.check(context)) {
        if (reportedFiles && !reportedFiles.has(violation.resource.ref.file)) continue;
        if (covers(ignoredRules(violation.resource.annotations[IGNORE_ANNOTATION]), rule.meta.id)) continue;
        // Another cluster said it first: a resource found in several gets its finding once.
        const fingerprint = violationFingerprint(rule.meta, violation);
        if (reported.has(fingerprint)) continue;
        reported.add(fingerprint);
        findings.push(findingOf(rule.meta, config, violation, fingerprint));
      }
    }
  }

  const kept = findings.filter((finding) => {
    const lines = linesByFile.get(finding.file);
    return !lines || !suppressedByComment(lines, finding);
  });
  return {
    findings: kept.sort(compareByPlace),
    skipped,
    stats: { files: analysedFiles, documents, resources: resources.length },
  };
}

/** Kinds whose resources bear on workloads in any namespace: kept whole by `bearingOn`. */
const CLUSTER_WIDE_KINDS: ReadonlySet<string> = new Set(['Namespace', 'PodSecurityPolicy', 'PeerAuthentication']);

/**
 * The resources that bear on the findings of those in `files`, in their order: those
 * resources, every other in a namespace they are in or name, every Namespace,
 * PodSecurityPolicy and PeerAuthentication, and every resource whose kind, namespace and
 * name another one shares. The rules and the mesh model read across resources only within a
 * namespace (a Service and the workloads it selects, a namespace's workloads) and through
 * those three kinds; alternatives are resources defined more than once, so the clusters,
 * and which of them says a finding first, are those of all the resources.
 */
function bearingOn(resources: readonly Resource[], files: ReadonlySet<string>): Resource[] {
  const namespaces = new Set<string>();
  const identities = new Map<string, number>();
  const identityOf = (resource: Resource) => `${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name}`;
  for (const resource of resources) {
    if (files.has(resource.ref.file)) {
      namespaces.add(resource.namespace ?? '');
      if (resource.kind === 'Namespace') namespaces.add(resource.name);
    }
    const identity = identityOf(resource);
    identities.set(identity, (identities.get(identity) ?? 0) + 1);
  }
  return resources.filter(
    (resource) =>
      files.has(resource.ref.file) || CLUSTER_WIDE_KINDS.has(resource.kind) || namespaces.has(resource.namespace ?? '') || identities.get(identityOf(resource))! > 1,
  );
}

/** A resource of a render without a namespace of its own is in the release's, as `helm install -n` puts it. */
function inReleaseNamespace(resource: Resource, namespace: string | undefined): Resource {
  if (namespace === undefined || resource.namespace !== undefined || resource.kind === 'Namespace') return resource;
  return { ...resource, namespace, ref: { ...resource.ref, namespace } };
}

/** Whether a report fails the gate: a finding at or above `failOn`, or, with `failOnSkipped`, a file that could not be checked. */
export function failsGate(report: Pick<AnalysisReport, 'findings' | 'skipped'>, config: Pick<MeshreadyConfig, 'failOn' | 'failOnSkipped'>): boolean {
  if (config.failOnSkipped && report.skipped.length > 0) return true;
  const { failOn } = config;
  if (failOn === 'never') return false;
  return report.findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]);
}
