import type { MeshreadyConfig } from '../core/config.js';
import { pathMatcher } from '../core/config.js';
import { manifestSource } from '../core/encoding.js';
import { oversizeReason } from '../core/manifest.js';
import type { SkippedFile, SourceFile } from '../core/types.js';
import type { Octokit, PullRequestTarget } from './types.js';

/** Blobs asked for in one GraphQL query: a 300-file pull request in one request, a bounded response. */
const BLOBS_PER_QUERY = 300;

export interface ChangedFile {
  path: string;
  status: string;
  /** Absent for binary files and for diffs GitHub finds too large to show. */
  patch?: string;
}

export interface FetchedFiles {
  /** The head versions of the files worth analysing. */
  sources: SourceFile[];
  changed: Map<string, ChangedFile>;
  skipped: SkippedFile[];
  notes: string[];
}

interface BlobResult {
  byteSize: number;
  isBinary: boolean | null;
  isTruncated: boolean;
  text: string | null;
  oid: string;
}

/** Lists a pull request's files, at most 3,000 as GitHub allows, 100 a page. */
export async function listChangedFiles(octokit: Octokit, target: PullRequestTarget): Promise<ChangedFile[]> {
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

/**
 * Reads the head versions of the changed files that the config includes, from the head
 * repository (a fork's, for a pull request from a fork): 300 files a GraphQL query, and a
 * REST blob read only for the rare file GraphQL truncates.
 */
export async function fetchChangedFiles(octokit: Octokit, target: PullRequestTarget, config: MeshreadyConfig): Promise<FetchedFiles> {
  const listed = await listChangedFiles(octokit, target);
  const notes: string[] = [];
  if (target.changedFiles > listed.length) {
    notes.push(`GitHub lists only the first ${listed.length} of the ${target.changedFiles} changed files; the others were not checked.`);
  }
  const isIncluded = pathMatcher(config.paths);
  const changed = new Map<string, ChangedFile>();
  const skipped: SkippedFile[] = [];
  const wanted: ChangedFile[] = [];
  for (const file of listed) {
    if (!isIncluded(file.path)) continue;
    changed.set(file.path, file);
    if (file.status === 'removed') continue;
    wanted.push(file);
  }

  const sources: SourceFile[] = [];
  for (let start = 0; start < wanted.length; start += BLOBS_PER_QUERY) {
    const batch = wanted.slice(start, start + BLOBS_PER_QUERY);
    const variables: Record<string, string> = { owner: target.headOwner, name: target.headRepo };
    batch.forEach((file, index) => (variables[`e${index}`] = `${target.headSha}:${file.path}`));
    const response = await readBlobs(octokit, blobQuery(batch.length), variables);
    for (const [index, file] of batch.entries()) {
      const blob = response.repository?.[`f${index}`];
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
  return { sources, changed, skipped, notes };
}

/**
 * A JSON body of 8 MB or more reaches Octokit's caller as a string (its JSON parser gives
 * up on a string that long): read it as JSON all the same, so that no size of answer makes
 * a run "could not finish".
 */
function asJson<T>(data: unknown): T {
  return (typeof data === 'string' ? JSON.parse(data) : data) as T;
}

type BlobsAnswer = { repository: Record<string, BlobResult | null> | null };

/** The blob query through a plain request: `octokit.graphql` would take a long answer for no answer. */
async function readBlobs(octokit: Octokit, query: string, variables: Record<string, string>): Promise<BlobsAnswer> {
  const { data } = await octokit.request('POST /graphql', { query, variables });
  const answer = asJson<{ data?: BlobsAnswer; errors?: { message: string }[] }>(data);
  if (!answer.data) throw new Error(`GitHub's GraphQL API answered: ${answer.errors?.map((error) => error.message).join('; ') ?? 'no data'}`);
  return answer.data;
}

async function readBlob(octokit: Octokit, target: PullRequestTarget, sha: string): Promise<Buffer> {
  const { data } = await octokit.rest.git.getBlob({ owner: target.headOwner, repo: target.headRepo, file_sha: sha });
  const blob = asJson<{ content: string; encoding: string }>(data);
  return Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8');
}
