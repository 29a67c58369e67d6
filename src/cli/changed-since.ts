import { spawnSync } from 'node:child_process';
import { posix, relative, resolve, sep } from 'node:path';
import { CHART_FILE, pathInChart } from '../core/chart-source.js';
import { compareFindings } from '../core/compare.js';
import { pathMatcher } from '../core/config.js';
import type { MeshreadyConfig } from '../core/config.js';
import { manifestSource } from '../core/encoding.js';
import { oversizeReason } from '../core/manifest.js';
import { firstLine, plural } from '../core/words.js';
import { RepositoryTree, SYMLINK_MODE, walkTree } from '../core/repository-tree.js';
import type { TreeLeaf, WalkedFile, WalkOutput } from '../core/repository-tree.js';
import type { AnalysisReport } from '../core/types.js';
import { InputError } from './files.js';
import type { CollectedFiles } from './files.js';

/**
 * `meshready lint --changed-since REF`: the working tree linted as always, REF's files read
 * from git and linted with the same config and the same path selection, and only the
 * findings the working tree introduces reported (`compareFindings`, scope `new`). What
 * pre-commit hooks and CI want: a change is judged by what it breaks, not by the debt it
 * sits in.
 */

/** What a file is named when it holds YAML or JSON, as files.ts decides for a file named on the command line. */
const MANIFEST_NAME = /(?:\.ya?ml|\.json|(?:^|\/)Kustomization)$/i;

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
  if (answer.status === 128) throw new InputError(`--changed-since ${revision}: ${firstLine(answer.stderr).replace(/^fatal: /, '')}`);
  const [prefix = '', commit] = answer.stdout.toString('utf8').split('\n');
  if (answer.status !== 0 || !commit) throw new InputError(`--changed-since ${revision}: no such commit in this repository`);
  return { commit, prefix: prefix.replace(/\/$/, '') };
}

/** Every entry of a commit's tree by path from the top (`git ls-tree -r -l --full-tree`): blobs with their sizes, submodules. */
function treeEntries(commit: string, cwd: string): Map<string, TreeLeaf> {
  const listing = git(cwd, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit], undefined, 1 << 30);
  if (listing.status !== 0) throw new InputError(`--changed-since: git ls-tree ${commit} failed: ${listing.stderr.trim()}`);
  const entries = new Map<string, TreeLeaf>();
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

/** The chart directory a file is in, up to the repository's top, as the working tree's walk finds it. */
function chartHolding(tree: RepositoryTree, path: string): string | undefined {
  for (let directory = posix.dirname(path); ; directory = posix.dirname(directory)) {
    const top = directory === '.' ? '' : directory;
    if (tree.kindOf(top === '' ? CHART_FILE : `${top}/${CHART_FILE}`) === 'file') return top;
    if (top === '') return undefined;
  }
}

/**
 * Reads, at a revision, what `collectFiles` reads in the working tree for the same paths:
 * files as named, directories walked (symbolic links followed within the repository, the
 * config's globs, `.git` and `node_modules` passed over, Helm charts taken whole), sizes checked before reading.
 * Paths are shown as the working tree's are, from the working directory. A submodule's files
 * are not in REF's tree: in the working tree they are linted, here they are not.
 */
export function collectFilesAt(revision: string, paths: string[], config: MeshreadyConfig, cwd: string): CollectedFiles & { commit: string } {
  const { commit, prefix } = resolveRevision(revision, cwd);
  const root = resolve(cwd, prefix === '' ? '.' : prefix.split('/').map(() => '..').join('/'));
  const entries = treeEntries(commit, cwd);
  const linkPaths = [...entries].filter(([, entry]) => entry.mode === SYMLINK_MODE);
  const linkTargets = readBlobs([...new Set(linkPaths.map(([, entry]) => entry.sha))], cwd);
  const tree = new RepositoryTree(entries, new Map(linkPaths.map(([path, entry]) => [path, linkTargets.get(entry.sha)?.toString('utf8') ?? ''])));

  const shownOf = (repositoryPath: string) => {
    const absolute = resolve(root, repositoryPath);
    const shown = relative(cwd, absolute);
    return (shown === '' || shown.startsWith('..') ? absolute : shown).split(sep).join('/');
  };
  const isIncluded = pathMatcher(config.paths);
  const selected: WalkedFile[] = [];
  const out: CollectedFiles = { files: [], skipped: [], charts: [] };

  const walked: Required<WalkOutput> = { files: selected, skipped: out.skipped, charts: [] };
  for (const path of paths) {
    const repositoryPath = relative(root, resolve(cwd, path)).split(sep).join('/');
    // Outside the repository, or not there at REF: nothing was there to find.
    if (repositoryPath === '..' || repositoryPath.startsWith('../')) continue;
    const real = tree.resolve(repositoryPath);
    const kind = real === undefined ? undefined : tree.kindOf(real);
    if (real === undefined || kind === 'submodule') continue;
    const shown = shownOf(repositoryPath);
    const chart = kind === 'directory' ? undefined : chartHolding(tree, real);
    if (kind === 'directory') walkTree(tree, repositoryPath, { isIncluded, shownOf }, walked);
    // A values file or template named brings its chart, as in the working tree.
    else if (chart !== undefined) walkTree(tree, chart, { isIncluded: () => true, shownOf }, walked);
    else if (MANIFEST_NAME.test(shown)) selected.push({ leaf: tree.leaf(real), shown });
    else out.skipped.push({ file: shown, reason: 'not a YAML or JSON file (by its name)' });
  }

  const readable = selected.filter(({ leaf, shown }) => {
    const oversize = oversizeReason(leaf.size, config.limits);
    if (oversize) out.skipped.push({ file: shown, reason: oversize });
    return !oversize;
  });
  const charts = [...new Map(walked.charts.map((chart) => [chart.root, chart])).values()];
  const chartFiles = charts.flatMap((chart) => chart.files);
  const blobs = readBlobs([...new Set([...readable, ...chartFiles].map(({ leaf }) => leaf.sha))], cwd);
  for (const { leaf, shown } of readable) {
    const source = manifestSource(shown, blobs.get(leaf.sha)!);
    if (!source) out.skipped.push({ file: shown, reason: 'binary file' });
    else out.files.push(source);
  }
  for (const chart of charts) {
    out.charts.push({ root: chart.root, files: chart.files.map(({ leaf, shown }) => ({ path: pathInChart(shown, chart.root)!, bytes: blobs.get(leaf.sha)! })) });
  }
  return { ...out, commit };
}

export interface ChangedSince {
  /** The working tree's report with only the findings new since the revision. */
  report: AnalysisReport;
  /** For text output: how many findings were already there, and how many are gone. */
  note: string;
}

/**
 * The working tree's report narrowed to what is new since `revision`: REF's files, read
 * with the same paths and config, linted by the same `lint`, matched by identity.
 */
export async function changedSince(
  revision: string,
  paths: string[],
  config: MeshreadyConfig,
  cwd: string,
  head: AnalysisReport,
  lint: (collected: CollectedFiles) => Promise<AnalysisReport>,
): Promise<ChangedSince> {
  const atRevision = collectFilesAt(revision, paths, config, cwd);
  const base = await lint(atRevision);
  const comparison = compareFindings(base.findings, head.findings, { scope: 'new' });
  const gone = comparison.gone.length > 0 ? `; ${plural(comparison.gone.length, 'problem')} of ${revision} gone` : '';
  return {
    report: { ...head, findings: comparison.reported },
    note: `since ${revision} (${atRevision.commit.slice(0, 12)}): ${plural(comparison.existing.length, 'problem')} already there, not shown${gone}\n`,
  };
}
