import { posix } from 'node:path';
import type { MeshreadyConfig } from '../../core/config.js';
import { pathMatcher } from '../../core/config.js';
import { oversizeReason } from '../../core/manifest.js';
import { RepositoryTree, SYMLINK_MODE, walkTree } from '../../core/repository-tree.js';
import type { WalkedChart, WalkedFile, WalkOutput } from '../../core/repository-tree.js';
import type { SkippedFile } from '../../core/types.js';
import type { CommitTree } from './tree.js';

/**
 * Which files of a commit's tree the analysis reads: every file the config's globs include,
 * as the CLI's walk finds them in a checkout, and each Helm chart whose Chart.yaml they
 * include whole (a chart renders from its templates, helpers, values and archives together);
 * plain files over the size limit passed over by the tree's sizes, never read; and, for a
 * repository over the reading budget, the changed files first and what the budget allows.
 */

/** How much of a repository one analysis reads (MESHREADY_MAX_REPOSITORY_FILES, MESHREADY_MAX_REPOSITORY_MB): the head's files; the base is read at the same paths. */
export interface RepositoryBudget {
  files: number;
  bytes: number;
}

export interface CommitSelection {
  plain: WalkedFile[];
  charts: WalkedChart[];
  skipped: SkippedFile[];
}

/** The files a commit's tree offers the analysis: plain manifests by the globs, oversize ones skipped unread, and charts whole. */
export function selectFiles(tree: CommitTree, linkTargets: ReadonlyMap<string, string>, config: MeshreadyConfig): CommitSelection {
  const links = new Map<string, string>();
  for (const [path, leaf] of tree.leaves) {
    const target = linkTargets.get(leaf.sha);
    if (leaf.mode === SYMLINK_MODE && target !== undefined) links.set(path, target);
  }
  const walked: Required<WalkOutput> = { files: [], skipped: [], charts: [] };
  walkTree(new RepositoryTree(tree.leaves, links), '', { isIncluded: pathMatcher(config.paths) }, walked);
  const skipped = walked.skipped;
  const plain = walked.files.filter((file) => {
    const oversize = oversizeReason(file.leaf.size, config.limits);
    if (oversize) skipped.push({ file: file.shown, reason: oversize });
    return !oversize;
  });
  // A chart is read whole, as the CLI reads it: its own budget (files, bytes) bounds it when it renders, not the plain files' size limit.
  const selection: CommitSelection = { plain, charts: walked.charts, skipped };
  return selection;
}

interface Unit {
  /** A plain file's path, or a chart's root. */
  key: string;
  files: number;
  bytes: number;
  paths: string[];
}

function unitsOf(selection: CommitSelection): Unit[] {
  return [
    ...selection.plain.map((file) => ({ key: file.shown, files: 1, bytes: file.leaf.size, paths: [file.shown] })),
    ...selection.charts.map((chart) => ({
      key: chart.root,
      files: chart.files.length,
      bytes: chart.files.reduce((sum, file) => sum + file.leaf.size, 0),
      paths: chart.files.map((file) => file.shown),
    })),
  ];
}

export interface Budgeted {
  head: CommitSelection;
  base: CommitSelection | undefined;
  /** What the head offered and was not read. */
  left: { files: number; bytes: number; paths: string[] };
  offered: { files: number; bytes: number };
}

function keep(selection: CommitSelection, chosen: (key: string) => boolean): CommitSelection {
  return {
    plain: selection.plain.filter((file) => chosen(file.shown)),
    charts: selection.charts.filter((chart) => chosen(chart.root)),
    skipped: selection.skipped,
  };
}

/**
 * A repository within the budget is read whole. Over it: the changed files (and charts
 * holding one) always, then the files beside a changed one (a Service next to its
 * Deployment), then the rest by path, as long as they fit. The base is read at the paths
 * chosen, and at the changed paths it alone has (removed or renamed files).
 */
export function withinBudget(head: CommitSelection, base: CommitSelection | undefined, changed: ReadonlySet<string>, budget: RepositoryBudget): Budgeted {
  const units = unitsOf(head);
  const offered = { files: units.reduce((sum, unit) => sum + unit.files, 0), bytes: units.reduce((sum, unit) => sum + unit.bytes, 0) };
  const directories = new Set([...changed].map((path) => posix.dirname(path)));
  const rank = (unit: Unit) =>
    unit.paths.some((path) => changed.has(path)) ? 0 : unit.paths.some((path) => directories.has(posix.dirname(path))) ? 1 : 2;
  const chosen = new Set<string>();
  const left = { files: 0, bytes: 0, paths: [] as string[] };
  if (offered.files <= budget.files && offered.bytes <= budget.bytes) {
    for (const unit of units) chosen.add(unit.key);
  } else {
    let files = 0;
    let bytes = 0;
    const ordered = units.map((unit) => ({ unit, rank: rank(unit) })).sort((a, b) => a.rank - b.rank || (a.unit.key < b.unit.key ? -1 : 1));
    for (const { unit, rank: order } of ordered) {
      if (order === 0 || (files + unit.files <= budget.files && bytes + unit.bytes <= budget.bytes)) {
        chosen.add(unit.key);
        files += unit.files;
        bytes += unit.bytes;
      } else {
        left.files += unit.files;
        left.bytes += unit.bytes;
        left.paths.push(...unit.paths);
      }
    }
  }
  const headKeys = new Set(units.map((unit) => unit.key));
  const baseChosen = (key: string, paths: string[]) => chosen.has(key) || (!headKeys.has(key) && paths.some((path) => changed.has(path)));
  return {
    head: keep(head, (key) => chosen.has(key)),
    base: base && {
      plain: base.plain.filter((file) => baseChosen(file.shown, [file.shown])),
      charts: base.charts.filter((chart) => baseChosen(chart.root, chart.files.map((file) => file.shown))),
      skipped: base.skipped,
    },
    left: { ...left, paths: left.paths.sort() },
    offered,
  };
}
