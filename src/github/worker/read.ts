import { pathInChart } from '../../core/chart-source.js';
import type { CommitInput, ChangeInput } from '../../core/change.js';
import type { MeshreadyConfig } from '../../core/config.js';
import { manifestSource } from '../../core/encoding.js';
import { formatBytes } from '../../core/manifest.js';
import type { SourceFile } from '../../core/types.js';
import type { DiffFile } from '../../diff/placement.js';
import { repositoryReads } from '../metrics.js';
import type { Octokit, PullRequestTarget } from '../types.js';
import type { BlobCache } from './blob-cache.js';
import { noReads, readBlobs } from './blobs.js';
import type { ReadCounts, WantedBlob } from './blobs.js';
import { readConfig } from './config.js';
import { selectFiles, withinBudget } from './repository.js';
import type { CommitSelection, RepositoryBudget } from './repository.js';
import { readCommitTree, submodules, symbolicLinks } from './tree.js';
import type { CommitTree, RepositoryRef } from './tree.js';

/** What the read stage is given beside the pull request: the blob cache and how much of a repository it may read. */
export interface ReadSettings {
  cache: BlobCache;
  budget: RepositoryBudget;
}

/** Paths named in a note at most: the rest are counted. */
const NAMED_IN_NOTE = 10;

interface ChangedFile extends DiffFile {
  status: string;
  previousPath?: string;
}

/** One commit as the analysis reads it: its plain manifests, its charts whole, and what could not be read. */
export interface CommitFiles extends CommitInput {
  sha: string;
}

/** What reading a pull request took: the compare and the trees beside the blob reads. */
export interface ReadingCounts extends ReadCounts {
  trees: number;
  compare: number;
}

/**
 * What the read stage gives the rest of the pipeline: the repo's config; the head commit's
 * whole tree as the model, and its base (the merge base, what the pull request's diff is
 * against) read the same way, to tell what the change introduces; the diff, which says where
 * meshready may speak.
 */
export type Reading =
  | { kind: 'invalid-config'; errors: string[] }
  | {
      kind: 'read';
      config: MeshreadyConfig;
      head: CommitFiles;
      /** Undefined when the pull request's base is not known (a job queued by an older version): every finding is then new. */
      base: CommitFiles | undefined;
      /** The changed files the config includes (or that belong to a chart), removed ones too. */
      diff: DiffFile[];
      /** Head paths the pull request changes. */
      changedPaths: Set<string>;
      notes: string[];
      counts: ReadingCounts;
    };

/** Lists a pull request's files, at most 3,000 as GitHub allows, 100 a page. */
async function listChangedFiles(octokit: Octokit, target: PullRequestTarget): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: target.owner,
    repo: target.repo,
    pull_number: target.number,
    per_page: 100,
  });
  return files.map((file) => ({
    path: file.filename,
    status: file.status,
    ...(file.patch !== undefined ? { patch: file.patch } : {}),
    ...(file.previous_filename !== undefined ? { previousPath: file.previous_filename } : {}),
  }));
}

/**
 * The commit the pull request's diff is against: the merge base of its base branch and its
 * head, as GitHub computes it (`compare/{base}...{head}`). Not `base.sha`, the base branch's
 * tip when the pull request was last updated: findings fixed on the branch since the head
 * branched off would look introduced by the change.
 */
async function mergeBaseOf(octokit: Octokit, target: PullRequestTarget, baseSha: string): Promise<{ sha: string; tree: string }> {
  repositoryReads.inc({ kind: 'compare' });
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: target.owner, repo: target.repo, basehead: `${baseSha}...${target.headSha}`, per_page: 1 });
  return { sha: data.merge_base_commit.sha, tree: data.merge_base_commit.commit.tree.sha };
}

/** The bytes of what a selection holds, keyed by blob SHA: the symbolic links' targets first, then the files. */
function wantedOf(selection: CommitSelection): WantedBlob[] {
  return [
    ...selection.plain.map((file) => ({ sha: file.leaf.sha, size: file.leaf.size })),
    ...selection.charts.flatMap((chart) => chart.files.map((file) => ({ sha: file.leaf.sha, size: file.leaf.size, ...(/\.tgz$/.test(file.shown) ? { bytes: true } : {}) }))),
  ];
}

function decoded(sha: string, selection: CommitSelection, blobs: ReadonlyMap<string, Buffer>): CommitFiles {
  const files: SourceFile[] = [];
  const skipped = [...selection.skipped];
  for (const file of selection.plain) {
    const bytes = blobs.get(file.leaf.sha);
    const source = bytes && manifestSource(file.shown, bytes);
    if (!bytes) skipped.push({ file: file.shown, reason: 'GitHub has no blob for it' });
    else if (!source) skipped.push({ file: file.shown, reason: 'binary file' });
    else files.push(source);
  }
  const charts = selection.charts.map((chart) => ({
    root: chart.root,
    files: chart.files.flatMap((file) => {
      const bytes = blobs.get(file.leaf.sha);
      if (!bytes) skipped.push({ file: file.shown, reason: 'GitHub has no blob for it' });
      return bytes ? [{ path: pathInChart(file.shown, chart.root)!, bytes }] : [];
    }),
  }));
  return { sha, files, charts, skipped };
}

function listed(paths: readonly string[]): string {
  const named = paths.slice(0, NAMED_IN_NOTE);
  return paths.length > NAMED_IN_NOTE ? `${named.join(', ')} and ${paths.length - NAMED_IN_NOTE} more` : named.join(', ');
}

/**
 * Reads both commits: the changed files (for the diff), the merge base, both trees, the
 * symbolic links' targets, then every blob the selection wants that the cache does not
 * hold, for both commits at once (a blob both hold is read once).
 */
async function readCommits(octokit: Octokit, target: PullRequestTarget, config: MeshreadyConfig, settings: ReadSettings): Promise<Omit<Extract<Reading, { kind: 'read' }>, 'kind' | 'config'>> {
  const counts: ReadingCounts = { ...noReads(), trees: 0, compare: 0 };
  const notes: string[] = [];
  const headRepository: RepositoryRef = { owner: target.headOwner, repo: target.headRepo };
  const baseRepository: RepositoryRef = { owner: target.owner, repo: target.repo };
  const [changed, mergeBase] = await Promise.all([
    listChangedFiles(octokit, target),
    target.baseSha !== undefined ? mergeBaseOf(octokit, target, target.baseSha) : undefined,
  ]);
  if (mergeBase) counts.compare++;
  else notes.push('The pull request\'s base commit is not known: every finding counts as new.');
  if (target.changedFiles > changed.length) {
    notes.push(`GitHub lists only the first ${changed.length} of the ${target.changedFiles} changed files; review comments go only on those.`);
  }
  const [headTree, baseTree] = await Promise.all([
    readCommitTree(octokit, headRepository, target.headSha),
    mergeBase ? readCommitTree(octokit, baseRepository, mergeBase.tree) : undefined,
  ]);
  counts.trees += headTree.requests + (baseTree?.requests ?? 0);

  const linksOf = async (tree: CommitTree, at: RepositoryRef) => {
    const links = symbolicLinks(tree).map(([, leaf]) => ({ sha: leaf.sha, size: leaf.size }));
    const blobs = links.length > 0 ? await readBlobs(octokit, at, links, settings.cache, counts) : new Map<string, Buffer>();
    return new Map([...blobs].map(([sha, bytes]) => [sha, bytes.toString('utf8')]));
  };
  const [headLinks, baseLinks] = await Promise.all([linksOf(headTree, headRepository), baseTree ? linksOf(baseTree, baseRepository) : new Map<string, string>()]);
  const changedPaths = new Set(changed.filter((file) => file.status !== 'removed').map((file) => file.path));
  const touched = new Set(changed.flatMap((file) => [file.path, ...(file.previousPath !== undefined ? [file.previousPath] : [])]));
  const budgeted = withinBudget(selectFiles(headTree, headLinks, config), baseTree && selectFiles(baseTree, baseLinks, config), touched, settings.budget);

  const headWanted = wantedOf(budgeted.head);
  const headShas = new Set(headWanted.map((blob) => blob.sha));
  // A blob both commits hold is read once; from one repository, both commits' blobs share batches.
  const baseWanted = budgeted.base ? wantedOf(budgeted.base).filter((blob) => !headShas.has(blob.sha)) : [];
  const sameRepository = headRepository.owner === baseRepository.owner && headRepository.repo === baseRepository.repo;
  const [headBlobs, baseBlobs] = await Promise.all([
    readBlobs(octokit, headRepository, sameRepository ? [...headWanted, ...baseWanted] : headWanted, settings.cache, counts),
    sameRepository || baseWanted.length === 0 ? new Map<string, Buffer>() : readBlobs(octokit, baseRepository, baseWanted, settings.cache, counts),
  ]);
  const blobs = new Map([...headBlobs, ...baseBlobs]);
  const head = decoded(target.headSha, budgeted.head, blobs);
  const base = budgeted.base && mergeBase ? decoded(mergeBase.sha, budgeted.base, blobs) : undefined;

  if (budgeted.left.files > 0) {
    notes.push(
      `This repository is over meshready's reading budget (${settings.budget.files} files, ${formatBytes(settings.budget.bytes)}): of its ${budgeted.offered.files} files (${formatBytes(budgeted.offered.bytes)}), ` +
        `${budgeted.left.files} were not read (${formatBytes(budgeted.left.bytes)}), so what they hold (a Namespace, a Service, a policy) is not seen: ${listed(budgeted.left.paths)}. ` +
        'The changed files and the files beside them were read first.',
    );
  }
  const modules = submodules(headTree);
  if (modules.length > 0) notes.push(`Submodules hold another repository's files, which were not read: ${listed(modules)}.`);
  // The diff holds the changed files the analysis looks at: what a finding may be placed on.
  const analysed = new Set([
    ...budgeted.head.plain.map((file) => file.shown),
    ...budgeted.head.charts.flatMap((chart) => chart.files.map((file) => file.shown)),
    ...head.skipped.map((entry) => entry.file),
    ...(budgeted.base?.plain.map((file) => file.shown) ?? []),
  ]);
  const diff = changed.filter((file) => analysed.has(file.path));
  return { head, base, diff, changedPaths, notes, counts };
}

/** What the analysis takes of a reading: both commits' files, and the paths the change touches. */
export function changeInputOf(reading: Extract<Reading, { kind: 'read' }>): ChangeInput {
  return { head: reading.head, base: reading.base, changedPaths: [...reading.changedPaths] };
}

/** The read stage: the config first (an invalid one ends the run before anything else is read), then both commits. */
export async function readPullRequest(octokit: Octokit, target: PullRequestTarget, settings: ReadSettings): Promise<Reading> {
  const loaded = await readConfig(octokit, target);
  if (!loaded.ok) return { kind: 'invalid-config', errors: loaded.errors };
  return { kind: 'read', config: loaded.config, ...(await readCommits(octokit, target, loaded.config, settings)) };
}
