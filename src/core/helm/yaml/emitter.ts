/**
 * YAML text from events as go-yaml writes it: a port of libyaml's emitter (go-yaml v2.4.3
 * `emitterc.go`, and v3.0.4's for toYamlPretty: its regular indentation, tabs in block
 * scalars, no line folding). Style selection, quoting, escapes and folding at column 80 are
 * go-yaml's, character for character. Scalars that carry a values-file node are recorded
 * as spans of the output.
 */
import { valueOrigin } from '../origins.js';
import type { OriginSpan, ValueNode } from '../origins.js';
import { utf8Length } from '../fmt.js';
import { isBlank, isBlankz, isBreak } from './scanner.js';

export type EmitterScalarStyle = 'any' | 'plain' | 'single-quoted' | 'double-quoted' | 'literal' | 'folded';

export type EmitEvent =
  | {
      type: 'scalar';
      value: string;
      tag: string;
      /** go-yaml's encoder sets both implicit flags to "no tag given". */
      implicit: boolean;
      style: EmitterScalarStyle;
      origin?: ValueNode | undefined;
    }
  | { type: 'sequence-start' | 'mapping-start'; tag: string; implicit: boolean; flow: boolean }
  | { type: 'sequence-end' | 'mapping-end' };

export type EmitterVariant = 'v2' | 'v3';

export interface EmitterOptions {
  variant: EmitterVariant;
  /** Spaces per indentation level (go-yaml's default 2; v3's SetIndent). */
  indent?: number;
}

type EmitterState =
  | 'document-end'
  | 'flow-sequence-first-item'
  | 'flow-sequence-item'
  | 'flow-mapping-first-key'
  | 'flow-mapping-key'
  | 'flow-mapping-simple-value'
  | 'flow-mapping-value'
  | 'block-sequence-first-item'
  | 'block-sequence-item'
  | 'block-mapping-first-key'
  | 'block-mapping-key'
  | 'block-mapping-simple-value'
  | 'block-mapping-value';

const LF = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x27;
const BOM = 0xfeff;

function isSpace(c: number | undefined): boolean {
  return c === SPACE;
}

/** Indentation, by width. */
const INDENTATION: string[] = [''];

function indentation(count: number): string {
  while (INDENTATION.length <= count) INDENTATION.push(`${INDENTATION[INDENTATION.length - 1]} `);
  return INDENTATION[count]!;
}

/** The code point at `i` of a string, as libyaml reads its UTF-8: a surrogate pair is one character, a lone surrogate stands for itself. */
function pointAt(text: string, i: number): number {
  return text.codePointAt(i)!;
}

function width(c: number): number {
  return c > 0xffff ? 2 : 1;
}

/** The characters of a scalar that decide its style, by code: bit 1 an indicator at its start, bit 2 a flow indicator anywhere. */
const INDICATORS = new Uint8Array(128);
for (const c of '#,[]{}&*!|>\'"%@`') INDICATORS[c.charCodeAt(0)]! |= 1;
for (const c of ',?[]{}') INDICATORS[c.charCodeAt(0)]! |= 2;

/** libyaml's `is_printable`: what may be written unescaped (no astral characters, no C1 controls, no BOM). */
function isPrintable(c: number): boolean {
  return c === LF || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

function isTagUriCharacter(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || ";/?:@&=+$,_.~*'()[]-".includes(String.fromCharCode(c));
}

interface ScalarAnalysis {
  value: string;
  /** The scalar's length in UTF-8 bytes, as libyaml's simple-key limit counts. */
  bytes: number;
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

const DEFAULT_TAG_DIRECTIVES = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

/** The text go-yaml writes for one document holding the given node events, and the spans of scalars that have origins. */
export function emitDocument(events: readonly EmitEvent[], options: EmitterOptions): { text: string; spans: OriginSpan[] } {
  return new Emitter(events, options).run();
}

class Emitter {
  private readonly v3: boolean;
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  /**
   * The output: finished pieces, and the piece being written (a scalar with an origin is a
   * piece of its own, so that its text is at hand without slicing the whole output).
   */
  private readonly parts: string[] = [];
  private current = '';
  private length = 0;
  private readonly spans: OriginSpan[] = [];

  private state: EmitterState = 'document-end';
  private readonly states: EmitterState[] = [];
  private head = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  private rootContext = false;
  private sequenceContext = false;
  private mappingContext = false;
  private simpleKeyContext = false;
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;

  private tagHandle = '';
  private tagSuffix = '';
  private scalar: ScalarAnalysis | undefined;
  private scalarStyle: EmitterScalarStyle = 'plain';

  constructor(
    private readonly events: readonly EmitEvent[],
    options: EmitterOptions,
  ) {
    this.v3 = options.variant === 'v3';
    const indent = options.indent ?? 2;
    this.bestIndent = indent < 2 || indent > 9 ? 2 : indent;
    // v2 folds at 80 columns; v3 starts with no width limit.
    this.bestWidth = this.v3 ? 2 ** 31 - 1 : 80;
  }

  run(): { text: string; spans: OriginSpan[] } {
    this.states.push('document-end');
    this.emitNode(true, false, false, false);
    while (this.head < this.events.length) this.dispatch();
    // Document end: a final line break; the stream's end writes nothing more.
    this.writeIndent();
    this.parts.push(this.current);
    return { text: this.parts.join(''), spans: this.spans };
  }

  private get event(): EmitEvent {
    return this.events[this.head]!;
  }

  private next(): void {
    this.head++;
  }

  // --- output ---------------------------------------------------------------------------

  private put(c: string): void {
    this.current += c;
    this.length += c.length;
    this.column++;
  }

  private putBreak(): void {
    this.current += '\n';
    this.length++;
    this.column = 0;
    if (this.v3) this.indention = true;
  }

  /** `text[from, to)`, which holds no line break, as it is; `count` its characters. */
  private writeRun(text: string, from: number, to: number, count: number): void {
    this.current += text.slice(from, to);
    this.length += to - from;
    this.column += count;
  }

  /** Text that holds no line break and no character outside the BMP. */
  private writeAll(text: string): void {
    this.current += text;
    this.length += text.length;
    this.column += text.length;
  }

  private writeBreak(c: number): void {
    if (c === LF) {
      this.putBreak();
    } else {
      this.put(String.fromCharCode(c));
      this.column = 0;
      if (this.v3) this.indention = true;
    }
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) this.writeAll(indentation(indent - this.column));
    this.whitespace = true;
    if (!this.v3) this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.writeAll(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  // --- state machine --------------------------------------------------------------------

  private increaseIndent(flow: boolean, indentless: boolean, compactSequence = false): void {
    this.indents.push(this.indent);
    if (this.indent < 0) {
      this.indent = flow ? this.bestIndent : 0;
    } else if (this.v3) {
      if (this.states[this.states.length - 1] === 'block-sequence-item') {
        // The first indent inside a sequence only skips the "- " indicator.
        this.indent += 2;
      } else {
        this.indent = this.bestIndent * Math.floor((this.indent + this.bestIndent) / this.bestIndent);
        if (compactSequence) this.indent -= 2;
      }
    } else if (!indentless) {
      this.indent += this.bestIndent;
    }
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  private dispatch(): void {
    switch (this.state) {
      case 'flow-sequence-first-item':
        return this.flowSequenceItem(true);
      case 'flow-sequence-item':
        return this.flowSequenceItem(false);
      case 'flow-mapping-first-key':
        return this.flowMappingKey(true);
      case 'flow-mapping-key':
        return this.flowMappingKey(false);
      case 'flow-mapping-simple-value':
        return this.flowMappingValue(true);
      case 'flow-mapping-value':
        return this.flowMappingValue(false);
      case 'block-sequence-first-item':
        return this.blockSequenceItem(true);
      case 'block-sequence-item':
        return this.blockSequenceItem(false);
      case 'block-mapping-first-key':
        return this.blockMappingKey(true);
      case 'block-mapping-key':
        return this.blockMappingKey(false);
      case 'block-mapping-simple-value':
        return this.blockMappingValue(true);
      case 'block-mapping-value':
        return this.blockMappingValue(false);
      case 'document-end':
        throw new Error('emitter: events after the document');
    }
  }

  /** Writes a flow collection's opening indicator and enters it. */
  private openFlow(indicator: string): void {
    this.writeIndicator(indicator, true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
  }

  /** Writes a flow collection's closing indicator (v3 on a fresh line's indent first) and leaves it. */
  private closeFlow(indicator: string, indentAtLineStart: boolean): void {
    this.flowLevel--;
    this.popIndent();
    if (indentAtLineStart && this.column === 0) this.writeIndent();
    this.writeIndicator(indicator, false, false, false);
    this.next();
    this.popState();
  }

  /** Leaves a block collection: back to the indentation and the state around it. */
  private closeBlock(): void {
    this.popIndent();
    this.next();
    this.popState();
  }

  /** Before a flow item or key: the separator, and a line break past the width (v3 also at a line's start). */
  private flowSeparator(first: boolean): void {
    if (!first) this.writeIndicator(',', false, false, false);
    if (this.v3 && this.column === 0) this.writeIndent();
    if (this.column > this.bestWidth) this.writeIndent();
  }

  /** A mapping key: simple (`key:`) when it may be one, complex (`? key`) otherwise. */
  private emitKey(indicatorIsIndention: boolean, simpleValue: EmitterState, value: EmitterState): void {
    if (this.checkSimpleKey()) {
      this.states.push(simpleValue);
      this.emitNode(false, false, true, true);
      return;
    }
    this.writeIndicator('?', true, false, indicatorIsIndention);
    this.states.push(value);
    this.emitNode(false, false, true, false);
  }

  private flowSequenceItem(first: boolean): void {
    if (first) this.openFlow('[');
    if (this.event.type === 'sequence-end') return this.closeFlow(']', this.v3);
    this.flowSeparator(first);
    this.states.push('flow-sequence-item');
    this.emitNode(false, true, false, false);
  }

  private flowMappingKey(first: boolean): void {
    if (first) this.openFlow('{');
    if (this.event.type === 'mapping-end') return this.closeFlow('}', false);
    this.flowSeparator(first);
    this.emitKey(false, 'flow-mapping-simple-value', 'flow-mapping-value');
  }

  private flowMappingValue(simple: boolean): void {
    if (simple) {
      this.writeIndicator(':', false, false, false);
    } else {
      if (this.column > this.bestWidth) this.writeIndent();
      this.writeIndicator(':', true, false, false);
    }
    this.states.push('flow-mapping-key');
    this.emitNode(false, false, true, false);
  }

  private blockSequenceItem(first: boolean): void {
    if (first) {
      if (this.v3) this.increaseIndent(false, false, false);
      else this.increaseIndent(false, this.mappingContext && !this.indention);
    }
    if (this.event.type === 'sequence-end') return this.closeBlock();
    this.writeIndent();
    this.writeIndicator('-', true, false, true);
    this.states.push('block-sequence-item');
    this.emitNode(false, true, false, false);
  }

  private blockMappingKey(first: boolean): void {
    if (first) this.increaseIndent(false, false);
    if (this.event.type === 'mapping-end') return this.closeBlock();
    this.writeIndent();
    this.emitKey(true, 'block-mapping-simple-value', 'block-mapping-value');
  }

  private blockMappingValue(simple: boolean): void {
    if (simple) {
      this.writeIndicator(':', false, false, false);
    } else {
      this.writeIndent();
      this.writeIndicator(':', true, false, true);
    }
    this.states.push('block-mapping-key');
    this.emitNode(false, false, true, false);
  }

  private emitNode(root: boolean, sequence: boolean, mapping: boolean, simpleKey: boolean): void {
    this.rootContext = root;
    this.sequenceContext = sequence;
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    const event = this.event;
    this.analyzeEvent(event);
    if (event.type === 'scalar') return this.emitScalar(event);
    if (event.type === 'sequence-start' || event.type === 'mapping-start') {
      this.processTag();
      const empty = this.events[this.head + 1]?.type === (event.type === 'sequence-start' ? 'sequence-end' : 'mapping-end');
      const flow = this.flowLevel > 0 || event.flow || empty;
      if (event.type === 'sequence-start') this.state = flow ? 'flow-sequence-first-item' : 'block-sequence-first-item';
      else this.state = flow ? 'flow-mapping-first-key' : 'block-mapping-first-key';
      this.next();
      return;
    }
    throw new Error(`emitter: expected a node, got ${event.type}`);
  }

  private checkSimpleKey(): boolean {
    const event = this.event;
    this.analyzeEvent(event);
    let length = this.tagHandle.length + this.tagSuffix.length;
    if (event.type === 'scalar') {
      if (this.scalar!.multiline) return false;
      length += this.scalar!.bytes;
    } else if (event.type === 'sequence-start' || event.type === 'mapping-start') {
      const endType = event.type === 'sequence-start' ? 'sequence-end' : 'mapping-end';
      if (this.events[this.head + 1]?.type !== endType) return false;
    } else {
      return false;
    }
    return length <= 128;
  }

  private analyzeEvent(event: EmitEvent): void {
    this.tagHandle = '';
    this.tagSuffix = '';
    this.scalar = undefined;
    if (!('tag' in event)) return;
    if (event.tag !== '' && !event.implicit) this.analyzeTag(event.tag);
    if (event.type === 'scalar') this.scalar = this.analyzeScalar(event.value);
  }

  private analyzeTag(tag: string): void {
    for (const directive of DEFAULT_TAG_DIRECTIVES) {
      if (tag.startsWith(directive.prefix)) {
        this.tagHandle = directive.handle;
        this.tagSuffix = tag.slice(directive.prefix.length);
        return;
      }
    }
    this.tagSuffix = tag;
  }

  private analyzeScalar(value: string): ScalarAnalysis {
    const analysis: ScalarAnalysis = {
      value,
      bytes: utf8Length(value),
      multiline: false,
      flowPlainAllowed: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
    if (value === '') return analysis;

    let blockIndicators = false;
    let flowIndicators = false;
    let lineBreaks = false;
    let specialCharacters = false;
    let tabCharacters = false;
    let leadingSpace = false;
    let leadingBreak = false;
    let trailingSpace = false;
    let trailingBreak = false;
    let breakSpace = false;
    let spaceBreak = false;
    let previousSpace = false;
    let previousBreak = false;

    if (value.startsWith('---') || value.startsWith('...')) {
      blockIndicators = true;
      flowIndicators = true;
    }
    let precededByWhitespace = true;
    const end = value.length;
    for (let i = 0; i < end; ) {
      const c = pointAt(value, i);
      const next = i + width(c);
      const last = next >= end;
      const followedByWhitespace = last || isBlank(value.charCodeAt(next));
      const classes = c < 128 ? INDICATORS[c]! : 0;
      if (i === 0) {
        if ((classes & 1) !== 0) {
          flowIndicators = true;
          blockIndicators = true;
        } else if (c === 0x3f || c === 0x3a) {
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
        } else if (c === 0x2d && followedByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      } else if ((classes & 2) !== 0) {
        flowIndicators = true;
      } else if (c === 0x3a) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === 0x23 && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }

      if (this.v3 && c === 0x09) tabCharacters = true;
      else if (!isPrintable(c)) specialCharacters = true;

      if (isSpace(c)) {
        if (i === 0) leadingSpace = true;
        if (last) trailingSpace = true;
        if (previousBreak) breakSpace = true;
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(c)) {
        lineBreaks = true;
        if (i === 0) leadingBreak = true;
        if (last) trailingBreak = true;
        if (previousSpace) spaceBreak = true;
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWhitespace = isBlankz(c);
      i = next;
    }
    analysis.multiline = lineBreaks;
    analysis.flowPlainAllowed = true;
    analysis.blockPlainAllowed = true;
    analysis.singleQuotedAllowed = true;
    analysis.blockAllowed = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      analysis.flowPlainAllowed = false;
      analysis.blockPlainAllowed = false;
    }
    if (trailingSpace) analysis.blockAllowed = false;
    if (breakSpace) {
      analysis.flowPlainAllowed = false;
      analysis.blockPlainAllowed = false;
      analysis.singleQuotedAllowed = false;
    }
    if (spaceBreak || tabCharacters || specialCharacters) {
      analysis.flowPlainAllowed = false;
      analysis.blockPlainAllowed = false;
      analysis.singleQuotedAllowed = false;
    }
    if (spaceBreak || specialCharacters) analysis.blockAllowed = false;
    if (lineBreaks) {
      analysis.flowPlainAllowed = false;
      analysis.blockPlainAllowed = false;
    }
    if (flowIndicators) analysis.flowPlainAllowed = false;
    if (blockIndicators) analysis.blockPlainAllowed = false;
    return analysis;
  }

  private selectScalarStyle(event: Extract<EmitEvent, { type: 'scalar' }>): void {
    const scalar = this.scalar!;
    const noTag = this.tagHandle === '' && this.tagSuffix === '';
    let style: EmitterScalarStyle = event.style === 'any' ? 'plain' : event.style;
    if (this.simpleKeyContext && scalar.multiline) style = 'double-quoted';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !scalar.flowPlainAllowed) || (this.flowLevel === 0 && !scalar.blockPlainAllowed)) style = 'single-quoted';
      if (scalar.value === '' && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single-quoted';
      if (noTag && !event.implicit) style = 'single-quoted';
    }
    if (style === 'single-quoted' && !scalar.singleQuotedAllowed) style = 'double-quoted';
    if ((style === 'literal' || style === 'folded') && (!scalar.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext)) style = 'double-quoted';
    if (noTag && !event.implicit && style !== 'plain') this.tagHandle = '!';
    this.scalarStyle = style;
  }

  private processTag(): void {
    if (this.tagHandle === '' && this.tagSuffix === '') return;
    if (this.tagHandle !== '') {
      if (!this.whitespace) this.put(' ');
      this.writeAll(this.tagHandle);
      this.whitespace = false;
      this.indention = false;
      if (this.tagSuffix !== '') this.writeTagContent(this.tagSuffix);
    } else {
      this.writeIndicator('!<', true, false, false);
      this.writeTagContent(this.tagSuffix);
      this.writeIndicator('>', false, false, false);
    }
  }

  private writeTagContent(value: string): void {
    for (const byte of new TextEncoder().encode(value)) {
      if (isTagUriCharacter(byte)) this.put(String.fromCharCode(byte));
      else this.writeAll(`%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
    }
    this.whitespace = false;
    this.indention = false;
  }

  private emitScalar(event: Extract<EmitEvent, { type: 'scalar' }>): void {
    this.selectScalarStyle(event);
    this.processTag();
    this.increaseIndent(true, false);
    const spaceBefore = !this.whitespace && (this.v3 && this.scalarStyle === 'plain' ? this.scalar!.value !== '' : true);
    if (event.origin) {
      this.parts.push(this.current);
      this.current = '';
    }
    const start = this.length + (spaceBefore ? 1 : 0);
    this.processScalar();
    if (event.origin) {
      this.spans.push({ start, end: this.length, origin: valueOrigin(event.origin, spaceBefore ? this.current.slice(1) : this.current) });
      this.parts.push(this.current);
      this.current = '';
    }
    this.popIndent();
    this.next();
    this.popState();
  }

  private processScalar(): void {
    const { value } = this.scalar!;
    const allowBreaks = !this.simpleKeyContext;
    switch (this.scalarStyle) {
      case 'plain':
        return this.writePlainScalar(value, allowBreaks);
      case 'single-quoted':
        return this.writeSingleQuotedScalar(value, allowBreaks);
      case 'double-quoted':
        return this.writeDoubleQuotedScalar(value, allowBreaks);
      case 'literal':
        return this.writeLiteralScalar(value);
      case 'folded':
        return this.writeFoldedScalar(value);
      case 'any':
        throw new Error('emitter: no scalar style selected');
    }
  }

  /**
   * The characters of a plain or single-quoted scalar: a space past the width becomes a line
   * break (a single-quoted scalar's first and last spaces stay), line breaks are doubled
   * into the output as YAML folds them, a single quote doubled; runs of other characters
   * are written as they are.
   */
  private writeFlowCharacters(value: string, allowBreaks: boolean, singleQuoted: boolean): void {
    let spaces = false;
    let breaks = false;
    const end = value.length;
    for (let i = 0; i < end; ) {
      const c = value.charCodeAt(i);
      if (isSpace(c)) {
        const inner = !singleQuoted || (i > 0 && i < end - 1);
        if (allowBreaks && !spaces && this.column > this.bestWidth && inner && !isSpace(value.charCodeAt(i + 1))) this.writeIndent();
        else this.put(' ');
        spaces = true;
        i++;
      } else if (isBreak(c)) {
        if (!breaks && c === LF) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
        i++;
      } else {
        if (breaks) this.writeIndent();
        if (singleQuoted && c === QUOTE) {
          this.writeAll("''");
          i++;
        } else {
          const from = i;
          let count = 0;
          for (; i < end; count++) {
            const d = value.charCodeAt(i);
            if (isSpace(d) || isBreak(d) || (singleQuoted && d === QUOTE)) break;
            i += width(pointAt(value, i));
          }
          this.writeRun(value, from, i, count);
        }
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
  }

  private writePlainScalar(value: string, allowBreaks: boolean): void {
    if (!this.whitespace && (!this.v3 || value !== '')) this.put(' ');
    this.writeFlowCharacters(value, allowBreaks, false);
    if (!this.v3 || value !== '') this.whitespace = false;
    this.indention = false;
    if (this.rootContext) this.openEnded = true;
  }

  private writeSingleQuotedScalar(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    this.writeFlowCharacters(value, allowBreaks, true);
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuotedScalar(value: string, allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    // libyaml checks for a BOM at the scalar's start, not at each character: one there escapes everything.
    const startsWithBom = value.charCodeAt(0) === BOM;
    const escaped = (c: number) => !isPrintable(c) || startsWithBom || isBreak(c) || c === 0x22 || c === 0x5c;
    const end = value.length;
    for (let i = 0; i < end; ) {
      const c = pointAt(value, i);
      if (escaped(c)) {
        this.put('\\');
        const named = DOUBLE_QUOTED_ESCAPES.get(c);
        if (named !== undefined) this.put(named);
        else {
          const [marker, digits] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
          this.writeAll(marker + c.toString(16).toUpperCase().padStart(digits, '0'));
        }
        spaces = false;
        i += width(c);
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < end - 1) {
          this.writeIndent();
          if (isSpace(value.charCodeAt(i + 1))) this.put('\\');
        } else {
          this.put(' ');
        }
        spaces = true;
        i++;
      } else {
        // Printable characters (all in the BMP) up to the next space or escape.
        const from = i;
        for (i++; i < end; i++) {
          const d = value.charCodeAt(i);
          if (isSpace(d) || escaped(pointAt(value, i))) break;
        }
        this.writeRun(value, from, i, i - from);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeBlockScalarHints(value: string): void {
    const first = value.charCodeAt(0);
    if (isSpace(first) || isBreak(first)) this.writeIndicator(String(this.bestIndent), false, false, false);
    this.openEnded = false;
    let chomp = '';
    const last = value.length - 1;
    if (value === '' || !isBreak(value.charCodeAt(last))) {
      chomp = '-';
    } else if (last === 0 || isBreak(value.charCodeAt(last - 1))) {
      chomp = '+';
      this.openEnded = true;
    }
    if (chomp) this.writeIndicator(chomp, false, false, false);
  }

  /** The characters of a block scalar's line from `i` to its line break (or the end): its end, and its characters, written as they are. */
  private writeLineRun(value: string, i: number, stopAtSpace: boolean): number {
    const from = i;
    let count = 0;
    for (; i < value.length; count++) {
      const d = value.charCodeAt(i);
      if (isBreak(d) || (stopAtSpace && isSpace(d))) break;
      i += width(pointAt(value, i));
    }
    this.writeRun(value, from, i, count);
    return i;
  }

  private writeLiteralScalar(value: string): void {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(value);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < value.length; ) {
      const c = value.charCodeAt(i);
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
        i++;
      } else {
        if (breaks) this.writeIndent();
        i = this.writeLineRun(value, i, false);
        this.indention = false;
        breaks = false;
      }
    }
  }

  private writeFoldedScalar(value: string): void {
    this.writeIndicator('>', true, false, false);
    this.writeBlockScalarHints(value);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    let leadingSpaces = true;
    for (let i = 0; i < value.length; ) {
      const c = value.charCodeAt(i);
      if (isBreak(c)) {
        if (!breaks && !leadingSpaces && c === LF) {
          // go-yaml looks at the scalar's first characters here, not at those after this break.
          let k = 0;
          while (isBreak(value.charCodeAt(k))) k++;
          if (k < value.length && !isBlankz(value.charCodeAt(k))) this.putBreak();
        }
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
        i++;
      } else {
        if (breaks) {
          this.writeIndent();
          leadingSpaces = isBlank(c);
        }
        if (isSpace(c)) {
          if (!breaks && !isSpace(value.charCodeAt(i + 1)) && this.column > this.bestWidth) this.writeIndent();
          else this.put(' ');
          i++;
        } else {
          i = this.writeLineRun(value, i, true);
        }
        this.indention = false;
        breaks = false;
      }
    }
  }
}

const DOUBLE_QUOTED_ESCAPES = new Map<number, string>([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);
