import { findingIdentity } from '../../core/compare.js';
import { ruleMeta } from '../../core/rules/index.js';
import type { Finding } from '../../core/types.js';
import type { Suggestion } from '../../diff/placement.js';
import { escapeMarkdown, fenceFor } from './markdown.js';
import { plural } from '../../core/words.js';

/** Hidden in every comment the bot writes: what makes re-analysis idempotent. */
const FINGERPRINT_MARKER = /<!-- meshready:fingerprint=([0-9a-f]+) -->/;

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- meshready:fingerprint=${fingerprint} -->`;
}

export function fingerprintIn(body: string | null | undefined): string | undefined {
  return body ? FINGERPRINT_MARKER.exec(body)?.[1] : undefined;
}

/**
 * What a comment is known by: the finding's identity (compare.ts), which holds no file
 * path, so that a file moved on the branch keeps its comments. Comments written before
 * carry the finding's older fingerprint (with the path) in the same marker, 20 hex digits
 * too: `commentKeysOf` gives both, so that they are still recognised, and their threads not
 * taken for gone.
 */
export function commentKey(finding: Finding): string {
  return findingIdentity(finding);
}

export function commentKeysOf(finding: Finding): string[] {
  return [commentKey(finding), finding.fingerprint];
}

export function commentBody(finding: Finding, suggestion: Suggestion | undefined): string {
  const meta = ruleMeta(finding.ruleId);
  const lines = [`**${finding.severity}** · [\`${finding.ruleId}\`](${finding.docsUrl}) · ${meta?.title ?? ''}`, '', escapeMarkdown(finding.message)];
  if (suggestion && finding.fix) {
    const fence = fenceFor(suggestion.replacement, 3);
    const caution = finding.fix.safe ? '' : ' — a guess: check it before committing';
    lines.push('', `Suggested fix: ${escapeMarkdown(finding.fix.description)}${caution}`, `${fence}suggestion`, suggestion.replacement, fence);
  } else if (finding.fix) {
    lines.push('', `Fix (not on the changed lines, so not offered here): ${escapeMarkdown(finding.fix.description)}`);
  }
  lines.push('', fingerprintMarker(commentKey(finding)));
  return lines.join('\n');
}

export function reviewBody(newComments: number, totalOnDiff: number, capped: number): string {
  const lines = [`meshready found ${plural(newComments, 'new mesh readiness problem')} on the changed lines.`];
  if (totalOnDiff > newComments + capped) lines.push(`${totalOnDiff - newComments - capped} already have a comment from an earlier analysis.`);
  if (capped > 0) lines.push(`${capped} more are listed in the meshready check run (comment limit reached).`);
  return lines.join(' ');
}
