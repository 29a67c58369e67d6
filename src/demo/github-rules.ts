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

