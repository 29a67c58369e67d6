import { posix } from 'node:path';
import { compareGoStrings } from '../fmt.js';
import { isGoSpace, trimGoSpace } from '../yaml/go-text.js';
import { decodeYamlStruct } from './chart-yaml.js';
import type { StructType } from './go-json-struct.js';

/**
 * What helm does with rendered templates before it prints them (`releaseutil`): every
 * file split into documents as SplitManifests splits them (on `---` lines, trimmed, empty
 * ones dropped), each document's head read (apiVersion, kind, metadata name and
 * annotations) — a document that does not read is helm's `YAML parse error on FILE` —
 * hooks (`helm.sh/hook`) set apart, unknown hook kinds dropped, and both sorted by kind in
 * install order, stably. Offsets say where each document is in its file's rendered text.
 */

export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const HOOK_EVENTS = new Set(['pre-install', 'post-install', 'pre-delete', 'post-delete', 'pre-upgrade', 'post-upgrade', 'pre-rollback', 'post-rollback', 'test', 'test-success']);

/** A document of a rendered file: `[start, end)` in the file's rendered text. */
export interface DocumentRange {
  start: number;
  end: number;
}

export interface SortedManifest extends DocumentRange {
  /** The template's name (`chart/templates/x.yaml`). */
  name: string;
  content: string;
  kind: string;
  apiVersion: string;
  /** For a hook: its events as written (`pre-install`, `test`), lower-cased. */
  hookEvents?: string[];
}

export class ManifestError extends Error {}

/** Go's `\s` (RE2's Perl class): `[\t\n\f\r ]`. */
function isPerlSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c;
}

function trimmedRange(text: string, start: number, end: number): DocumentRange {
  while (start < end && isGoSpace(text.charCodeAt(start))) start++;
  while (end > start && isGoSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

/**
 * The matches of helm's separator `(?:^|\s*\n)---\s*` in `text[start, end)`, leftmost first
 * as Go's regexp finds them: `---` at the start, or after a line break that the previous
 * match did not take, each with the blanks on both sides. (A regular expression spends
 * quadratic time on the runs of indentation blanks that come before no `---`.)
 */
function separators(text: string, start: number, end: number): DocumentRange[] {
  const found: DocumentRange[] = [];
  let from = start;
  const blanksFrom = (at: number) => {
    while (at < end && isPerlSpace(text.charCodeAt(at))) at++;
    return at;
  };
  if (text.startsWith('---', start) && start + 3 <= end) {
    from = blanksFrom(start + 3);
    found.push({ start, end: from });
  }
  for (let line = text.indexOf('\n---', from); line !== -1 && line + 4 <= end; line = text.indexOf('\n---', from)) {
    let first = line;
    while (first > from && isPerlSpace(text.charCodeAt(first - 1))) first--;
    from = blanksFrom(line + 4);
    found.push({ start: first, end: from });
  }
  return found;
}

/** SplitManifests: the documents of a rendered file, in order, each trimmed; empty ones dropped. */
export function splitManifests(text: string): DocumentRange[] {
  const whole = trimmedRange(text, 0, text.length);
  const documents: DocumentRange[] = [];
  let from = whole.start;
  const add = (to: number) => {
    if (to > from) {
      const range = trimmedRange(text, from, to);
      if (range.end > range.start) documents.push(range);
    }
  };
  for (const separator of separators(text, whole.start, whole.end)) {
    add(separator.start);
    from = separator.end;
  }
  add(whole.end);
  return documents;
}

const ANNOTATIONS_STRUCT: StructType = {
  name: '',
  qualifiedName: 'struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }',
  fields: { name: { kind: 'string' }, annotations: { kind: 'stringMap' } },
};

const SIMPLE_HEAD: StructType = {
  name: 'SimpleHead',
  qualifiedName: 'util.SimpleHead',
  fields: { apiVersion: { kind: 'string' }, kind: { kind: 'string' }, metadata: { kind: 'struct', struct: ANNOTATIONS_STRUCT } },
};

export interface Head {
  apiVersion: string;
  kind: string;
  annotations: Map<string, string> | undefined;
}

/** Heads read before: a document's head is of its text alone, so a render again (of a fix, of the same chart with other values) reads only the documents it has not met. */
export interface KeptHeads {
  /** The head of `content`, `read` when it is not kept. */
  headOf(content: string, read: () => Head): Head;
}

function readHead(content: string, file: string): Head {
  let fields: Map<string, unknown>;
  try {
    fields = decodeYamlStruct(content, SIMPLE_HEAD);
  } catch (error) {
    throw new ManifestError(`YAML parse error on ${file}: ${(error as Error).message}`);
  }
  const metadata = fields.get('metadata') as Map<string, unknown> | null | undefined;
  const annotations = metadata?.get('annotations') as Map<string, string> | null | undefined;
  return { apiVersion: (fields.get('apiVersion') as string | undefined) ?? '', kind: (fields.get('kind') as string | undefined) ?? '', annotations: annotations ?? undefined };
}

function kindOrder(order: readonly string[]): (a: SortedManifest, b: SortedManifest) => number {
  const rank = new Map(order.map((kind, index) => [kind, index]));
  return (a, b) => {
    const first = rank.get(a.kind);
    const second = rank.get(b.kind);
    if (first === undefined && second === undefined) return compareGoStrings(a.kind, b.kind);
    if (first === undefined) return 1;
    if (second === undefined) return -1;
    return first - second;
  };
}

/**
 * SortManifests over rendered files (template name → text): partials and blank files
 * skipped, files in name order, documents in file order; then hooks and the rest, each
 * sorted stably by kind in install order. Throws ManifestError for a document helm cannot read.
 */
export function sortManifests(files: ReadonlyMap<string, string>, heads?: KeptHeads): { manifests: SortedManifest[]; hooks: SortedManifest[] } {
  const manifests: SortedManifest[] = [];
  const hooks: SortedManifest[] = [];
  for (const name of [...files.keys()].sort(compareGoStrings)) {
    const text = files.get(name)!;
    if (posix.basename(name).startsWith('_')) continue;
    if (trimGoSpace(text) === '') continue;
    for (const range of splitManifests(text)) {
      const content = text.slice(range.start, range.end);
      const head = heads ? heads.headOf(content, () => readHead(content, name)) : readHead(content, name);
      const manifest: SortedManifest = { name, content, kind: head.kind, apiVersion: head.apiVersion, ...range };
      const hookTypes = head.annotations && head.annotations.size > 0 ? head.annotations.get('helm.sh/hook') : undefined;
      if (hookTypes === undefined) {
        manifests.push(manifest);
        continue;
      }
      const events = hookTypes.split(',').map((event) => trimGoSpace(event).toLowerCase());
      // helm drops a document whose hook list names an event it does not know.
      if (events.some((event) => !HOOK_EVENTS.has(event))) continue;
      hooks.push({ ...manifest, hookEvents: events });
    }
  }
  const byKind = kindOrder(INSTALL_ORDER);
  return { manifests: manifests.sort(byKind), hooks: hooks.sort(byKind) };
}
