import { spawnSync } from 'node:child_process';
import { posix, relative, resolve, sep } from 'node:path';
import { compareFindings } from '../core/compare.js';
import { pathMatcher } from '../core/config.js';
import type { MeshreadyConfig } from '../core/config.js';
import { manifestSource } from '../core/encoding.js';
import { oversizeReason } from '../core/manifest.js';
import type { AnalysisReport, SkippedFile, SourceFile } from '../core/types.js';
import { InputError } from './files.js';
import type { CollectedFiles } from './files.js';

/**
 * `meshready lint --changed-since REF`: the working tree linted as always, REF's files read
 * from git and linted with the same config and the same path selection, and only the
 * findings the working tree introduces reported (`compareFindings`, scope `new`). What
 * pre-commit hooks and CI want: a change is judged by what it breaks, not by the debt it
 * sits in.
 */

/** Directories never worth walking into, as the working tree's walk (files.ts) prunes them. */
const PRUNED_DIRECTORIES = new Set(['.git', 'node_modules']);
/** What a file is named when it holds YAML or JSON, as files.ts decides for a file named on the command line. */
const MANIFEST_NAME = /(?:\.ya?ml|\.json|(?:^|\/)Kustomization)$/i;
/** Symbolic links followed in a row before giving up, as Linux's SYMLOOP_MAX. */
const MAX_LINK_HOPS = 40;

interface GitEntry {
  mode: string;
  sha: string;
  size: number;
}

function git(cwd: string, args: string[], input?: string, maxBuffer = 64 * 1024 * 1024): { status: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync('git', args, { cwd, input, maxBuffer });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new InputError('--changed-since needs git, and there is no git on the PATH');
  if (result.error) throw new InputError(`--changed-since: git failed: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** The commit REF names, and where the working directory sits in the repository (`k8s/`, or `` at its top). */
function resolveRevision(revision: string, cwd: string): { commit: string; prefix: string } {
  const answer = git(cwd, ['rev-parse', '--show-prefix', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
  if (answer.status !== 0 && /not a git repository/.test(answer.stderr)) throw new InputError(`--changed-since ${revision}: ${cwd} is not in a git repository`);
  // Any other refusal of git's (a repository it does not trust, say) in git's own words.
  if (answer.status === 128) throw new InputError(`--changed-since ${revision}: ${answer.stderr.trim().split('\n')[0]!.replace(/^fatal: /, '')}`);
  const [prefix = '', commit] = answer.stdout.toString('utf8').split('\n');
  if (answer.status !== 0 || !commit) throw new InputError(`--changed-since ${revision}: no such commit in this repository`);
  return { commit, prefix: prefix.replace(/\/$/, '') };
}

/** Every entry of a commit's tree by path from the top (`git ls-tree -r -l --full-tree`): blobs with their sizes, submodules. */
function treeEntries(commit: string, cwd: string): Map<string, GitEntry> {
  const listing = git(cwd, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit], undefined, 1 << 30);
  if (listing.status !== 0) throw new InputError(`--changed-since: git ls-tree ${commit} failed: ${listing.stderr.trim()}`);
  const entries = new Map<string, GitEntry>();
  for (const record of listing.stdout.toString('utf8').split('\u0000')) {
    const match = /^(\d+) \w+ ([0-9a-f]+) +(\d+|-)\t(.*)$/s.exec(record);
    if (match) entries.set(match[4]!, { mode: match[1]!, sha: match[2]!, size: match[3] === '-' ? 0 : Number(match[3]) });
  }
  return entries;
}

/** Blobs by SHA, read in one `git cat-file --batch`. */
function readBlobs(shas: string[], cwd: string): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  if (shas.length === 0) return blobs;
  const answer = git(cwd, ['cat-file', '--batch'], `${shas.join('\n')}\n`, 1 << 30);
  if (answer.status !== 0) throw new InputError(`--changed-since: git cat-file failed: ${answer.stderr.trim()}`);
  const out = answer.stdout;
  let offset = 0;
  while (offset < out.length) {
    const newline = out.indexOf(0x0a, offset);
    const header = out.subarray(offset, newline).toString('utf8').split(' ');
    offset = newline + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    blobs.set(header[0]!, out.subarray(offset, offset + size));
    offset += size + 1;
  }
  return blobs;
}

/** A commit's tree as the working tree's walk sees a directory: children by directory, symbolic links resolved. */
class RevisionTree {
  private readonly children = new Map<string, Set<string>>([['', new Set()]]);

  constructor(
    private readonly entries: Map<string, GitEntry>,
    private readonly links: Map<string, string>,
  ) {
    for (const path of entries.keys()) {
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
   * repository: undefined for a link out of it (REF has nothing there to read), a loop, or
   * a path with nothing at it.
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
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    return entry.mode === '160000' ? 'submodule' : 'file';
  }

  entry(path: string): GitEntry {
    return this.entries.get(path)!;
  }
}

interface Selected {
  entry: GitEntry;
  shown: string;
}

/**
 * Reads, at a revision, what `collectFiles` reads in the working tree for the same paths:
 * files as named, directories walked (symbolic links followed within the repository, the
 * config's globs, `.git` and `node_modules` passed over), sizes checked before reading.
 * Paths are shown as the working tree's are, from the working directory. A submodule's files
 * are not in REF's tree: in the working tree they are linted, here they are not.
 */
export function collectFilesAt(revision: string, paths: string[], config: MeshreadyConfig, cwd: string): CollectedFiles & { commit: string } {
  const { commit, prefix } = resolveRevision(revision, cwd);
  const root = resolve(cwd, prefix === '' ? '.' : prefix.split('/').map(() => '..').join('/'));
  const entries = treeEntries(commit, cwd);
  const linkPaths = [...entries].filter(([, entry]) => entry.mode === '120000');
  const linkTargets = readBlobs([...new Set(linkPaths.map(([, entry]) => entry.sha))], cwd);
  const tree = new RevisionTree(entries, new Map(linkPaths.map(([path, entry]) => [path, linkTargets.get(entry.sha)?.toString('utf8') ?? ''])));

  const shownOf = (repositoryPath: string) => {
    const absolute = resolve(root, repositoryPath);
    const shown = relative(cwd, absolute);
    return (shown === '' || shown.startsWith('..') ? absolute : shown).split(sep).join('/');
  };
  const isIncluded = pathMatcher(config.paths);
  const selected: Selected[] = [];
  const out: CollectedFiles = { files: [], skipped: [], charts: [] };

  const walk = (shownDirectory: string, realDirectory: string, walking: Set<string>) => {
    for (const name of tree.namesIn(realDirectory)) {
      const shownPath = shownDirectory === '' ? name : `${shownDirectory}/${name}`;
      const shown = shownOf(shownPath);
      const real = tree.resolve(realDirectory === '' ? name : `${realDirectory}/${name}`);
      const kind = real === undefined ? undefined : tree.kindOf(real);
      if (real === undefined || kind === undefined) {
        if (isIncluded(shown)) out.skipped.push({ file: shown, reason: 'symbolic link to nothing' });
      } else if (kind === 'directory' && !PRUNED_DIRECTORIES.has(name)) {
        if (walking.has(real)) {
          out.skipped.push({ file: shown, reason: 'symbolic link cycle: links back to a directory that contains it' });
          continue;
        }
        walking.add(real);
        walk(shownPath, real, walking);
        walking.delete(real);
      } else if (kind === 'file' && isIncluded(shown)) selected.push({ entry: tree.entry(real), shown });
    }
  };

  for (const path of paths) {
    const repositoryPath = relative(root, resolve(cwd, path)).split(sep).join('/');
    // Outside the repository, or not there at REF: nothing was there to find.
    if (repositoryPath === '..' || repositoryPath.startsWith('../')) continue;
    const real = tree.resolve(repositoryPath);
    const kind = real === undefined ? undefined : tree.kindOf(real);
    if (real === undefined || kind === 'submodule') continue;
    const shown = shownOf(repositoryPath);
    if (kind === 'directory') walk(repositoryPath, real, new Set([real]));
    else if (MANIFEST_NAME.test(shown)) selected.push({ entry: tree.entry(real), shown });
    else out.skipped.push({ file: shown, reason: 'not a YAML or JSON file (by its name)' });
  }

  const readable = selected.filter(({ entry, shown }) => {
    const oversize = oversizeReason(entry.size, config.limits);
    if (oversize) out.skipped.push({ file: shown, reason: oversize });
    return !oversize;
  });
  const blobs = readBlobs([...new Set(readable.map(({ entry }) => entry.sha))], cwd);
  for (const { entry, shown } of readable) {
    const source = manifestSource(shown, blobs.get(entry.sha)!);
    if (!source) out.skipped.push({ file: shown, reason: 'binary file' });
    else out.files.push(source);
  }
  return { ...out, commit };
}

export interface ChangedSince {
  /** The working tree's report with only the findings new since the revision. */
  report: AnalysisReport;
  /** For text output: how many findings were already there, and how many are gone. */
  note: string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The working tree's report narrowed to what is new since `revision`: REF's files, read
 * with the same paths and config, linted by the same `lint`, matched by identity.
 */
export function changedSince(
  revision: string,
  paths: string[],
  config: MeshreadyConfig,
  cwd: string,
  head: AnalysisReport,
  lint: (files: SourceFile[], skipped: SkippedFile[]) => AnalysisReport,
): ChangedSince {
  const atRevision = collectFilesAt(revision, paths, config, cwd);
  const base = lint(atRevision.files, atRevision.skipped);
  const comparison = compareFindings(base.findings, head.findings, { scope: 'new' });
  const gone = comparison.gone.length > 0 ? `; ${plural(comparison.gone.length, 'problem')} of ${revision} gone` : '';
  return {
    report: { ...head, findings: comparison.reported },
    note: `since ${revision} (${atRevision.commit.slice(0, 12)}): ${plural(comparison.existing.length, 'problem')} already there, not shown${gone}\n`,
  };
}
