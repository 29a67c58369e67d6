import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Probot } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub, ReviewComment } from '../src/demo/fake-github.js';
import { codeSpan } from '../src/github/writes/markdown.js';
import { ROOT, lint } from './helpers.js';
import { GitHubContract } from './support/github-contract.js';
import { HEAD_SHA, OWNER, REPO, createProbot, interceptGitHub, pullRequestEvent, pullRequestScenario, releaseGitHub, webhookExample } from './support/app-harness.js';

/** Every fixture the engine analyses (skipped ones have nothing to suggest). */
function allFixtures(): string[] {
  const out: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(join(ROOT, 'fixtures', directory), { withFileTypes: true })) {
      const path = `${directory}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(entry.name) && !path.includes('/.github/')) out.push(path);
    }
  };
  for (const directory of ['rules', 'parsing', 'istio-samples', 'demo/head']) walk(directory);
  return out.sort();
}

interface Block {
  startLine: number;
  line: number;
  replacement: string[];
}

/** The suggestion blocks of the bot's comments, in the order posted, leaving out the guesses. */
function safeSuggestions(comments: ReviewComment[]): Block[] {
  return comments.flatMap((comment) => {
    const block = /\n(`{3,})suggestion\n([\s\S]*?)\n\1\n/.exec(comment.body);
    if (!block || comment.body.includes('a guess: check it')) return [];
    return [{ startLine: comment.start_line ?? comment.line, line: comment.line, replacement: block[2]!.split('\n') }];
  });
}

/** What a person gets by committing each suggestion from the pull request page, one after another. */
function commitSuggestions(text: string, blocks: Block[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const taken: Block[] = [];
  // A block on lines an earlier one already rewrote is outdated on GitHub: it cannot be committed.
  for (const block of blocks) if (!taken.some((other) => block.startLine <= other.line && other.startLine <= block.line)) taken.push(block);
  for (const block of [...taken].sort((a, b) => b.startLine - a.startLine)) lines.splice(block.startLine - 1, block.line - block.startLine + 1, ...block.replacement);
  return lines.join(eol);
}

const contract = new GitHubContract();
const requestProblems: string[] = [];
const fixturesChanged: string[] = [];
afterAll(() => {
  expect(requestProblems).toEqual([]);
  // The comparison means something only if fixes were made: every positive fixture of a rule with safe fixes.
  expect(fixturesChanged).toEqual(expect.arrayContaining([
    'rules/reserved-uid/positive.yaml',
    'rules/reserved-gid/positive.yaml',
    'rules/app-label/positive.yaml',
    'rules/server-first-protocol/positive.yaml',
    'parsing/list.json',
    'demo/head/k8s/orders.yaml',
  ]));
});

let probot: Probot;
beforeAll(async () => {
  // Every fixture through a review and an Apply fixes commit: what is compared is the text, not the writes' pacing (github-client.test.ts).
  probot = await createProbot({ ...process.env, MESHREADY_WRITES_PER_MINUTE: '60000' });
});
afterEach(() => releaseGitHub());

async function deliver(github: FakeGitHub, event: { id: string; name: string; payload: unknown }) {
  interceptGitHub(github);
  await probot.receive(event as Parameters<Probot['receive']>[0]);
  releaseGitHub();
}

describe('committing the suggestions equals "Apply fixes"', () => {
  for (const fixture of allFixtures()) {
    it(fixture, async () => {
      const path = `k8s/${fixture.split('/').pop()}`;
      const text = readFileSync(join(ROOT, 'fixtures', fixture), 'utf8');
      const { github } = pullRequestScenario({}, { [path]: text });
      // Every finding gets its comment, notices too, so that every suggestion is there to commit.
      github.defaultBranchFiles.set('.github/meshready.yml', 'review: {minSeverity: notice}\n');
      await deliver(github, pullRequestEvent(github, 'opened'));
      const fromSuggestions = commitSuggestions(text, safeSuggestions(github.reviewComments));

      const action = webhookExample('check_run', 'requested_action');
      Object.assign(action.check_run as object, { name: 'meshready', head_sha: HEAD_SHA, pull_requests: [{ number: 2 }] });
      action.requested_action = { identifier: 'apply-fixes' };
      action.repository = webhookExample('pull_request', 'opened').repository;
      await deliver(github, { id: 'apply', name: 'check_run', payload: action });
      const committed = github.filesAt(github.refs.get(`${OWNER}/${REPO}:changes`)!).get(path)!;

      requestProblems.push(...contract.checkAll(github.requests));
      expect(committed).toBe(fromSuggestions);
      if (committed !== text) fixturesChanged.push(fixture);
      const fixedBefore = lint([{ path, text }]).findings.filter((finding) => finding.fix?.safe);
      const after = new Set(lint([{ path, text: committed }]).findings.map((finding) => finding.fingerprint));
      const stillThere = fixedBefore.filter((finding) => committed !== text && after.has(finding.fingerprint));
      // Only fixes dropped for colliding with an earlier one may still be there, for a later run.
      const report = github.checkRuns.at(-1)!.output.summary ?? '';
      for (const finding of stillThere) expect(report).toContain(`${codeSpan(`${finding.file}:${finding.span.startLine}`)} \`${finding.ruleId}\``);
    });
  }
});
