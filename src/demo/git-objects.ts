import { createHash } from 'node:crypto';

/**
 * Git's object model as the fake GitHub keeps it: blobs, trees and commits by their real
 * SHAs (`git hash-object`, `git mktree`), so a client that caches by SHA, compares trees
 * or walks subtrees is tested against the identities GitHub would give it.
 */

/** The modes git writes in trees: file, executable, symbolic link, submodule (a gitlink), directory. */
export type GitMode = '100644' | '100755' | '120000' | '160000' | '040000';
export type GitObjectType = 'blob' | 'tree' | 'commit';

export interface GitTreeEntry {
  name: string;
  mode: GitMode;
  sha: string;
}

export interface GitCommit {
  tree: string;
  parents: string[];
  message: string;
}

/**
 * What a path of a commit holds, as a test writes it: a file's text or bytes, an
 * executable file, a symbolic link (its target), or a submodule (the commit it records).
 */
export type FakeEntry = string | Uint8Array | { executable: string | Uint8Array } | { symlink: string } | { submodule: string };

/** A path's entry before it is put in a tree: what `git update-index --cacheinfo` takes. */
export interface GitLeaf {
  mode: Exclude<GitMode, '040000'>;
  sha: string;
}

/** The object id git gives `<type> <size>\0<body>`: `git hash-object -t <type>`. */
export function gitObjectSha(type: GitObjectType, body: Uint8Array): string {
  return createHash('sha1').update(`${type} ${body.byteLength}\u0000`).update(body).digest('hex');
}

/** What an entry of a tree points at, by its mode. */
export function objectTypeOfMode(mode: GitMode): GitObjectType {
  return mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
}

/** Git orders a tree by the bytes of the names, a subtree's name compared as if it ended in `/`. */
function sortKey(entry: GitTreeEntry): Buffer {
  return Buffer.from(entry.mode === '040000' ? `${entry.name}/` : entry.name, 'utf8');
}

/** A tree object's body: `<mode> <name>\0<20 bytes of SHA>` per entry, in git's order, directories as mode `40000`. */
function treeBody(entries: readonly GitTreeEntry[]): Buffer {
  return Buffer.concat(
    entries.flatMap((entry) => [Buffer.from(`${entry.mode === '040000' ? '40000' : entry.mode} ${entry.name}\u0000`, 'utf8'), Buffer.from(entry.sha, 'hex')]),
  );
}

function bytesOf(content: string | Uint8Array): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
}

export class GitObjectStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly trees = new Map<string, readonly GitTreeEntry[]>();
  /** Commits by SHA. A test may name a commit's SHA itself (GitHub's webhook examples do). */
  readonly commits = new Map<string, GitCommit>();

  putBlob(content: string | Uint8Array): string {
    const bytes = bytesOf(content);
    const sha = gitObjectSha('blob', bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  /** Stores a tree of these entries (in any order; names must be unique) and gives its SHA. */
  putTree(entries: readonly GitTreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
    for (let index = 1; index < sorted.length; index++) {
      if (sorted[index]!.name === sorted[index - 1]!.name) throw new Error(`a tree cannot hold "${sorted[index]!.name}" twice`);
    }
    const sha = gitObjectSha('tree', treeBody(sorted));
    this.trees.set(sha, sorted);
    return sha;
  }

  blob(sha: string): Buffer | undefined {
    return this.blobs.get(sha);
  }

  tree(sha: string): readonly GitTreeEntry[] | undefined {
    return this.trees.get(sha);
  }

  typeOf(sha: string): GitObjectType | undefined {
    if (this.blobs.has(sha)) return 'blob';
    if (this.trees.has(sha)) return 'tree';
    return this.commits.has(sha) ? 'commit' : undefined;
  }

  /** A path's leaf for what a test wrote there: the blob it stores, or the gitlink it records. */
  leafOf(entry: FakeEntry): GitLeaf {
    if (typeof entry === 'string' || entry instanceof Uint8Array) return { mode: '100644', sha: this.putBlob(entry) };
    if ('executable' in entry) return { mode: '100755', sha: this.putBlob(entry.executable) };
    if ('symlink' in entry) return { mode: '120000', sha: this.putBlob(entry.symlink) };
    return { mode: '160000', sha: entry.submodule };
  }

  /** Nested trees holding these leaves by path (`a/b/c.yaml`), as `git write-tree` makes them: the root tree's SHA. */
  writeTree(leaves: ReadonlyMap<string, GitLeaf>): string {
    interface Directory {
      leaves: Map<string, GitLeaf>;
      directories: Map<string, Directory>;
    }
    const root: Directory = { leaves: new Map(), directories: new Map() };
    for (const [path, leaf] of leaves) {
      const names = path.split('/');
      if (names.some((name) => name === '' || name === '.' || name === '..')) throw new Error(`not a path git can store: "${path}"`);
      let directory = root;
      for (const name of names.slice(0, -1)) {
        let next = directory.directories.get(name);
        if (!next) directory.directories.set(name, (next = { leaves: new Map(), directories: new Map() }));
        directory = next;
      }
      directory.leaves.set(names.at(-1)!, leaf);
    }
    const write = (directory: Directory): string =>
      this.putTree([
        ...[...directory.leaves].map(([name, leaf]) => ({ name, ...leaf })),
        ...[...directory.directories].map(([name, child]) => ({ name, mode: '040000' as const, sha: write(child) })),
      ]);
    return write(root);
  }

  /** Every entry under a tree with its full path, depth first, a directory before what it holds: `git ls-tree -r -t`. */
  walk(treeSha: string, prefix = ''): { path: string; entry: GitTreeEntry }[] {
    return (this.trees.get(treeSha) ?? []).flatMap((entry) => {
      const path = `${prefix}${entry.name}`;
      return [{ path, entry }, ...(entry.mode === '040000' ? this.walk(entry.sha, `${path}/`) : [])];
    });
  }

  /** The leaves of a tree by full path (what `git ls-files -s` lists of a commit). */
  leaves(treeSha: string): Map<string, GitLeaf> {
    const leaves = new Map<string, GitLeaf>();
    for (const { path, entry } of this.walk(treeSha)) if (entry.mode !== '040000') leaves.set(path, { mode: entry.mode, sha: entry.sha });
    return leaves;
  }

  /** The entry at a path of a tree (`<tree>:<path>` in rev-parse), or undefined. */
  entryAt(treeSha: string, path: string): GitTreeEntry | undefined {
    let entries = this.trees.get(treeSha);
    let found: GitTreeEntry | undefined;
    for (const name of path.split('/')) {
      found = entries?.find((entry) => entry.name === name);
      if (!found) return undefined;
      entries = found.mode === '040000' ? this.trees.get(found.sha) : undefined;
    }
    return found;
  }

  /**
   * A commit object's SHA for a commit made now (`git commit-tree`): tree, parents, the
   * author and committer lines and the message, as git writes them.
   */
  commitSha(commit: GitCommit, author: { name: string; email: string }, seconds: number): string {
    const person = `${author.name} <${author.email}> ${seconds} +0000`;
    const body = [`tree ${commit.tree}`, ...commit.parents.map((parent) => `parent ${parent}`), `author ${person}`, `committer ${person}`, '', commit.message].join('\n');
    return gitObjectSha('commit', Buffer.from(body, 'utf8'));
  }
}
