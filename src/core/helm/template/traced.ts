/**
 * Text with origins (origins.ts's TracedText): building it, and the edits rendering needs
 * (concatenation, slices, replacements) keeping every character's origin.
 */
import type { Origin, OriginSpan, TracedText } from '../origins.js';

/** Whether text of `origin` right after `previous` extends it: the next characters of one file, or more of one action. A values node's span stays its own (its text is the node's, or not). */
function continues(previous: OriginSpan, origin: Origin): boolean {
  const before = previous.origin;
  if (before.type === 'text') return origin.type === 'text' && origin.file === before.file && before.start + (previous.end - previous.start) === origin.start;
  if (before.type === 'action') return origin.type === 'action' && origin.file === before.file && origin.start === before.start && origin.end === before.end;
  return false;
}

/** Accumulates traced text; adjacent spans of one origin merge. */
export class TracedBuilder {
  // Pieces joined once at the end: appending to one string builds a deep rope.
  private readonly pieces: string[] = [];
  length = 0;
  readonly spans: OriginSpan[] = [];

  append(text: string, origin: Origin): void {
    if (text.length === 0) return;
    const start = this.length;
    this.pieces.push(text);
    this.length += text.length;
    const last = this.spans[this.spans.length - 1];
    if (last !== undefined && last.end === start && continues(last, origin)) last.end = this.length;
    else this.spans.push({ start, end: this.length, origin });
  }

  /** Appends traced text, its gaps (characters no span covers) given `fill`. */
  appendTraced(traced: TracedText, fill: Origin): void {
    let covered = 0;
    for (const span of traced.spans) {
      if (span.start > covered) this.append(traced.text.slice(covered, span.start), fill);
      this.append(traced.text.slice(span.start, span.end), span.origin);
      covered = span.end;
    }
    if (covered < traced.text.length) this.append(traced.text.slice(covered), fill);
  }

  build(): TracedText {
    return { text: this.pieces.join(''), spans: this.spans };
  }
}

/** The origin of the characters of `span` from `offset` on (a template text origin points into its file one to one). */
export function shiftOrigin(origin: Origin, offset: number): Origin {
  if (origin.type !== 'text' || offset === 0) return origin;
  return { type: 'text', file: origin.file, start: origin.start + offset };
}

/** `traced` with every gap given `fill`. */
export function filled(traced: TracedText, fill: Origin): TracedText {
  let covered = 0;
  let complete = true;
  for (const span of traced.spans) {
    if (span.start > covered) complete = false;
    covered = span.end;
  }
  if (complete && covered === traced.text.length) return traced;
  const builder = new TracedBuilder();
  builder.appendTraced(traced, fill);
  return builder.build();
}

/** One origin for all of `text`. */
export function tracedAs(text: string, origin: Origin): TracedText {
  return { text, spans: text.length === 0 ? [] : [{ start: 0, end: text.length, origin }] };
}

/** Texts one after the other. */
export function concatTraced(...parts: TracedText[]): TracedText {
  const spans: OriginSpan[] = [];
  let text = '';
  for (const part of parts) {
    const offset = text.length;
    for (const span of part.spans) spans.push({ start: span.start + offset, end: span.end + offset, origin: span.origin });
    text += part.text;
  }
  return { text, spans };
}

/** The characters `[start, end)`, with their origins. */
export function sliceTraced(traced: TracedText, start: number, end = traced.text.length): TracedText {
  const spans: OriginSpan[] = [];
  for (const span of traced.spans) {
    if (span.end <= start || span.start >= end) continue;
    const from = Math.max(span.start, start);
    const to = Math.min(span.end, end);
    let origin = shiftOrigin(span.origin, from - span.start);
    // A piece of a values node's text is not the node's text.
    if (origin.type === 'value' && origin.verbatim && (from > span.start || to < span.end)) origin = { ...origin, verbatim: false };
    spans.push({ start: from - start, end: to - start, origin });
  }
  return { text: traced.text.slice(start, end), spans };
}

/** Every `search` replaced by `replacement` (strings.ReplaceAll), which takes `origin`; the rest keeps its origins. */
export function replaceAllTraced(traced: TracedText, search: string, replacement: string, origin?: Origin): TracedText {
  let at = traced.text.indexOf(search);
  if (at === -1 || search.length === 0) return traced;
  const parts: TracedText[] = [];
  let from = 0;
  while (at !== -1) {
    parts.push(sliceTraced(traced, from, at));
    if (replacement.length > 0) parts.push(origin ? tracedAs(replacement, origin) : { text: replacement, spans: [] });
    from = at + search.length;
    at = traced.text.indexOf(search, from);
  }
  parts.push(sliceTraced(traced, from));
  return concatTraced(...parts);
}
