import type { Span } from './types.js';

/**
 * Offsets to 1-based line/column, built on first use: most files have no finding, and
 * indexing every newline up front would cost as much as a large part of the parse.
 */
export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    const starts = this.starts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line, column: offset - this.lineStart(line) + 1 };
  }

  lineStart(line: number): number {
    return this.starts()[line - 1] ?? this.text.length;
  }

  /** Offset just past the line's content, before its `\n` or `\r\n`. */
  lineContentEnd(line: number): number {
    const next = this.starts()[line];
    if (next === undefined) return this.text.length;
    return this.text[next - 2] === '\r' ? next - 2 : next - 1;
  }

  lineCount(): number {
    return this.starts().length;
  }

  /** The text of lines `first..last` (1-based, inclusive) without the final line break. */
  lines(first: number, last: number): string {
    return this.text.slice(this.lineStart(first), this.lineContentEnd(last));
  }

  span(startOffset: number, endOffset: number): Span {
    const start = this.position(startOffset);
    const end = this.position(Math.max(startOffset, endOffset));
    return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
  }
}

export function lineBreakOf(text: string): '\r\n' | '\n' | '\r' {
  const match = /\r\n?|\n/.exec(text);
  return (match?.[0] as '\r\n' | '\n' | '\r' | undefined) ?? '\n';
}

/**
 * The text with old Mac line breaks (a CR alone) read as LF, as YAML and kubectl read them.
 * One character for one, so every offset stays valid in the original text.
 */
export function withLfLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
