import { ruleDocsUrl } from '../../core/rules/docs.js';
import { ruleMeta } from '../../core/rules/index.js';
import type { Finding, Severity, SkippedFile } from '../../core/types.js';
import { codeSpan, escapeMarkdown, truncateToBytes } from './markdown.js';
import { plural } from '../../core/words.js';

/** GitHub's limits on a check run's output: summary and text each 65,535 bytes of UTF-8. */
export const MAX_OUTPUT_BYTES = 65_535;
export const ANNOTATIONS_PER_REQUEST = 50;
const MAX_LISTED_SKIPPED = 50;

export type Conclusion = 'success' | 'failure' | 'neutral';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title: string;
  raw_details?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
}

/** An output of text only: a title and a summary cut to GitHub's limit. */
export function textOutput(title: string, summary: string): CheckOutput {
  return { title, summary: truncate(summary), annotations: [] };
}

const ANNOTATION_LEVEL: Record<Severity, CheckAnnotation['annotation_level']> = {
  error: 'failure',
  warning: 'warning',
  notice: 'notice',
};

export function annotationOf(finding: Finding): CheckAnnotation {
  const { span } = finding;
  return {
    path: finding.file,
    start_line: span.startLine,
    end_line: span.endLine,
    // GitHub takes columns only on single-line annotations.
    ...(span.startLine === span.endLine ? { start_column: span.startColumn, end_column: Math.max(span.startColumn, span.endColumn - 1) } : {}),
    annotation_level: ANNOTATION_LEVEL[finding.severity],
    message: finding.message,
    title: `${finding.ruleId}: ${ruleMeta(finding.ruleId)?.title ?? finding.ruleId}`,
    ...(finding.fix ? { raw_details: `Fix: ${finding.fix.description}` } : {}),
  };
}

/** The run's title: what was found, and never silent about files that could not be checked. */
export function titleOf(findings: Finding[], skipped: SkippedFile[] = []): string {
  const count = (severity: Severity) => findings.filter((finding) => finding.severity === severity).length;
  const parts = [
    count('error') && plural(count('error'), 'error'),
    count('warning') && plural(count('warning'), 'warning'),
    count('notice') && plural(count('notice'), 'notice'),
  ].filter(Boolean);
  const found = findings.length === 0 ? 'No mesh readiness problems' : parts.join(', ');
  return skipped.length === 0 ? found : `${found}; ${plural(skipped.length, 'file')} not checked`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export interface SummaryFacts {
  /** The findings reported (by the config's filterMode): the table. */
  findings: Finding[];
  skipped: SkippedFile[];
  files: number;
  resources: number;
  headSha: string;
  /** Findings that could not be review comments, with why. */
  annotationOnly: number;
  commented: number;
  /** Sentences about what did not go as planned (a capped file list, a review GitHub refused). */
  notes: string[];
  /** How the head compares with its base, when the base was read. */
  change?: ChangeFacts;
}

export interface ChangeFacts {
  baseSha: string;
  filterMode: 'new' | 'changed-files' | 'all';
  /** New findings off the changed lines: in files the change does not touch, or outside its hunks. */
  elsewhere: Finding[];
  /** Head findings the base had already; base findings the head no longer has. */
  existing: number;
  gone: number;
  /** Files the base could not check either, not listed. */
  existingSkipped: number;
}

/** Findings named one by one under "what the change breaks elsewhere"; every one is an annotation. */
const MAX_LISTED_ELSEWHERE = 30;

function findingLine(finding: Finding): string {
  const resource = finding.resource ? ` (${finding.resource.kind} ${finding.resource.namespace ? `${finding.resource.namespace}/` : ''}${finding.resource.name})` : '';
  return `- ${codeSpan(`${finding.file}:${finding.span.startLine}`)} **${finding.severity}** \`${finding.ruleId}\`${escapeMarkdown(resource)} ${escapeMarkdown(finding.message)}`;
}

function changeLines(change: ChangeFacts): string[] {
  const lines: string[] = [];
  if (change.elsewhere.length > 0) {
    lines.push('', `**What this change breaks elsewhere** (${plural(change.elsewhere.length, 'new finding')} outside the changed lines, each an annotation on its own file and line):`);
    lines.push(...change.elsewhere.slice(0, MAX_LISTED_ELSEWHERE).map(findingLine));
    if (change.elsewhere.length > MAX_LISTED_ELSEWHERE) lines.push(`- … and ${change.elsewhere.length - MAX_LISTED_ELSEWHERE} more`);
  }
  const base = `\`${change.baseSha.slice(0, 7)}\``;
  const counted: string[] = [];
  if (change.existing > 0) {
    const how =
      change.filterMode === 'new'
        ? 'not reported, as not new (filterMode: new)'
        : change.filterMode === 'changed-files'
          ? 'reported only in the files the change touches (filterMode: changed-files)'
          : 'reported all the same (filterMode: all)';
    counted.push(`${plural(change.existing, 'finding')} ${change.existing === 1 ? 'was' : 'were'} there already at the base ${base}: ${how}.`);
  }
  if (change.gone > 0) counted.push(`The change fixes ${plural(change.gone, 'finding')} of the base.`);
  if (change.existingSkipped > 0) counted.push(`${plural(change.existingSkipped, 'file')} the base could not check either ${change.existingSkipped === 1 ? 'is' : 'are'} not listed.`);
  if (counted.length > 0) lines.push('', counted.join(' '));
  return lines;
}

/** The Markdown summary: counts, a table by rule with links to the docs, what the change breaks elsewhere, what was there before, skipped files, notes. */
export function renderSummary(facts: SummaryFacts): string {
  const against = facts.change ? `, against its base \`${facts.change.baseSha.slice(0, 7)}\`` : '';
  const lines = [
    `meshready checked ${plural(facts.files, 'file')} (${plural(facts.resources, 'resource')}) at \`${facts.headSha.slice(0, 7)}\`${against}.`,
    '',
  ];
  if (facts.findings.length > 0) {
    const byRule = new Map<string, Finding[]>();
    for (const finding of facts.findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
    lines.push('| Rule | Severity | Findings | Fixable |', '|---|---|---:|---:|');
    for (const [ruleId, findings] of byRule) {
      const meta = ruleMeta(ruleId);
      const severities = [...new Set(findings.map((finding) => finding.severity))].join(', ');
      const fixable = findings.filter((finding) => finding.fix).length;
      lines.push(`| [\`${ruleId}\`](${ruleDocsUrl(ruleId)}) ${escapeCell(meta?.title ?? '')} | ${severities} | ${findings.length} | ${fixable} |`);
    }
    lines.push('');
    lines.push(`${plural(facts.commented, 'finding')} commented on in the review; ${facts.annotationOnly} shown only as annotations (outside the diff, or over the comment limit).`);
  }
  if (facts.change) lines.push(...changeLines(facts.change));
  if (facts.skipped.length > 0) {
    lines.push('', `**Skipped ${plural(facts.skipped.length, 'file')}:**`);
    for (const entry of facts.skipped.slice(0, MAX_LISTED_SKIPPED)) lines.push(`- ${codeSpan(entry.file)}: ${escapeMarkdown(entry.reason)}`);
    if (facts.skipped.length > MAX_LISTED_SKIPPED) lines.push(`- … and ${facts.skipped.length - MAX_LISTED_SKIPPED} more`);
  }
  if (facts.notes.length > 0) lines.push('', ...facts.notes.map((note) => `> ${escapeMarkdown(note)}`));
  return truncate(lines.join('\n'));
}

/** Every finding as a line, for the check run's details, cut to GitHub's limit. */
export function renderFindingList(findings: Finding[]): string | undefined {
  if (findings.length === 0) return undefined;
  const lines = findings.map(
    (finding) =>
      `- ${codeSpan(`${finding.file}:${finding.span.startLine}`)} **${finding.severity}** \`${finding.ruleId}\` ${escapeMarkdown(finding.message)}${
        finding.fix ? ` _(fix: ${escapeMarkdown(finding.fix.description)})_` : ''
      }`,
  );
  return truncate(lines.join('\n'));
}

export function truncate(text: string): string {
  return truncateToBytes(text, MAX_OUTPUT_BYTES, '\n\n… (cut at GitHub\'s size limit; every finding is an annotation)');
}
