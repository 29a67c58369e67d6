import { createHash } from 'node:crypto';
import type { Finding, NodePath } from './types.js';

/**
 * What a change introduces: the findings of its head matched against those of its base by
 * an identity that does not hold the file path, so that moving a file introduces nothing,
 * while a Namespace label changed in one file brings in the finding of a workload in
 * another.
 */

/**
 * Which head findings are reported, after reviewdog's filter modes. reviewdog filters by
 * place (`added`, `diff_context`: lines of the diff; `file`: changed files; `nofilter`:
 * everything), for linters that judge each file alone. meshready judges the repository, so
 * its narrowest scope is by identity, not by place:
 * - `new`: the findings the change introduces, wherever they are (the default);
 * - `changed-files`: those, and every finding already in a file the change touches, as
 *   reviewdog's `file` mode: the debt of the files being worked on. The new findings
 *   elsewhere stay in, because a scope meant to show more than `new` must never hide the
 *   workload a changed Namespace breaks;
 * - `all`: every head finding, as `nofilter`.
 * So each scope holds the one before it.
 */
export type CompareScope = { scope: 'new' } | { scope: 'changed-files'; changedFiles: ReadonlySet<string> } | { scope: 'all' };

export interface Comparison {
  /** The head findings the scope reports, in head order: what is shown, and what the gate (`failOn`) judges. */
  reported: Finding[];
  /** Head findings with no match on the base: what the change introduces. */
  introduced: Finding[];
  /** Head findings matched on the base: there before the change, counted in summaries. */
  existing: Finding[];
  /** Base findings with no match on the head: fixed or removed by the change. */
  gone: Finding[];
}

/**
 * From the document root to the resource, inside a `kind: List`: `items`, index, and again
 * for a List in a List. Where the resource sits in its document is no part of where the
 * finding sits in the object, so a resource taken out of a List keeps its findings'
 * identities. (A resource is never a List itself: manifest.ts unpacks them.)
 */
function withinResource(nodePath: NodePath): NodePath {
  let start = 0;
  while (nodePath[start] === 'items' && typeof nodePath[start + 1] === 'number') start += 2;
  return nodePath.slice(start);
}

/**
 * A finding's identity, stable across pushes and moves: the rule, the resource (kind,
 * namespace, name) and the path of the offending node in the object; never a line, never
 * the file. A finding about no resource (a parse error) has nothing else to be known by:
 * its identity is the file's path and its node path, which names the document (`document
 * N`), so a broken file that moves is reported again as broken. 20 hex digits, as the
 * fingerprints review comments carry.
 */
export function findingIdentity(finding: Finding): string {
  const { resource } = finding;
  const parts = resource
    ? [finding.ruleId, resource.kind, resource.namespace ?? '', resource.name, ...withinResource(finding.nodePath)]
    : [finding.ruleId, finding.file, ...finding.nodePath];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 20);
}

/**
 * Matches head findings to base findings as multisets of identities: three alike on the
 * base and four on the head make one new. Matched first within the same file, then across
 * files (a move), so that of four alike the new one is the one in the file that gained it.
 */
export function compareFindings(base: readonly Finding[], head: readonly Finding[], scope: CompareScope = { scope: 'new' }): Comparison {
  const inFile = new Map<string, Finding[]>();
  const anywhere = new Map<string, Finding[]>();
  const identities = new Map<Finding, string>();
  const identityOf = (finding: Finding) => {
    let identity = identities.get(finding);
    if (identity === undefined) identities.set(finding, (identity = findingIdentity(finding)));
    return identity;
  };
  const unmatchedBase = new Set(base);
  for (const finding of base) {
    const identity = identityOf(finding);
    push(inFile, `${identity}\u0000${finding.file}`, finding);
    push(anywhere, identity, finding);
  }
  const take = (candidates: Finding[] | undefined): boolean => {
    while (candidates && candidates.length > 0) {
      const candidate = candidates.shift()!;
      if (unmatchedBase.delete(candidate)) return true;
    }
    return false;
  };

  const matched = new Set<Finding>();
  for (const finding of head) if (take(inFile.get(`${identityOf(finding)}\u0000${finding.file}`))) matched.add(finding);
  for (const finding of head) if (!matched.has(finding) && take(anywhere.get(identityOf(finding)))) matched.add(finding);

  const introduced = head.filter((finding) => !matched.has(finding));
  const existing = head.filter((finding) => matched.has(finding));
  const reported =
    scope.scope === 'all'
      ? [...head]
      : scope.scope === 'changed-files'
        ? head.filter((finding) => !matched.has(finding) || scope.changedFiles.has(finding.file))
        : introduced;
  return { reported, introduced, existing, gone: base.filter((finding) => unmatchedBase.has(finding)) };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
