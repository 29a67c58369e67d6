/**
 * Quoted scalars whose continuation lines are indented less than YAML 1.2 asks:
 *
 *     annotations:
 *       description: "first line
 *     continued"
 *
 * `yaml` refuses them; go-yaml, and so kubectl, and PyYAML read them. This finds every
 * quoted scalar that runs over several lines, in block context, so that a document can be
 * read again with those line breaks as spaces (one character for one: every offset stays
 * valid) and each such scalar's value then taken from its own text, folded as YAML folds it.
 */

export interface QuotedSpan {
  /** Offsets of the opening and just past the closing quote. */
  start: number;
  end: number;
}

/** Characters after which a quote opens a scalar rather than sitting inside a plain one. */
const OPENS_SCALAR = new Set([':', '-', ',', '[', '{', '?']);

function indentationAt(text: string, lineStart: number): number {
  let cursor = lineStart;
  while (text[cursor] === ' ') cursor++;
  return cursor - lineStart;
}

/** The end of a quoted scalar opening at `start`, or undefined when it never closes. */
function closingQuote(text: string, start: number): number | undefined {
  const quote = text[start]!;
  for (let cursor = start + 1; cursor < text.length; cursor++) {
    const char = text[cursor];
    if (quote === '"' && char === '\\') cursor++;
    else if (char === quote) {
      if (quote === "'" && text[cursor + 1] === "'") cursor++;
      else return cursor + 1;
    }
  }
  return undefined;
}

export function multiLineQuotedScalars(text: string): QuotedSpan[] {
  const spans: QuotedSpan[] = [];
  let lineStart = 0;
  let previous = '\n';
  /** Inside a block scalar: lines indented more than this are its content. */
  let blockScalarParent: number | undefined;
  for (let cursor = 0; cursor < text.length; cursor++) {
    const char = text[cursor]!;
    if (cursor === lineStart && blockScalarParent !== undefined) {
      const lineEnd = text.indexOf('\n', cursor);
      const blank = text.slice(cursor, lineEnd === -1 ? text.length : lineEnd).trim() === '';
      if (blank || indentationAt(text, cursor) > blockScalarParent) {
        if (lineEnd === -1) break;
        cursor = lineEnd;
        lineStart = lineEnd + 1;
        continue;
      }
      blockScalarParent = undefined;
    }
    if (char === '\n') {
      lineStart = cursor + 1;
      previous = '\n';
      continue;
    }
    if (char === '#' && (previous === ' ' || previous === '\t' || previous === '\n')) {
      const lineEnd = text.indexOf('\n', cursor);
      if (lineEnd === -1) break;
      cursor = lineEnd - 1;
      continue;
    }
    if (char !== '"' && char !== "'" && char !== '|' && char !== '>') {
      previous = char;
      continue;
    }
    // What stands before it on the line, blanks passed over (no slice: a long line stays linear).
    let back = cursor - 1;
    while (back >= lineStart && (text[back] === ' ' || text[back] === '\t')) back--;
    const opensScalar = back < lineStart || OPENS_SCALAR.has(text[back]!);
    if ((char === '"' || char === "'") && opensScalar) {
      const end = closingQuote(text, cursor);
      if (end === undefined) break;
      const newline = text.indexOf('\n', cursor);
      if (newline !== -1 && newline < end) {
        spans.push({ start: cursor, end });
        lineStart = text.lastIndexOf('\n', end - 1) + 1;
      }
      cursor = end - 1;
    } else if ((char === '|' || char === '>') && opensScalar) {
      const lineEnd = text.indexOf('\n', cursor);
      // Only indentation and chomping indicators, or a comment, may follow a block scalar's header.
      if (/^[-+0-9]*[ \t]*(?:#.*)?\r?$/.test(text.slice(cursor + 1, lineEnd === -1 ? text.length : lineEnd))) blockScalarParent = indentationAt(text, lineStart);
    }
    previous = char;
  }
  return spans;
}

/** The text with the line breaks inside those scalars made spaces. */
export function withQuotedScalarsOnOneLine(text: string, spans: QuotedSpan[]): string {
  let out = '';
  let cursor = 0;
  for (const { start, end } of spans) {
    out += text.slice(cursor, start) + text.slice(start, end).replace(/[\r\n]/g, ' ');
    cursor = end;
  }
  return out + text.slice(cursor);
}
