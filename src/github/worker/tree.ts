import { SUBMODULE_MODE, SYMLINK_MODE } from '../../core/repository-tree.js';
import type { TreeLeaf } from '../../core/repository-tree.js';
import { repositoryReads } from '../metrics.js';
import type { Octokit } from '../types.js';

/** A repository as the API names it. */
export interface RepositoryRef {
  owner: string;
  repo: string;
}

/** Requests at once while walking the subtrees of a truncated tree: far under GitHub's 100 concurrent. */
const SUBTREES_AT_ONCE = 8;

/** What a commit's tree holds, by path from the repository's top: every file, symbolic link and submodule. */
export interface CommitTree {
  /** The tree's own SHA. */
  sha: string;
  leaves: Map<string, TreeLeaf>;
  /** Requests it took: one, unless GitHub truncated the listing. */
  requests: number;
}

interface ListedEntry {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}

/** Runs `work` on every item, at most `limit` at once. */
export async function eachAtMost<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * A commit's whole tree (`treeish`: its commit SHA or its tree's): one recursive listing
 * (`git/trees/{sha}?recursive=1`), and when GitHub truncates it (over 100,000 entries or
 * 7 MB), the subtrees it left out, walked. GitHub lists depth first, a directory before what
 * it holds, and cuts the listing short: so every directory it listed is whole, but the last
 * entry's directories (and the last entry, if a directory). Those are listed a level at a
 * time, and their subtrees not yet seen read recursively in turn.
 */
export async function readCommitTree(octokit: Octokit, at: RepositoryRef, treeish: string): Promise<CommitTree> {
  const leaves = new Map<string, TreeLeaf>();
  let requests = 0;
  const list = async (sha: string, recursive: boolean) => {
    requests++;
    repositoryReads.inc({ kind: 'tree' });
    const { data } = await octokit.rest.git.getTree({ owner: at.owner, repo: at.repo, tree_sha: sha, ...(recursive ? { recursive: '1' } : {}) });
    return data as { sha: string; tree: ListedEntry[]; truncated: boolean };
  };
  const keep = (prefix: string, entry: ListedEntry): string | undefined => {
    if (entry.path === undefined || entry.sha === undefined || entry.mode === undefined) return undefined;
    const path = `${prefix}${entry.path}`;
    if (entry.type === 'tree') return path;
    leaves.set(path, { mode: entry.mode, sha: entry.sha, size: entry.mode === SUBMODULE_MODE ? 0 : (entry.size ?? 0) });
    return undefined;
  };

  const readTree = async (sha: string, prefix: string): Promise<string> => {
    const listing = await list(sha, true);
    const trees = new Map<string, string>();
    for (const entry of listing.tree) {
      const tree = keep(prefix, entry);
      if (tree !== undefined) trees.set(tree, entry.sha!);
    }
    if (!listing.truncated) return listing.sha;
    const last = listing.tree.at(-1);
    const unfinished = [{ path: prefix.replace(/\/$/, ''), sha: listing.sha }];
    if (last?.path !== undefined) {
      const names = last.path.split('/');
      const depth = last.type === 'tree' ? names.length : names.length - 1;
      for (let level = 1; level <= depth; level++) {
        const path = `${prefix}${names.slice(0, level).join('/')}`;
        unfinished.push({ path, sha: trees.get(path)! });
      }
    }
    const isUnfinished = new Set(unfinished.map((directory) => directory.path));
    const missing: { path: string; sha: string }[] = [];
    for (const directory of unfinished) {
      const inner = directory.path === '' ? '' : `${directory.path}/`;
      for (const entry of (await list(directory.sha, false)).tree) {
        const tree = keep(inner, entry);
        if (tree !== undefined && !isUnfinished.has(tree) && !trees.has(tree)) missing.push({ path: tree, sha: entry.sha! });
      }
    }
    await eachAtMost(missing, SUBTREES_AT_ONCE, async (directory) => {
      await readTree(directory.sha, `${directory.path}/`);
    });
    return listing.sha;
  };

  const sha = await readTree(treeish, '');
  return { sha, leaves, requests };
}

/** The symbolic links of a tree, by path: their targets are their blobs' text. */
export function symbolicLinks(tree: CommitTree): [string, TreeLeaf][] {
  return [...tree.leaves].filter(([, leaf]) => leaf.mode === SYMLINK_MODE);
}

/** The submodules of a tree, by path: their files are another repository's commit. */
export function submodules(tree: CommitTree): string[] {
  return [...tree.leaves].filter(([, leaf]) => leaf.mode === SUBMODULE_MODE).map(([path]) => path);
}
