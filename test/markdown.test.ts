import type { Probot } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import { codeSpan, escapeMarkdown, truncateToBytes } from '../src/github/writes/markdown.js';
import { renderFindingList, renderSummary } from '../src/github/writes/check-output.js';
import { lint } from './helpers.js';
import { createProbot, interceptGitHub, pullRequestEvent, pullRequestScenario, releaseGitHub } from './support/app-harness.js';

const HOSTILE = '@octocat [click](https://evil.example) ![x](https://evil.example/x.png) <img src=x onerror=alert(1)> `code` www.evil.example';

/** What would make GitHub render more than text, left unescaped. */
const ACTIVE = [/(^|[^\\])@octocat/, /(^|[^\\])\[click\]\(/, /(^|[^\\])!\[x\]/, /<img/, /(^|[^\\\\/])https:\/\//, /(^|[^\\])www\.evil/];

/** Outside code spans (which GitHub shows literally), nothing may be active. */
function expectInert(markdown: string): void {
  const outsideCode = markdown.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
  for (const pattern of ACTIVE) expect(outsideCode, String(pattern)).not.toMatch(pattern);
}

describe('Markdown from strangers renders as text', () => {
  it('escapes links, images, mentions, HTML and autolinks', () => {
    expectInert(escapeMarkdown(HOSTILE));
    expect(escapeMarkdown('a_b *c*')).toBe('a\\_b \\*c\\*');
  });

  it('fences a code span longer than any backtick run inside it', () => {
    expect(codeSpan('k8s/`evil`.yaml')).toBe('``k8s/`evil`.yaml``');
    expect(codeSpan('`x')).toBe('`` `x ``');
  });

  it('cuts by UTF-8 bytes, with room for the note, never inside a character', () => {
    const text = 'é'.repeat(40_000) + '😀'.repeat(10);
    const cut = truncateToBytes(text, 65_535, '\n… cut');
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(65_535);
    expect(cut.endsWith('\n… cut')).toBe(true);
    expect(cut).not.toContain('\uFFFD');
    const emoji = truncateToBytes('😀'.repeat(20), 11, '');
    expect(emoji).toBe('😀😀');
  });

  it('keeps names from manifests and paths inert in the summary, the finding list and review comments', async () => {
    // A path GitHub allows (no empty segment), with a link in it.
    const path = 'k8s/`[click](https:evil.example)`.yaml';
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "${HOSTILE.replaceAll('"', '\\"')}"\n  labels: {app: a, version: v1}\nspec: {containers: [{name: "@octocat", image: i, securityContext: {runAsUser: 1337}}]}\n`;
    const report = lint([{ path, text: manifest }]);
    expect(report.findings).toHaveLength(1);
    const summary = renderSummary({ findings: report.findings, skipped: [{ file: path, reason: HOSTILE }], files: 1, resources: 1, headSha: 'a'.repeat(40), commented: 0, annotationOnly: 1, notes: [HOSTILE] });
    expectInert(summary.replace(/\(https:\/\/github\.com\/meshready\/[^)]*\)/g, ''));
    expectInert(renderFindingList(report.findings)!);

    const probot: Probot = await createProbot();
    const { github } = pullRequestScenario({}, { [path]: manifest });
    interceptGitHub(github);
    await probot.receive(pullRequestEvent(github, 'opened') as Parameters<Probot['receive']>[0]);
    releaseGitHub();
    expect(github.reviewComments).toHaveLength(1);
    expectInert(github.reviewComments[0]!.body.replace(/\(https:\/\/github\.com\/meshready\/[^)]*\)/g, ''));
  });
});

afterEach(() => releaseGitHub());
