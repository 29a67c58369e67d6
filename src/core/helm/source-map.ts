import type { Origin, OriginSpan, TracedText } from './origins.js';

/**
 * From rendered text back to the files a person edits: the template line whose literal
 * text produced a character, the values node that set it, or the action that computed it.
 */

/** A place in a chart's source: a file of the chart (template or values) and an offset in its text. */
export interface SourcePlace {
  file: string;
  offset: number;
  origin: Origin;
}

/** An edit of a source file: `[start, end)` of its text replaced by `newText`. */
export interface SourceEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

/** The span holding the rendered character at `offset` (binary search: spans are sorted). */
export function spanAt(traced: TracedText, offset: number): OriginSpan | undefined {
  const { spans } = traced;
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = spans[mid]!;
    if (offset < span.start) high = mid - 1;
    else if (offset >= span.end) low = mid + 1;
    else return span;
  }
  return undefined;
}

/**
 * Where the rendered character at `offset` came from: the same character of a template's
 * literal text, the same character of a values scalar written verbatim, else the start of
 * the values node or of the action.
 */
export function sourcePlaceOf(traced: TracedText, offset: number): SourcePlace | undefined {
  const span = spanAt(traced, offset);
  if (!span) return undefined;
  const { origin } = span;
  const within = offset - span.start;
  switch (origin.type) {
    case 'text':
      return { file: origin.file, offset: origin.start + within, origin };
    case 'value':
      return { file: origin.file, offset: origin.verbatim ? origin.start + within : origin.start, origin };
    case 'action':
      return { file: origin.file, offset: origin.start, origin };
  }
}

/**
 * Where a rendered range `[start, end)` can be rewritten: one for one inside a stretch of
 * template text or of a verbatim values scalar, or a values node as a whole when the range
 * is all it rendered.
 */
function rewritable(traced: TracedText, start: number, end: number): { file: string; start: number; end: number } | undefined {
  const span = spanAt(traced, start);
  if (!span || end > span.end) return undefined;
  const { origin } = span;
  if (origin.type === 'text' || (origin.type === 'value' && origin.verbatim)) {
    return { file: origin.file, start: origin.start + start - span.start, end: origin.start + end - span.start };
  }
  if (origin.type === 'value' && start === span.start && end === span.end) return { file: origin.file, start: origin.start, end: origin.end };
  return undefined;
}

/** The edit narrowed to the characters it really changes: what it keeps at either end may have come from elsewhere. */
function narrowed(text: string, edit: { start: number; end: number; newText: string }): { start: number; end: number; newText: string } {
  let { start, end, newText } = edit;
  while (start < end && newText.length > 0 && text[start] === newText[0]) {
    start++;
    newText = newText.slice(1);
  }
  while (end > start && newText.length > 0 && text[end - 1] === newText[newText.length - 1]) {
    end--;
    newText = newText.slice(0, -1);
  }
  return { start, end, newText };
}

/**
 * Where text inserted at rendered `offset` can be inserted in a template so that it renders
 * at the same place: before the template character that renders just after it, or after
 * the one that renders just before it. Only literal template text qualifies: text an action
 * writes may be written elsewhere too.
 */
function insertionPoint(traced: TracedText, offset: number): { file: string; offset: number } | undefined {
  const after = spanAt(traced, offset);
  if (after?.origin.type === 'text') return { file: after.origin.file, offset: after.origin.start + offset - after.start };
  const before = offset > 0 ? spanAt(traced, offset - 1) : undefined;
  if (before?.origin.type === 'text') return { file: before.origin.file, offset: before.origin.start + offset - before.start };
  return undefined;
}

/**
 * The source edit that makes the render show `newText` in place of rendered `[start, end)`,
 * when one exists: a replacement inside literal template text or a verbatim values
 * scalar, or an insertion beside literal template text. Whether it really does is for a
 * re-render to tell: the same template text or value may render elsewhere too.
 */
export function sourceEditOf(traced: TracedText, renderedEdit: { start: number; end: number; newText: string }): SourceEdit | undefined {
  const whole = rewritable(traced, renderedEdit.start, renderedEdit.end);
  if (whole && renderedEdit.start < renderedEdit.end) return { ...whole, newText: renderedEdit.newText };
  const edit = narrowed(traced.text, renderedEdit);
  if (edit.start === edit.end) {
    const point = insertionPoint(traced, edit.start);
    return point && { file: point.file, start: point.offset, end: point.offset, newText: edit.newText };
  }
  const target = rewritable(traced, edit.start, edit.end);
  return target && { ...target, newText: edit.newText };
}
