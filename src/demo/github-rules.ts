import { parsePatch } from 'diff';
import { WRITES_PER_MINUTE } from '../github/budgets.js';

/**
 * What GitHub refuses, and how it answers, for the requests meshready makes: the fake
 * GitHub checks these so that a test passing against it means a request GitHub takes.
 * From GitHub's REST docs for check runs and pull request reviews.
 */

export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const MAX_OUTPUT_BYTES = 65_535;
export const MAX_ANNOTATION_TITLE = 255;
export const MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024;

interface Annotation {
  path?: string;
  start_line?: number;
  end_line?: number;
  start_column?: number;
  end_column?: number;
  title?: string;
  message?: string;
}

export interface CheckRunInput {
  status?: string;
  conclusion?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: Annotation[] };
}

/** Why GitHub would answer 422 to a check run create or update, or undefined. */
export function checkRunProblem(input: CheckRunInput): string | undefined {
  if (input.status === 'completed' && !input.conclusion) return 'Conclusion is required when status is completed';
  const output = input.output;
  if (!output) return undefined;
  if (output.title === undefined || output.summary === undefined) return 'Invalid request: output requires title and summary';
  for (const field of ['summary', 'text'] as const) {
    const bytes = Buffer.byteLength(output[field] ?? '', 'utf8');
    if (bytes > MAX_OUTPUT_BYTES) return `Invalid request.\n\nOnly ${MAX_OUTPUT_BYTES} characters are allowed; ${bytes} were supplied.`;
  }
  const annotations = output.annotations ?? [];
  if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) return `Only ${MAX_ANNOTATIONS_PER_REQUEST} annotations are allowed per request`;
  for (const annotation of annotations) {
    if ((annotation.title ?? '').length > MAX_ANNOTATION_TITLE) return `Annotation title is too long (maximum is ${MAX_ANNOTATION_TITLE} characters)`;
    if (Buffer.byteLength(annotation.message ?? '', 'utf8') > MAX_ANNOTATION_MESSAGE_BYTES) return 'Annotation message is too long';
    if (annotation.start_line === undefined || annotation.end_line === undefined || annotation.start_line > annotation.end_line) {
      return 'Annotation start_line must not be after end_line';
    }
    const columns = annotation.start_column !== undefined || annotation.end_column !== undefined;
    if (columns && annotation.start_line !== annotation.end_line) return 'Annotation columns are only allowed when start_line and end_line are equal';
  }
  return undefined;
}

/** The lines of a patch a review comment may sit on, by side: RIGHT counts new lines, LEFT old ones. */
export function commentableLines(patch: string | undefined): { LEFT: [number, number][]; RIGHT: [number, number][] } {
  const sides = { LEFT: [] as [number, number][], RIGHT: [] as [number, number][] };
  if (!patch) return sides;
  for (const file of parsePatch(patch)) {
    for (const hunk of file.hunks) {
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      const left: number[] = [];
      const right: number[] = [];
      for (const text of hunk.lines) {
        if (text[0] === '-') left.push(oldLine++);
        else if (text[0] === '+') right.push(newLine++);
        else if (text[0] === ' ') {
          left.push(oldLine++);
          right.push(newLine++);
        }
      }
      if (left.length > 0) sides.LEFT.push([left[0]!, left.at(-1)!]);
      if (right.length > 0) sides.RIGHT.push([right[0]!, right.at(-1)!]);
    }
  }
  return sides;
}

export interface ReviewCommentInput {
  path: string;
  line: number;
  side?: string;
  start_line?: number;
  start_side?: string;
}

/** Why GitHub would answer 422 to a review comment on a pull request's files, or undefined. */
export function reviewCommentProblem(comment: ReviewCommentInput, patchOf: (path: string) => string | undefined): string | undefined {
  const side = comment.side ?? 'RIGHT';
  if (side !== 'LEFT' && side !== 'RIGHT') return `side must be LEFT or RIGHT, not ${side}`;
  if (comment.start_line !== undefined) {
    if (comment.start_line >= comment.line) return 'start_line must precede the end line';
    if ((comment.start_side ?? side) !== side) return 'A comment range must stay on one side';
  }
  const first = comment.start_line ?? comment.line;
  const hunks = commentableLines(patchOf(comment.path))[side];
  if (!hunks.some(([start, end]) => start <= first && comment.line <= end)) return 'Line could not be resolved';
  return undefined;
}

/** A sliding minute of content-creating requests, as GitHub's secondary rate limit counts them. */
export class WriteBudget {
  private readonly times: number[] = [];

  constructor(
    private readonly perMinute = WRITES_PER_MINUTE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before another write, or 0 when it may go now (and is counted). */
  take(): number {
    const now = this.now();
    while (this.times.length > 0 && this.times[0]! <= now - 60_000) this.times.shift();
    if (this.times.length >= this.perMinute) return Math.ceil((this.times[0]! + 60_000 - now) / 1000);
    this.times.push(now);
    return 0;
  }
}


/** GitHub's limits on what the Git Data and GraphQL APIs return: tree listings and blob texts. */
export interface GitDataLimits {
  /** Entries of a recursive tree listing before GitHub truncates it (100,000). */
  treeEntries: number;
  /** Bytes of a recursive tree listing before GitHub truncates it (7 MB). */
  treeBytes: number;
  /** Bytes of a blob's `text` in GraphQL before it is cut short with `isTruncated` (512,000, measured). */
  blobTextBytes: number;
}

export const GIT_DATA_LIMITS: GitDataLimits = { treeEntries: 100_000, treeBytes: 7 * 1024 * 1024, blobTextBytes: 512_000 };

/**
 * A recursive tree as GitHub answers it past its limits: the entries that fit, in order,
 * and `truncated: true`; the client then walks the subtrees one by one.
 */
export function truncatedTree<T>(entries: T[], limits: GitDataLimits): { tree: T[]; truncated: boolean } {
  let bytes = 0;
  for (const [index, entry] of entries.entries()) {
    bytes += Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (index >= limits.treeEntries || bytes > limits.treeBytes) return { tree: entries.slice(0, index), truncated: true };
  }
  return { tree: entries, truncated: false };
}

/** The Blob fields meshready may ask GraphQL for. */
const BLOB_FIELDS = new Set(['oid', 'abbreviatedOid', 'id', 'byteSize', 'isBinary', 'isTruncated', 'text']);

/**
 * A blob as GraphQL's `... on Blob` gives it, with only the fields asked for. Binary as git
 * judges it (a NUL byte in the first 8,000), so UTF-16 is binary; bytes that are not UTF-8
 * have no text and `isBinary: null` ("unable to determine the encoding"); a long text is cut
 * at `blobTextBytes` on a character boundary, with `isTruncated`.
 */
export function blobAsGraphql(sha: string, bytes: Buffer, fields: readonly string[], limits: GitDataLimits): Record<string, unknown> {
  const binary = bytes.subarray(0, 8000).includes(0);
  let utf8 = !binary;
  try {
    if (utf8) new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    utf8 = false;
  }
  let cut = Math.min(bytes.length, limits.blobTextBytes);
  while (cut < bytes.length && cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  const all: Record<string, unknown> = {
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    id: `B_${sha}`,
    byteSize: bytes.length,
    isBinary: binary ? true : utf8 ? false : null,
    isTruncated: utf8 && cut < bytes.length,
    text: utf8 ? bytes.subarray(0, cut).toString('utf8') : null,
  };
  return Object.fromEntries(fields.filter((field) => field in all).map((field) => [field, all[field]]));
}

/** One `alias: object(oid: …)` or `object(expression: …)` of a query, with its Blob fields. */
export interface ObjectField {
  alias: string;
  by: 'oid' | 'expression';
  value: string;
  fields: string[];
}

export interface ObjectQuery {
  owner: string;
  name: string;
  objects: ObjectField[];
  /** Why GitHub would refuse the query (an object id that is not one), or undefined. */
  problem?: string;
}

/**
 * What a `repository(owner:, name:) { … object(…) { ... on Blob { … } } }` query asks for,
 * read from its text with its variables. The contract check validates such queries against
 * GitHub's published schema; this reads only their shape, for the fake to answer.
 */
export function readObjectQuery(query: string, variables: Record<string, unknown>): ObjectQuery {
  const valueOf = (literal: string): unknown => (literal.startsWith('$') ? variables[literal.slice(1)] : JSON.parse(literal));
  const repository = /\brepository\s*\(([^)]*)\)/.exec(query);
  const repositoryArguments = new Map([...(repository?.[1] ?? '').matchAll(/(\w+)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*")/g)].map((match) => [match[1]!, valueOf(match[2]!)]));
  const answer: ObjectQuery = { owner: String(repositoryArguments.get('owner')), name: String(repositoryArguments.get('name')), objects: [] };
  const field = /(?:(\w+)\s*:\s*)?\bobject\s*\(\s*(oid|expression)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*")\s*\)\s*\{\s*\.\.\.\s*on\s+Blob\s*\{([^{}]*)\}\s*\}/g;
  for (const match of query.slice(repository?.index ?? 0).matchAll(field)) {
    const by = match[2] as ObjectField['by'];
    const value = String(valueOf(match[3]!));
    if (by === 'oid' && !/^[0-9a-f]{40}$/.test(value)) answer.problem ??= `Argument 'oid' on Field '${match[1] ?? 'object'}' has an invalid value (${value}). Expected type 'GitObjectID'.`;
    answer.objects.push({ alias: match[1] ?? 'object', by, value, fields: match[4]!.split(/[\s,]+/).filter((name) => BLOB_FIELDS.has(name)) });
  }
  return answer;
}
