import { PositionLog, isArrayIndex, plainScalarValue } from './cst-compose.js';
import type { ComposedDocument } from './cst-compose.js';
import { MAX_NESTING, setPlainEntry } from './yaml-tree.js';

/**
 * Composes manifests written in the plainest block style straight from their text: one pass
 * over the characters, no tokens, no CST. Lexing and parsing with yaml are three quarters of
 * a lint run over many small files, and nearly every manifest is written in this subset:
 * block maps and sequences, `- key: value` items, single-line plain and quoted scalars,
 * literal block scalars, flow collections (JSON too), comments, `---`.
 *
 * Anything else (tabs, anchors, aliases, tags, folded or kept block scalars, multi-line
 * plain scalars after a comment or inside flow collections, explicit keys, directives,
 * `...`, whitespace-only lines in a block scalar, a comment where an empty node is or in a
 * flow collection) is declined, and the caller hands the file to the CST composer
 * (cst-compose.ts), which declines in turn to yaml itself. What is accepted gives exactly the
 * values and positions the CST composer gives: test/composers.test.ts compares both with yaml
 * on fixtures, on the bench corpus and on generated and mangled text.
 *
 * The positions follow yaml's ranges, including where comments and blank lines after a
 * collection's last node go, which decides where the collection ends: yaml's parser gives
 * them to the innermost open collection; a comment line indented deeper than that
 * collection right after a scalar or flow node becomes part of that node
 * (`atIndentedComment`); the rest stays with a collection only if one of its comments is
 * indented at least as deep as the collection (and the collection is not at column 0),
 * and otherwise moves out to the parent when the collection closes (`Parser.pop`).
 */

class Declined extends Error {}
const declined = new Declined('outside the subset composed from the text');

function decline(): never {
  throw declined;
}

const LF = 10;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const HASH = 35;
const SINGLE_QUOTE = 39;
const COMMA = 44;
const DASH = 45;
const COLON = 58;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const PIPE = 124;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Characters a plain scalar of this subset does not start with: indicators, anchors, tags, reserved. */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`?:'].map((character) => character.charCodeAt(0)));
const FLOW_INDICATORS = new Set([COMMA, OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE]);
/** Tabs, carriage returns, other control characters, byte order marks, Unicode line separators. */
const UNSUPPORTED_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;
/** YAML's escapes in double quotes (yaml's `escapeCodes`), but for `\x`, `\u`, `\U` and escaped tabs and line breaks. */
const ESCAPES = new Map(Object.entries({ '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\' }));
const CODE_ESCAPE_LENGTHS = new Map([['x', 2], ['u', 4], ['U', 8]]);
const HEX_DIGITS = /^[0-9a-fA-F]+$/;
/** yaml refuses implicit keys longer than 1024 characters. */
const MAX_KEY_LENGTH = 1000;

/** The lines after a node's own line up to the next node. */
interface Gap {
  /** Where the next node starts, or -1 at the end of the text. */
  next: number;
  /** The column of the next node. */
  indent: number;
  /** True when the next line is a document marker `---`. */
  marker: boolean;
  /** The deepest column of a comment line among the trailing lines still unplaced, -1 without one. */
  commentIndent: number;
  /** Where the trailing lines end: at the next node (its indentation included) or the end of the text. */
  end: number;
  /** Where the comment lines taken into the node before them end, -1 without any. */
  absorbed: number;
}

/** A document as composed: its value and its part of the position log. */
interface DocumentExtent {
  value: unknown;
  keysInOrder: boolean;
  from: number;
  to: number;
}

class TextComposer {
  readonly positions = new PositionLog();
  /** The plain value of the node composed last. */
  private plain: unknown = null;
  /** Where the node composed last ends, with what yaml counts as its end (comments, the line break). */
  private after = 0;
  /** False when a map has a key JavaScript would reorder (`"80":`): see ComposedDocument. */
  private keysInOrder = true;
  private depth = 0;
  private keyName = '';
  private keyEnd = 0;
  private colon = 0;
  private readonly length: number;

  constructor(private readonly text: string) {
    this.length = text.length;
  }

  documents(): DocumentExtent[] {
    const documents: DocumentExtent[] = [];
    let gap = this.scanGap(0, -1, false);
    while (gap.next !== -1) {
      const from = this.positions.length;
      this.keysInOrder = true;
      if (gap.marker) {
        const at = this.skipSpaces(gap.next + 3);
        if (at < this.length && this.code(at) !== LF && this.code(at) !== HASH) decline();
        gap = this.scanGap(this.lineEnd(at), -1, false);
        if (gap.next === -1 || gap.marker) {
          // `---` with nothing after it: yaml's empty document, a null after the marker.
          this.positions.add(at, at);
          documents.push({ value: null, keysInOrder: true, from, to: this.positions.length });
          continue;
        }
      }
      if (gap.indent !== 0) decline();
      // JSON, or a flow collection standing as a document: its lines may be anywhere.
      const code = this.code(gap.next);
      gap = code === OPEN_BRACE || code === OPEN_BRACKET ? this.inlineValue(gap.next, -1) : this.blockNode(gap.next, 0);
      if (gap.next !== -1 && !gap.marker) decline();
      documents.push({ value: this.plain, keysInOrder: this.keysInOrder, from, to: this.positions.length });
    }
    return documents;
  }

  private code(at: number): number {
    return this.text.charCodeAt(at);
  }

  /** Whether `at` is after the end, at a space or at a line break: what must follow `:`, `-` and `---`. */
  private isSeparator(at: number): boolean {
    return at >= this.length || this.code(at) === SPACE || this.code(at) === LF;
  }

  private isSeqItem(at: number): boolean {
    return this.code(at) === DASH && this.isSeparator(at + 1);
  }

  /** Where the line holding `at` ends, its line break included. */
  private lineEnd(at: number): number {
    const end = this.text.indexOf('\n', at);
    return end === -1 ? this.length : end + 1;
  }

  /** The document marker at the start of a line, if there is one there. */
  private documentMarkerAt(at: number): '---' | '...' | undefined {
    if (!this.isSeparator(at + 3)) return undefined;
    if (this.text.startsWith('---', at)) return '---';
    return this.text.startsWith('...', at) ? '...' : undefined;
  }

  private skipSpaces(at: number): number {
    while (this.code(at) === SPACE) at++;
    return at;
  }

  /**
   * Blank and comment lines from `from` to the next node. Comment lines deeper than
   * `innermostIndent`, before any other comment line, become part of the node before them
   * when `absorb` (it is a scalar or a flow collection).
   */
  private scanGap(from: number, innermostIndent: number, absorb: boolean): Gap {
    let lineStart = from;
    let commentIndent = -1;
    let absorbed = -1;
    while (lineStart < this.length) {
      const at = this.skipSpaces(lineStart);
      if (at >= this.length) break;
      const code = this.code(at);
      if (code === LF) {
        lineStart = at + 1;
        continue;
      }
      if (code === HASH) {
        const column = at - lineStart;
        lineStart = this.lineEnd(at);
        if (absorb && commentIndent < 0 && column > innermostIndent) absorbed = lineStart;
        else commentIndent = Math.max(commentIndent, column);
        continue;
      }
      if (at === lineStart) {
        const marker = this.documentMarkerAt(at);
        if (marker === '---') return { next: at, indent: 0, marker: true, commentIndent, end: at, absorbed };
        if (marker === '...') decline();
      }
      return { next: at, indent: at - lineStart, marker: false, commentIndent, end: at, absorbed };
    }
    return { next: -1, indent: -1, marker: false, commentIndent, end: this.length, absorbed };
  }

  /** A block map or sequence whose first line starts at `at`, in column `indent`. */
  private blockNode(at: number, indent: number): Gap {
    if (this.isSeqItem(at)) return this.blockSeq(at, indent);
    if (!this.readKey(at)) decline();
    return this.blockMap(at, indent);
  }

  /**
   * Reads the implicit key at `at` into keyName, keyEnd and colon; false when the line is
   * not `key: ...`.
   */
  private readKey(at: number): boolean {
    const code = this.code(at);
    let end: number;
    let colon: number;
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      end = this.quotedEnd(at);
      colon = this.skipSpaces(end);
      if (this.code(colon) !== COLON || !this.isSeparator(colon + 1)) return false;
      this.keyName = this.quotedValue(at, end);
    } else {
      if (NOT_PLAIN_START.has(code) || (code === DASH && this.isSeparator(at + 1))) return false;
      for (colon = at; ; colon++) {
        const next = this.code(colon);
        if (next === COLON && this.isSeparator(colon + 1)) break;
        if (Number.isNaN(next) || next === LF || FLOW_INDICATORS.has(next) || (next === HASH && this.code(colon - 1) === SPACE)) return false;
      }
      end = colon;
      while (this.code(end - 1) === SPACE) end--;
      this.keyName = String(plainScalar(this.text.slice(at, end), true));
    }
    if (colon - at > MAX_KEY_LENGTH) decline();
    this.keyEnd = end;
    this.colon = colon;
    return true;
  }

  /** A block map whose first key, already read, is at `at` in column `indent`. */
  private blockMap(at: number, indent: number): Gap {
    if (++this.depth > MAX_NESTING) decline();
    const plain: Record<string, unknown> = {};
    const slot = this.positions.add(at, at);
    let offset = at;
    let gap: Gap;
    for (let key = at; ; key = gap.next) {
      if (key !== at && !this.readKey(key)) decline();
      const name = this.keyName;
      if (Object.hasOwn(plain, name)) decline();
      if (isArrayIndex(name)) this.keysInOrder = false;
      this.positions.add(key, this.keyEnd);
      gap = this.valueAfterIndicator(this.colon + 1, indent, true);
      setPlainEntry(plain, name, this.plain);
      offset = this.after;
      if (gap.next === -1 || gap.marker || gap.indent < indent) break;
      if (gap.indent > indent || this.isSeqItem(gap.next)) decline();
    }
    this.depth--;
    return this.close(slot, at, offset, indent, gap, plain);
  }

  /** A block sequence whose first `-` is at `at` in column `indent`. */
  private blockSeq(at: number, indent: number): Gap {
    if (++this.depth > MAX_NESTING) decline();
    const plain: unknown[] = [];
    const slot = this.positions.add(at, at);
    let offset = at;
    let gap: Gap;
    for (let item = at; ; item = gap.next) {
      gap = this.valueAfterIndicator(item + 1, indent, false);
      plain.push(this.plain);
      offset = this.after;
      if (gap.next === -1 || gap.marker || gap.indent < indent) break;
      if (gap.indent > indent) decline();
      // A line in the same column that is no item ends a sequence that is a map's value.
      if (!this.isSeqItem(gap.next)) break;
    }
    this.depth--;
    return this.close(slot, at, offset, indent, gap, plain);
  }

  /**
   * Ends a collection: its range, and where yaml ends it for its parent, which takes the
   * trailing lines when one of their comments is as deep as the collection (see the module comment).
   */
  private close(slot: number, start: number, offset: number, indent: number, gap: Gap, plain: unknown): Gap {
    this.positions.set(slot, start, offset);
    this.plain = plain;
    this.after = offset;
    if (indent === 0 || gap.commentIndent < indent) return gap;
    this.after = gap.end;
    return { ...gap, commentIndent: -1 };
  }

  /**
   * The value after a map's `:` or a sequence's `-` (at `from`), in a collection at column
   * `indent`: on the same line, on the lines below, or empty.
   */
  private valueAfterIndicator(from: number, indent: number, inMap: boolean): Gap {
    const at = this.skipSpaces(from);
    const code = this.code(at);
    if (at < this.length && code !== LF && code !== HASH) {
      if (this.isSeqItem(at)) decline();
      if (!inMap && this.readKey(at)) return this.blockMap(at, at - (this.text.lastIndexOf('\n', at - 1) + 1));
      return this.inlineValue(at, indent);
    }
    if (code === HASH && !inMap) decline();
    const gap = this.scanGap(this.lineEnd(at), indent, false);
    // Below: a deeper collection, or for a map's value a sequence in the map's own column.
    if (gap.next !== -1 && !gap.marker && (gap.indent > indent || (inMap && gap.indent === indent && this.isSeqItem(gap.next)))) {
      // Helm's `toYaml` writes an empty map or list below its key: `annotations:\n    {}`.
      const below = this.code(gap.next);
      if (gap.indent > indent && (below === OPEN_BRACE || below === OPEN_BRACKET)) return this.inlineValue(gap.next, indent);
      return this.blockNode(gap.next, gap.indent);
    }
    // Empty: yaml's null after the indicator and its spaces. Comments near it move about in yaml's CST.
    if (code === HASH || gap.commentIndent >= 0) decline();
    this.positions.add(at, at);
    this.plain = null;
    this.after = at;
    return gap;
  }

  /** A scalar, flow collection or block scalar starting at `at`, on the line of its key or `-`. */
  private inlineValue(at: number, indent: number): Gap {
    const code = this.code(at);
    let end: number;
    if (code === PIPE) return this.literalBlockScalar(at, indent);
    if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      end = this.flowCollection(at, indent);
    } else if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      end = this.quotedEnd(at, indent);
      this.positions.add(at, end);
      this.plain = this.quotedValue(at, end);
    } else {
      end = this.plainLineEnd(at);
      let source = this.text.slice(at, end);
      if (!this.commentFollows(end)) {
        // Indexed, not destructured: destructuring runs an iterator, allocating, for nearly every scalar before V8 optimises this.
        const continued = this.plainContinued(source, end, indent);
        source = continued[0];
        end = continued[1];
      }
      this.positions.add(at, end);
      this.plain = plainScalar(source, false);
    }
    // What may follow on the line: spaces, then a comment after at least one of them.
    const rest = this.skipSpaces(end);
    let lineEnd = rest;
    if (this.code(rest) === HASH) {
      if (rest === end) decline();
      lineEnd = this.lineEnd(rest);
    } else if (rest < this.length) {
      if (this.code(rest) !== LF) decline();
      lineEnd = rest + 1;
    }
    const gap = this.scanGap(lineEnd, indent, true);
    this.after = gap.absorbed >= 0 ? gap.absorbed : lineEnd;
    return gap;
  }

  /**
   * Where the plain scalar starting at `at` ends on its line: before a comment or the line
   * break, trailing spaces left out.
   */
  private plainLineEnd(at: number, continued = false): number {
    const code = this.code(at);
    // Indicators only matter where a scalar starts: its continued lines may start with anything.
    if (!continued && (NOT_PLAIN_START.has(code) || (code === DASH && this.isSeparator(at + 1)))) decline();
    let end = at;
    for (; ; end++) {
      const next = this.code(end);
      if (Number.isNaN(next) || next === LF || (next === HASH && this.code(end - 1) === SPACE)) break;
      // `a: b: c` is an error in yaml; `- a: b` was read as a map before getting here.
      if (next === COLON && this.isSeparator(end + 1)) decline();
    }
    while (this.code(end - 1) === SPACE) end--;
    return end;
  }

  /** Whether a comment follows `at` on its line. */
  private commentFollows(at: number): boolean {
    return this.code(this.skipSpaces(at)) === HASH;
  }

  /**
   * A plain scalar continued on the lines below that are deeper than `indent` (kubebuilder's
   * long descriptions): folded as YAML folds them, a line break a space, blank lines line breaks.
   */
  private plainContinued(firstLine: string, firstEnd: number, indent: number): [string, number] {
    let source = firstLine;
    let end = firstEnd;
    let blankLines = 0;
    for (let lineStart = this.lineEnd(firstEnd); lineStart < this.length; ) {
      const first = this.skipSpaces(lineStart);
      if (first >= this.length) break;
      const code = this.code(first);
      if (code === LF) {
        blankLines++;
        lineStart = first + 1;
        continue;
      }
      if (first - lineStart <= indent || code === HASH) break;
      const lineEnd = this.plainLineEnd(first, true);
      if (this.commentFollows(lineEnd)) decline();
      source += (blankLines > 0 ? '\n'.repeat(blankLines) : ' ') + this.text.slice(first, lineEnd);
      blankLines = 0;
      end = lineEnd;
      lineStart = this.lineEnd(lineEnd);
    }
    return [source, end];
  }

  /**
   * A literal block scalar at `at`, its lines deeper than `indent`: `|`, with `-` to strip
   * the last line break, with a digit for how much deeper (`|2-`, protobuf's and kubebuilder's).
   */
  private literalBlockScalar(at: number, indent: number): Gap {
    let header = at + 1;
    let strip = false;
    let indentation = 0;
    for (let indicator = 0; indicator < 2; indicator++) {
      const code = this.code(header);
      if (code === DASH && !strip) strip = true;
      else if (code >= 49 && code <= 57 && indentation === 0) indentation = code - 48;
      else break;
      header++;
    }
    header = this.skipSpaces(header);
    if (this.code(header) !== LF) decline();
    const lines: string[] = [];
    let contentIndent = indentation > 0 ? indent + indentation : -1;
    let blankLines = 0;
    let end = -1;
    for (let lineStart = header + 1; lineStart < this.length; ) {
      const first = this.skipSpaces(lineStart);
      if (first >= this.length || this.code(first) === LF) {
        // Lines of spaces only count or not by how deep they are: left to yaml.
        if (first > lineStart) decline();
        blankLines++;
        lineStart = first + 1;
        continue;
      }
      const column = first - lineStart;
      if (contentIndent < 0) {
        if (column <= indent) decline();
        contentIndent = column;
      }
      if (column < contentIndent) {
        if (column > indent) decline();
        break;
      }
      const lineBreak = this.text.indexOf('\n', first);
      const lineEnd = lineBreak === -1 ? this.length : lineBreak;
      for (; blankLines > 0; blankLines--) lines.push('');
      lines.push(this.text.slice(lineStart + contentIndent, lineEnd));
      end = lineBreak === -1 ? this.length : lineBreak + 1;
      lineStart = end;
    }
    // Nothing deep enough below: an empty block scalar.
    if (end < 0) decline();
    this.positions.add(at, end);
    this.plain = lines.join('\n') + (strip ? '' : '\n');
    this.after = end;
    return this.scanGap(end, indent, false);
  }

  /** A flow collection, its lines deeper than `indent`; returns where it closes. */
  private flowCollection(at: number, indent: number): number {
    if (++this.depth > MAX_NESTING) decline();
    const isMap = this.code(at) === OPEN_BRACE;
    const close = isMap ? CLOSE_BRACE : CLOSE_BRACKET;
    const plainMap: Record<string, unknown> = {};
    const plainSeq: unknown[] = [];
    const slot = this.positions.add(~at, at);
    let next = this.flowSpace(at + 1, indent);
    if (this.code(next) !== close) {
      for (;;) {
        if (isMap) {
          const keyStart = next;
          const quoted = this.code(next) === DOUBLE_QUOTE || this.code(next) === SINGLE_QUOTE;
          const keyEnd = quoted ? this.quotedEnd(next) : this.flowPlainEnd(next);
          const name = quoted ? this.quotedValue(next, keyEnd) : String(plainScalar(this.text.slice(next, keyEnd), true));
          if (Object.hasOwn(plainMap, name)) decline();
          if (isArrayIndex(name)) this.keysInOrder = false;
          this.positions.add(keyStart, keyEnd);
          const colon = this.skipSpaces(keyEnd);
          if (this.code(colon) !== COLON || (!quoted && this.code(colon + 1) !== SPACE)) decline();
          next = this.flowValue(this.skipSpaces(colon + 1), indent);
          setPlainEntry(plainMap, name, this.plain);
        } else {
          next = this.flowValue(next, indent);
          plainSeq.push(this.plain);
        }
        next = this.flowSpace(next, indent);
        if (this.code(next) === close) break;
        if (this.code(next) !== COMMA) decline();
        next = this.flowSpace(next + 1, indent);
        // A trailing comma: `[a, b,]`.
        if (this.code(next) === close) break;
      }
    }
    const end = next + 1;
    this.positions.set(slot, ~at, end);
    this.plain = isMap ? plainMap : plainSeq;
    this.depth--;
    return end;
  }

  /**
   * Past the spaces and line breaks between the parts of a flow collection whose lines must
   * be deeper than `indent`. Comments among them are left to yaml.
   */
  private flowSpace(at: number, indent: number): number {
    for (at = this.skipSpaces(at); this.code(at) === LF; ) {
      const lineStart = at + 1;
      at = this.skipSpaces(lineStart);
      const code = this.code(at);
      if (code === LF) continue;
      if (at >= this.length || code === HASH || at - lineStart <= indent) decline();
      if (at === lineStart && this.documentMarkerAt(at)) decline();
    }
    return at;
  }

  /** A node inside a flow collection; returns where it ends. */
  private flowValue(at: number, indent: number): number {
    const code = this.code(at);
    if (code === OPEN_BRACKET || code === OPEN_BRACE) return this.flowCollection(at, indent);
    const quoted = code === DOUBLE_QUOTE || code === SINGLE_QUOTE;
    const end = quoted ? this.quotedEnd(at) : this.flowPlainEnd(at);
    this.positions.add(at, end);
    this.plain = quoted ? this.quotedValue(at, end) : plainScalar(this.text.slice(at, end), false);
    return end;
  }

  /** Where a plain scalar inside a flow collection ends, trailing spaces left out. */
  private flowPlainEnd(at: number): number {
    const code = this.code(at);
    if (NOT_PLAIN_START.has(code) || (code === DASH && (this.isSeparator(at + 1) || FLOW_INDICATORS.has(this.code(at + 1))))) decline();
    let end = at;
    for (; ; end++) {
      const next = this.code(end);
      if (Number.isNaN(next) || (next === HASH && this.code(end - 1) === SPACE)) decline();
      // At a line break it ends unless continued, which the check for what follows it declines.
      if (FLOW_INDICATORS.has(next) || next === LF) break;
      if (next === COLON && (this.isSeparator(end + 1) || FLOW_INDICATORS.has(this.code(end + 1)))) break;
    }
    while (this.code(end - 1) === SPACE) end--;
    return end;
  }

  /**
   * Where the quoted scalar at `at` ends, its closing quote included. It stays on its line,
   * unless `indent` is given: then its next lines must be deeper than that.
   */
  private quotedEnd(at: number, indent = -2): number {
    const quote = this.code(at);
    for (let next = at + 1; ; next++) {
      const code = this.code(next);
      if (Number.isNaN(code)) decline();
      if (code === LF) {
        if (indent === -2) decline();
        const first = this.skipSpaces(next + 1);
        if (this.code(first) !== LF && first - (next + 1) <= indent) decline();
      } else if (quote === DOUBLE_QUOTE && code === BACKSLASH) {
        if (this.code(next + 1) === LF) decline();
        next++;
      } else if (code === quote) {
        if (quote === SINGLE_QUOTE && this.code(next + 1) === SINGLE_QUOTE) next++;
        else return next + 1;
      }
    }
  }

  private quotedValue(at: number, end: number): string {
    const doubleQuoted = this.code(at) === DOUBLE_QUOTE;
    let inner = this.text.slice(at + 1, end - 1);
    if (inner.includes('\n')) inner = foldQuotedLines(inner, doubleQuoted);
    if (!doubleQuoted) return inner.includes("''") ? inner.replaceAll("''", "'") : inner;
    return inner.includes('\\') ? unescapeDoubleQuoted(inner) : inner;
  }
}

/**
 * A quoted scalar's lines folded as YAML folds them: spaces around each line break dropped,
 * a line break a space, blank lines line breaks. Escapes are left for later; a line that
 * ends in an escape (an escaped line break or space) is declined.
 */
function foldQuotedLines(inner: string, doubleQuoted: boolean): string {
  const lines = inner.split('\n');
  let folded = lines[0]!.trimEnd();
  let blankLines = 0;
  for (let index = 1; index < lines.length; index++) {
    const last = index === lines.length - 1;
    const line = last ? lines[index]!.trimStart() : lines[index]!.trim();
    if (doubleQuoted && lines[index - 1]!.trimEnd().endsWith('\\')) decline();
    if (line === '' && !last) {
      blankLines++;
      continue;
    }
    folded += (blankLines > 0 ? '\n'.repeat(blankLines) : ' ') + line;
    blankLines = 0;
  }
  return folded;
}

/**
 * A plain scalar's value. One holding `{{` is declined: a Go template in the YAML structure
 * (templates.ts), so that a file this composes has none and needs no template check.
 */
function plainScalar(source: string, atKey: boolean): unknown {
  if (source.includes('{{')) decline();
  return plainScalarValue(source, atKey);
}

/** A double-quoted scalar's escapes resolved; declined for an invalid one or a surrogate code. */
function unescapeDoubleQuoted(text: string): string {
  let unescaped = '';
  let from = 0;
  for (let at = text.indexOf('\\'); at !== -1; at = text.indexOf('\\', from)) {
    unescaped += text.slice(from, at);
    const kind = text.charAt(at + 1);
    const character = ESCAPES.get(kind);
    if (character !== undefined) {
      unescaped += character;
      from = at + 2;
      continue;
    }
    const length = CODE_ESCAPE_LENGTHS.get(kind) ?? decline();
    const hex = text.slice(at + 2, at + 2 + length);
    if (hex.length !== length || !HEX_DIGITS.test(hex)) decline();
    const code = parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) decline();
    unescaped += String.fromCodePoint(code);
    from = at + 2 + length;
  }
  return unescaped + text.slice(from);
}

/**
 * The documents of a file in the plain block style (see the module comment), or undefined
 * when it uses anything else: then compose it with composeFromCst.
 */
export function composeFromText(text: string): ComposedDocument[] | undefined {
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  const composer = new TextComposer(text);
  let documents: DocumentExtent[];
  try {
    documents = composer.documents();
  } catch {
    // Declined, or a scalar the schema resolves with a complaint: the CST composer decides.
    return undefined;
  }
  const positions = composer.positions.copy();
  return documents.map(({ value, keysInOrder, from, to }) => (keysInOrder ? { value, positions: positions.subarray(from, to) } : { value }));
}
