import { posix } from 'node:path';
import { CHART_FILE } from './chart-source.js';
import type { SkippedFile } from './types.js';

/**
 * A commit's tree as a checkout of it shows itself to a directory walk: what the CLI reads
 * at a git revision (`--changed-since`) and the app reads of a pull request's commits. Both
 * walk it as the CLI walks the working tree (files.ts), so that the same tree gives the same
 * files whichever reads it: symbolic links followed within the repository (a checkout makes
 * them real links, and kubectl and kustomize follow them), `.git` and `node_modules` passed
 * over, submodules not entered (their files are another repository's commit).
 */

/** A tree entry that is no directory: a file, executable or not, a symbolic link, or a submodule (a gitlink). */
export interface TreeLeaf {
  mode: string;
  sha: string;
  /** Bytes, as the tree lists them (0 for a submodule). */
  size: number;
}

export const SYMLINK_MODE = '120000';
export const SUBMODULE_MODE = '160000';

/** Directories never worth walking into, as the working tree's walk prunes them. */
export const PRUNED_DIRECTORIES = new Set(['.git', 'node_modules']);
/** Symbolic links followed in a row before giving up, as Linux's SYMLOOP_MAX. */
const MAX_LINK_HOPS = 40;

export const DANGLING_LINK = 'symbolic link to nothing';
export const LINK_CYCLE = 'symbolic link cycle: links back to a directory that contains it';

export class RepositoryTree {
  private readonly children = new Map<string, Set<string>>([['', new Set()]]);

  /**
   * `leaves` by path from the repository's top; `links` the target of each symbolic link
   * among them (the text of its blob).
   */
  constructor(
    private readonly leaves: ReadonlyMap<string, TreeLeaf>,
    private readonly links: ReadonlyMap<string, string>,
  ) {
    for (const path of leaves.keys()) {
      const names = path.split('/');
      for (let depth = 0; depth < names.length; depth++) {
        const parent = names.slice(0, depth).join('/');
        let set = this.children.get(parent);
        if (!set) this.children.set(parent, (set = new Set()));
        set.add(names[depth]!);
      }
    }
  }

  namesIn(directory: string): string[] {
    return [...(this.children.get(directory) ?? [])].sort((a, b) => (a < b ? -1 : 1));
  }

  /**
   * The path a path comes to once every symbolic link along it is followed, within the
   * repository: undefined for a link out of it (the tree has nothing there to read), a loop,
   * or a path with nothing at it.
   */
  resolve(path: string, hops = 0): string | undefined {
    const names = path === '' ? [] : path.split('/');
    for (let depth = 1; depth <= names.length; depth++) {
      const prefix = names.slice(0, depth).join('/');
      const target = this.links.get(prefix);
      if (target === undefined) continue;
      if (hops >= MAX_LINK_HOPS || posix.isAbsolute(target)) return undefined;
      const joined = posix.normalize(posix.join(posix.dirname(prefix), target, ...names.slice(depth)));
      if (joined === '..' || joined.startsWith('../')) return undefined;
      return this.resolve(joined === '.' ? '' : joined.replace(/\/$/, ''), hops + 1);
    }
    return this.kindOf(path) === undefined ? undefined : path;
  }

  kindOf(path: string): 'directory' | 'file' | 'submodule' | undefined {
    if (this.children.has(path)) return 'directory';
    const leaf = this.leaves.get(path);
    if (!leaf) return undefined;
    return leaf.mode === SUBMODULE_MODE ? 'submodule' : 'file';
  }

  leaf(path: string): TreeLeaf {
    return this.leaves.get(path)!;
  }
}

/** A file the walk found: its leaf (where the bytes are) and the path it is shown at (a link's, when it came through one). */
export interface WalkedFile {
  leaf: TreeLeaf;
  shown: string;
}

export interface WalkOptions {
  /** Whether a file, by its shown path, is wanted. */
  isIncluded: (shown: string) => boolean;
  /** How a repository path is shown (the CLI: from its working directory); as it is by default. */
  shownOf?: (path: string) => string;
}

/** A Helm chart the walk met: its root as shown (`` at the top), and every file under it, whatever the globs say. */
export interface WalkedChart {
  root: string;
  files: WalkedFile[];
}

export interface WalkOutput {
  files: WalkedFile[];
  skipped: SkippedFile[];
  /** Given, the walk stops at each directory holding a Chart.yaml the globs include and takes the chart whole, as the CLI's walk does on disk. */
  charts?: WalkedChart[];
}

/**
 * Walks a directory of the tree as the working tree's walk does a directory on disk, in
 * name order: links followed, a link back to a directory being walked reported and not
 * followed round again, a dangling one reported when its name is wanted.
 */
export function walkTree(tree: RepositoryTree, directory: string, options: WalkOptions, out: WalkOutput): void {
  const shownOf = options.shownOf ?? ((path: string) => path);
  const real = tree.resolve(directory);
  if (real === undefined || tree.kindOf(real) !== 'directory') return;
  const pathIn = (parent: string, name: string) => (parent === '' ? name : `${parent}/${name}`);
  /** The chart's root as shown, when the directory is a chart the globs include. */
  const chartAt = (shownDirectory: string, realDirectory: string): string | undefined => {
    const chartFile = tree.resolve(pathIn(realDirectory, CHART_FILE));
    if (chartFile === undefined || tree.kindOf(chartFile) !== 'file') return undefined;
    const shown = shownOf(pathIn(shownDirectory, CHART_FILE));
    if (!options.isIncluded(shown)) return undefined;
    return shown === CHART_FILE ? '' : shown.slice(0, -CHART_FILE.length - 1);
  };
  const walk = (shownDirectory: string, realDirectory: string, walking: Set<string>, into: WalkedFile[], inChart: boolean) => {
    if (!inChart && out.charts) {
      const root = chartAt(shownDirectory, realDirectory);
      if (root !== undefined) {
        const chart: WalkedChart = { root, files: [] };
        out.charts.push(chart);
        walk(shownDirectory, realDirectory, walking, chart.files, true);
        return;
      }
    }
    for (const name of tree.namesIn(realDirectory)) {
      const shown = shownOf(pathIn(shownDirectory, name));
      const target = tree.resolve(pathIn(realDirectory, name));
      const kind = target === undefined ? undefined : tree.kindOf(target);
      if (target === undefined || kind === undefined) {
        if (options.isIncluded(shown)) out.skipped.push({ file: shown, reason: DANGLING_LINK });
      } else if (kind === 'directory' && !PRUNED_DIRECTORIES.has(name)) {
        if (walking.has(target)) {
          out.skipped.push({ file: shown, reason: LINK_CYCLE });
          continue;
        }
        walking.add(target);
        walk(pathIn(shownDirectory, name), target, walking, into, inChart);
        walking.delete(target);
      } else if (kind === 'file' && (inChart || options.isIncluded(shown))) into.push({ leaf: tree.leaf(target), shown });
    }
  };
  walk(directory, real, new Set([real]), out.files, false);
}
