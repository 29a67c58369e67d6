import { blobBytesRead, repositoryReads } from '../metrics.js';
import type { Octokit } from '../types.js';
import type { BlobCache } from './blob-cache.js';
import { eachAtMost } from './tree.js';
import type { RepositoryRef } from './tree.js';

/** Blobs asked for in one GraphQL query, and their bytes by the tree's sizes: a bounded answer, far under the 8 MB past which it arrives as a string. */
const BLOBS_PER_QUERY = 300;
const BYTES_PER_QUERY = 4 * 1024 * 1024;
/** The longest `text` GraphQL gives a blob before it cuts it short (`isTruncated`): a longer blob is read by REST at once. */
export const GRAPHQL_TEXT_BYTES = 512_000;
/** GraphQL queries, and REST blob reads, in flight at once for one pull request. */
const QUERIES_AT_ONCE = 4;
const REST_READS_AT_ONCE = 8;

/** A blob to read: its SHA, its size as the tree lists it, and whether its bytes are wanted as they are (a chart's archive) rather than as text. */
export interface WantedBlob {
  sha: string;
  size: number;
  bytes?: boolean;
}

/** What reading took, for the logs, /metrics and the benchmark. */
export interface ReadCounts {
  /** Requests to GitHub: GraphQL batches and REST blob reads. */
  requests: number;
  /** Bytes of blobs that came from GitHub. */
  bytes: number;
  /** Blobs found in the cache: in this process, in Redis. */
  fromMemory: number;
  fromRedis: number;
  /** Blobs read from GitHub. */
  fromGitHub: number;
}

export function noReads(): ReadCounts {
  return { requests: 0, bytes: 0, fromMemory: 0, fromRedis: 0, fromGitHub: 0 };
}

interface BlobAnswer {
  isBinary: boolean | null;
  isTruncated: boolean;
  text: string | null;
}

function blobQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, index) => `$b${index}: GitObjectID!`).join(', ');
  const fields = Array.from({ length: count }, (_, index) => `b${index}: object(oid: $b${index}) { ... on Blob { isBinary isTruncated text } }`).join('\n    ');
  return `query ($owner: String!, $name: String!, ${variables}) {\n  repository(owner: $owner, name: $name) {\n    ${fields}\n  }\n}`;
}

/** Batches of blobs under both bounds of a query, in the order given. */
function batches(blobs: readonly WantedBlob[]): WantedBlob[][] {
  const out: WantedBlob[][] = [];
  let batch: WantedBlob[] = [];
  let bytes = 0;
  for (const blob of blobs) {
    if (batch.length > 0 && (batch.length === BLOBS_PER_QUERY || bytes + blob.size > BYTES_PER_QUERY)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(blob);
    bytes += blob.size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/**
 * Reads blobs of one repository by SHA, the cache first: the rest in GraphQL batches of
 * `object(oid:)`, and by REST (`git/blobs`, base64) those GraphQL cannot give as they are —
 * cut short, binary as git judges it (UTF-16 text is, to git), not UTF-8 — and those known
 * beforehand to be: longer than GraphQL's text, or wanted as bytes. A blob GitHub does not
 * have is left out of the answer.
 */
export async function readBlobs(octokit: Octokit, at: RepositoryRef, wanted: readonly WantedBlob[], cache: BlobCache, counts: ReadCounts): Promise<Map<string, Buffer>> {
  const unique = [...new Map(wanted.map((blob) => [blob.sha, blob])).values()];
  const cached = await cache.getMany(unique.map((blob) => blob.sha));
  counts.fromMemory += cached.fromMemory;
  counts.fromRedis += cached.fromRedis;
  const blobs = cached.found;
  const fresh = new Map<string, Buffer>();
  const toRead = unique.filter((blob) => !blobs.has(blob.sha));
  const byRest = toRead.filter((blob) => blob.bytes || blob.size > GRAPHQL_TEXT_BYTES);
  const byGraphql = toRead.filter((blob) => !byRest.includes(blob));

  await eachAtMost(batches(byGraphql), QUERIES_AT_ONCE, async (batch) => {
    const variables: Record<string, string> = { owner: at.owner, name: at.repo };
    batch.forEach((blob, index) => (variables[`b${index}`] = blob.sha));
    counts.requests++;
    repositoryReads.inc({ kind: 'blobs' });
    const answer = await octokit.graphql<{ repository: Record<string, BlobAnswer | null> | null }>(blobQuery(batch.length), variables);
    for (const [index, blob] of batch.entries()) {
      const found = answer.repository?.[`b${index}`];
      if (!found) continue;
      if (found.isBinary !== false || found.text === null || found.isTruncated) byRest.push(blob);
      else fresh.set(blob.sha, Buffer.from(found.text, 'utf8'));
    }
  });
  await eachAtMost(byRest, REST_READS_AT_ONCE, async (blob) => {
    counts.requests++;
    repositoryReads.inc({ kind: 'blob' });
    try {
      const { data } = await octokit.rest.git.getBlob({ owner: at.owner, repo: at.repo, file_sha: blob.sha });
      fresh.set(blob.sha, Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8'));
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
  });

  for (const [sha, blob] of fresh) {
    blobs.set(sha, blob);
    counts.bytes += blob.byteLength;
  }
  counts.fromGitHub += fresh.size;
  blobBytesRead.inc([...fresh.values()].reduce((sum, blob) => sum + blob.byteLength, 0));
  await cache.setMany(fresh);
  return blobs;
}
