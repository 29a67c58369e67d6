import type { MeshreadyConfig } from '../../core/config.js';
import { pathMatcher } from '../../core/config.js';
import { manifestSource } from '../../core/encoding.js';
import { oversizeReason } from '../../core/manifest.js';
import type { SkippedFile, SourceFile } from '../../core/types.js';
import type { DiffFile } from '../../diff/placement.js';
import type { Octokit, PullRequestTarget } from '../types.js';
import { readConfig } from './config.js';

/** Blobs asked for in one GraphQL query: a 300-file pull request in one request, a bounded response. */
const BLOBS_PER_QUERY = 300;

interface ChangedFile extends DiffFile {
  status: string;
}

/**
 * What the read stage gives the rest of the pipeline: the repo's config, the head text of
 * every changed file the config includes, and the diff that says where meshready may speak.
 */
export type Reading =
  | { kind: 'invalid-config'; errors: string[] }
  | {
      kind: 'read';
      config: MeshreadyConfig;
      /** The head versions of the files worth analysing. */
      sources: SourceFile[];
      /** The changed files the config includes, removed ones too. */
      diff: DiffFile[];
      skipped: SkippedFile[];
      notes: string[];
    };

interface BlobResult {
  byteSize: number;
  isBinary: boolean | null;
  isTruncated: boolean;
  text: string | null;
  oid: string;
}

/** Lists a pull request's files, at most 3,000 as GitHub allows, 100 a page. */
async function listChangedFiles(octokit: Octokit, target: PullRequestTarget): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: target.owner,
    repo: target.repo,
    pull_number: target.number,
    per_page: 100,
  });
  return files.map((file) => ({ path: file.filename, status: file.status, ...(file.patch !== undefined ? { patch: file.patch } : {}) }));
}

function blobQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, index) => `$e${index}: String!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, index) => `f${index}: object(expression: $e${index}) { ... on Blob { oid byteSize isBinary isTruncated text } }`,
  ).join('\n    ');
  return `query ($owner: String!, $name: String!, ${variables}) {\n  repository(owner: $owner, name: $name) {\n    ${fields}\n  }\n}`;
}

type BlobsAnswer = { repository: Record<string, BlobResult | null> | null };

async function readBlob(octokit: Octokit, target: PullRequestTarget, sha: string): Promise<Buffer> {
  const { data: blob } = await octokit.rest.git.getBlob({ owner: target.headOwner, repo: target.headRepo, file_sha: sha });
  return Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8');
}

/**
 * Reads the head versions of the changed files that the config includes, from the head
 * repository (a fork's, for a pull request from a fork): 300 files a GraphQL query, and a
 * REST blob read only for the rare file GraphQL truncates.
 */
async function readChangedFiles(octokit: Octokit, target: PullRequestTarget, config: MeshreadyConfig): Promise<Omit<Extract<Reading, { kind: 'read' }>, 'kind' | 'config'>> {
  const listed = await listChangedFiles(octokit, target);
  const notes: string[] = [];
  if (target.changedFiles > listed.length) {
    notes.push(`GitHub lists only the first ${listed.length} of the ${target.changedFiles} changed files; the others were not checked.`);
  }
  const isIncluded = pathMatcher(config.paths);
  const diff = listed.filter((file) => isIncluded(file.path));
  const wanted = diff.filter((file) => file.status !== 'removed');
  const skipped: SkippedFile[] = [];
  const sources: SourceFile[] = [];
  for (let start = 0; start < wanted.length; start += BLOBS_PER_QUERY) {
    const batch = wanted.slice(start, start + BLOBS_PER_QUERY);
    const variables: Record<string, string> = { owner: target.headOwner, name: target.headRepo };
    batch.forEach((file, index) => (variables[`e${index}`] = `${target.headSha}:${file.path}`));
    const answer = await octokit.graphql<BlobsAnswer>(blobQuery(batch.length), variables);
    for (const [index, file] of batch.entries()) {
      const blob = answer.repository?.[`f${index}`];
      if (!blob) {
        skipped.push({ file: file.path, reason: 'not found at the head commit (a submodule or a symbolic link?)' });
        continue;
      }
      const oversize = oversizeReason(blob.byteSize, config.limits);
      if (oversize) {
        skipped.push({ file: file.path, reason: oversize });
        continue;
      }
      // GitHub calls UTF-16 text binary: the bytes decide, as kubectl reads them.
      const source =
        blob.isBinary || blob.text === null || blob.isTruncated ? manifestSource(file.path, await readBlob(octokit, target, blob.oid)) : { path: file.path, text: blob.text };
      if (!source) skipped.push({ file: file.path, reason: 'binary file' });
      else sources.push(source);
    }
  }
  return { sources, diff, skipped, notes };
}

/** The read stage: the config first (an invalid one ends the run before anything else is read), then the changed files. */
export async function readPullRequest(octokit: Octokit, target: PullRequestTarget): Promise<Reading> {
  const loaded = await readConfig(octokit, target);
  if (!loaded.ok) return { kind: 'invalid-config', errors: loaded.errors };
  return { kind: 'read', config: loaded.config, ...(await readChangedFiles(octokit, target, loaded.config)) };
}
