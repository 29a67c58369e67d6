/**
 * The events of a YAML stream as go-yaml v2 parses them, from the scanner's tokens: a port
 * of libyaml's parser (go-yaml v2.4.3 `parserc.go`), with its errors and its marks.
 */
import { Scanner, YamlSyntaxError, tokenStart } from './scanner.js';
import type { Mark, ScalarStyle, Token, TokenType } from './scanner.js';

export type EventType =
  | 'stream-start'
  | 'stream-end'
  | 'document-start'
  | 'document-end'
  | 'alias'
  | 'scalar'
  | 'sequence-start'
  | 'sequence-end'
  | 'mapping-start'
  | 'mapping-end';

/**
 * An event. The parser has one, filled again by every `next`: the composer reads each event
 * before it asks for the next one, and events are as many as tokens. Extents are offsets in
 * the text (what anything reads of an event's marks; errors carry the tokens' marks).
 */
export interface ParseEvent {
  type: EventType;
  start: number;
  end: number;
  /** An alias's anchor name, or a node's anchor. */
  anchor: string | undefined;
  /** The resolved tag (`tag:yaml.org,2002:str`), empty when none was written. */
  tag: string;
  value: string;
  /** libyaml's `implicit` (plain_implicit for scalars). */
  implicit: boolean;
  quotedImplicit: boolean;
  style: ScalarStyle;
  flow: boolean;
  /** A scalar's own extent, without its anchor and tag; an empty scalar's is empty. */
  valueStart: number;
  valueEnd: number;
}

/** The parser's states (libyaml's), as numbers: it dispatches on one at every event. */
const State = {
  StreamStart: 0,
  ImplicitDocumentStart: 1,
  DocumentStart: 2,
  DocumentContent: 3,
  DocumentEnd: 4,
  BlockNode: 5,
  BlockSequenceFirstEntry: 6,
  BlockSequenceEntry: 7,
  IndentlessSequenceEntry: 8,
  BlockMappingFirstKey: 9,
  BlockMappingKey: 10,
  BlockMappingValue: 11,
  FlowSequenceFirstEntry: 12,
  FlowSequenceEntry: 13,
  FlowSequenceEntryMappingKey: 14,
  FlowSequenceEntryMappingValue: 15,
  FlowSequenceEntryMappingEnd: 16,
  FlowMappingFirstKey: 17,
  FlowMappingKey: 18,
  FlowMappingValue: 19,
  FlowMappingEmptyValue: 20,
  End: 21,
} as const;
type State = (typeof State)[keyof typeof State];

interface TagDirective {
  handle: string;
  prefix: string;
}

const DEFAULT_TAG_DIRECTIVES: readonly TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

/** The tokens after which an indicator (`-`, `?`, `:`) has no node: an empty scalar is its node. */
const BLOCK_SEQUENCE_ENDS: readonly TokenType[] = ['block-entry', 'block-end'];
const INDENTLESS_SEQUENCE_ENDS: readonly TokenType[] = ['block-entry', 'key', 'value', 'block-end'];
const BLOCK_MAPPING_ENDS: readonly TokenType[] = ['key', 'value', 'block-end'];

function parserError(problem: string, problemMark: Mark, context = '', contextMark?: Mark): YamlSyntaxError {
  return new YamlSyntaxError('parser', problem, problemMark, context, contextMark);
}

export class Parser {
  private readonly scanner: Scanner;
  private state: State = State.StreamStart;
  private readonly states: State[] = [];
  /** Where each open block or flow collection starts, for errors: a Mark's index, line, column and offset, four numbers each, `marksLength` of them in use. */
  private readonly marks: number[] = [];
  private marksLength = 0;
  private tagDirectives: TagDirective[] = [];
  private finished = false;
  private readonly event: ParseEvent = {
    type: 'stream-start',
    start: 0,
    end: 0,
    anchor: undefined,
    tag: '',
    value: '',
    implicit: false,
    quotedImplicit: false,
    style: 'plain',
    flow: false,
    valueStart: 0,
    valueEnd: 0,
  };

  /** `text`: the stream after a leading BOM. */
  constructor(text: string) {
    this.scanner = new Scanner(text);
  }

  /** The next event (the parser's one event, filled again); after the stream's end, `stream-end` again. */
  next(): ParseEvent {
    if (this.finished || this.state === State.End) return this.emit('stream-end', 0, 0);
    const next = this.dispatch();
    if (next.type === 'stream-end') this.finished = true;
    return next;
  }

  /** The event of `type` from `start` to `end`, its other fields empty. */
  private emit(type: EventType, start: number, end: number): ParseEvent {
    const event = this.event;
    event.type = type;
    event.start = start;
    event.end = end;
    event.anchor = undefined;
    event.tag = '';
    event.value = '';
    event.implicit = false;
    event.quotedImplicit = false;
    event.style = 'plain';
    event.flow = false;
    event.valueStart = start;
    event.valueEnd = end;
    return event;
  }

  private emptyScalar(offset: number): ParseEvent {
    const event = this.emit('scalar', offset, offset);
    event.implicit = true;
    return event;
  }

  /** The next token: it is as it is until the next `peek` after `skip`. */
  private peek(): Token {
    return this.scanner.peek();
  }

  private skip(): void {
    this.scanner.skipToken();
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  private pushMark(token: Token): void {
    const at = this.marksLength;
    this.marks[at] = token.startIndex;
    this.marks[at + 1] = token.startLine;
    this.marks[at + 2] = token.startColumn;
    this.marks[at + 3] = token.startOffset;
    this.marksLength += 4;
  }

  private popMark(): Mark {
    this.marksLength -= 4;
    const at = this.marksLength;
    return { index: this.marks[at]!, line: this.marks[at + 1]!, column: this.marks[at + 2]!, offset: this.marks[at + 3]! };
  }

  private dispatch(): ParseEvent {
    switch (this.state) {
      case State.StreamStart:
        return this.parseStreamStart();
      case State.ImplicitDocumentStart:
        return this.parseDocumentStart(true);
      case State.DocumentStart:
        return this.parseDocumentStart(false);
      case State.DocumentContent:
        return this.parseDocumentContent();
      case State.DocumentEnd:
        return this.parseDocumentEnd();
      case State.BlockNode:
        return this.parseNode(true, false);
      case State.BlockSequenceFirstEntry:
        return this.parseBlockSequenceEntry(true);
      case State.BlockSequenceEntry:
        return this.parseBlockSequenceEntry(false);
      case State.IndentlessSequenceEntry:
        return this.parseIndentlessSequenceEntry();
      case State.BlockMappingFirstKey:
        return this.parseBlockMappingKey(true);
      case State.BlockMappingKey:
        return this.parseBlockMappingKey(false);
      case State.BlockMappingValue:
        return this.parseBlockMappingValue();
      case State.FlowSequenceFirstEntry:
        return this.parseFlowSequenceEntry(true);
      case State.FlowSequenceEntry:
        return this.parseFlowSequenceEntry(false);
      case State.FlowSequenceEntryMappingKey:
        return this.parseFlowSequenceEntryMappingKey();
      case State.FlowSequenceEntryMappingValue:
        return this.parseFlowSequenceEntryMappingValue();
      case State.FlowSequenceEntryMappingEnd:
        return this.parseFlowSequenceEntryMappingEnd();
      case State.FlowMappingFirstKey:
        return this.parseFlowMappingKey(true);
      case State.FlowMappingKey:
        return this.parseFlowMappingKey(false);
      case State.FlowMappingValue:
        return this.parseFlowMappingValue(false);
      case State.FlowMappingEmptyValue:
        return this.parseFlowMappingValue(true);
      case State.End:
        throw new Error('parser: no events after the end of the stream');
    }
  }

  private parseStreamStart(): ParseEvent {
    const token = this.peek();
    if (token.type !== 'stream-start') throw parserError('did not find expected <stream-start>', tokenStart(token));
    this.state = State.ImplicitDocumentStart;
    const event = this.emit('stream-start', token.startOffset, token.endOffset);
    this.skip();
    return event;
  }

  private parseDocumentStart(implicit: boolean): ParseEvent {
    let token = this.peek();
    if (!implicit) {
      while (token.type === 'document-end') {
        this.skip();
        token = this.peek();
      }
    }
    if (implicit && token.type !== 'version-directive' && token.type !== 'tag-directive' && token.type !== 'document-start' && token.type !== 'stream-end') {
      this.processDirectives();
      this.states.push(State.DocumentEnd);
      this.state = State.BlockNode;
      const event = this.emit('document-start', token.startOffset, token.endOffset);
      event.implicit = true;
      return event;
    }
    if (token.type !== 'stream-end') {
      const start = token.startOffset;
      this.processDirectives();
      token = this.peek();
      if (token.type !== 'document-start') throw parserError('did not find expected <document start>', tokenStart(token));
      this.states.push(State.DocumentEnd);
      this.state = State.DocumentContent;
      const event = this.emit('document-start', start, token.endOffset);
      this.skip();
      return event;
    }
    this.state = State.End;
    const event = this.emit('stream-end', token.startOffset, token.endOffset);
    this.skip();
    return event;
  }

  private parseDocumentContent(): ParseEvent {
    const token = this.peek();
    if (
      token.type === 'version-directive' ||
      token.type === 'tag-directive' ||
      token.type === 'document-start' ||
      token.type === 'document-end' ||
      token.type === 'stream-end'
    ) {
      this.popState();
      return this.emptyScalar(token.startOffset);
    }
    return this.parseNode(true, false);
  }

  private parseDocumentEnd(): ParseEvent {
    const token = this.peek();
    const start = token.startOffset;
    let end = token.startOffset;
    let implicit = true;
    if (token.type === 'document-end') {
      end = token.endOffset;
      this.skip();
      implicit = false;
    }
    this.tagDirectives = [];
    this.state = State.DocumentStart;
    const event = this.emit('document-end', start, end);
    event.implicit = implicit;
    return event;
  }

  private parseNode(block: boolean, indentlessSequence: boolean): ParseEvent {
    let token = this.peek();
    if (token.type === 'alias') {
      this.popState();
      const event = this.emit('alias', token.startOffset, token.endOffset);
      event.anchor = token.value;
      this.skip();
      return event;
    }
    // The node's first token when it is an anchor or a tag, which are skipped before its content.
    let properties: Mark | undefined;
    let end = token.startOffset;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let anchor: string | undefined;
    let tagMark: Mark | undefined;
    if (token.type === 'anchor') {
      anchor = token.value;
      properties = tokenStart(token);
      end = token.endOffset;
      this.skip();
      token = this.peek();
      if (token.type === 'tag') {
        tagToken = true;
        tagHandle = token.value;
        tagSuffix = token.suffix;
        tagMark = tokenStart(token);
        end = token.endOffset;
        this.skip();
        token = this.peek();
      }
    } else if (token.type === 'tag') {
      tagToken = true;
      tagHandle = token.value;
      tagSuffix = token.suffix;
      properties = tokenStart(token);
      tagMark = properties;
      end = token.endOffset;
      this.skip();
      token = this.peek();
      if (token.type === 'anchor') {
        anchor = token.value;
        end = token.endOffset;
        this.skip();
        token = this.peek();
      }
    }
    const start = properties ? properties.offset : token.startOffset;

    let tag = '';
    if (tagToken) {
      if (tagHandle === '') {
        tag = tagSuffix;
      } else {
        const directive = this.tagDirectives.find((d) => d.handle === tagHandle);
        if (directive) tag = directive.prefix + tagSuffix;
        if (tag === '') throw parserError('found undefined tag handle', tagMark!, 'while parsing a node', properties);
      }
    }

    const implicit = tag === '';
    let collection: EventType | undefined;
    if (indentlessSequence && token.type === 'block-entry') {
      collection = 'sequence-start';
      this.state = State.IndentlessSequenceEntry;
    } else if (token.type === 'scalar') {
      this.popState();
      const event = this.emit('scalar', start, token.endOffset);
      event.anchor = anchor;
      event.tag = tag;
      event.value = token.value;
      if ((tag === '' && token.style === 'plain') || tag === '!') event.implicit = true;
      else if (tag === '') event.quotedImplicit = true;
      event.style = token.style;
      event.valueStart = token.startOffset;
      event.valueEnd = token.endOffset;
      this.skip();
      return event;
    } else if (token.type === 'flow-sequence-start') {
      collection = 'sequence-start';
      this.state = State.FlowSequenceFirstEntry;
    } else if (token.type === 'flow-mapping-start') {
      collection = 'mapping-start';
      this.state = State.FlowMappingFirstKey;
    } else if (block && token.type === 'block-sequence-start') {
      collection = 'sequence-start';
      this.state = State.BlockSequenceFirstEntry;
    } else if (block && token.type === 'block-mapping-start') {
      collection = 'mapping-start';
      this.state = State.BlockMappingFirstKey;
    }
    if (collection !== undefined) {
      const event = this.emit(collection, start, token.endOffset);
      event.anchor = anchor;
      event.tag = tag;
      event.implicit = implicit;
      event.flow = token.type === 'flow-sequence-start' || token.type === 'flow-mapping-start';
      return event;
    }
    if (anchor !== undefined || tag !== '') {
      this.popState();
      const event = this.emit('scalar', start, end);
      event.anchor = anchor;
      event.tag = tag;
      event.implicit = implicit;
      event.valueStart = end;
      event.valueEnd = end;
      return event;
    }
    throw parserError('did not find expected node content', tokenStart(token), block ? 'while parsing a block node' : 'while parsing a flow node', properties ?? tokenStart(token));
  }

  /** After an indicator (`-`, `?`, `:`): the node that follows, or an empty scalar where the indicator ends when the next token is one of `ends`. */
  private nodeAfterIndicator(ends: readonly TokenType[], next: State, indentlessSequence: boolean): ParseEvent {
    const offset = this.peek().endOffset;
    this.skip();
    if (!ends.includes(this.peek().type)) {
      this.states.push(next);
      return this.parseNode(true, indentlessSequence);
    }
    this.state = next;
    return this.emptyScalar(offset);
  }

  /** A collection's end token: its end event, back to the state before the collection. */
  private endCollection(type: 'sequence-end' | 'mapping-end', token: Token): ParseEvent {
    this.popState();
    this.marksLength -= 4;
    const event = this.emit(type, token.startOffset, token.endOffset);
    this.skip();
    return event;
  }

  private startCollection(first: boolean): void {
    if (first) {
      this.pushMark(this.peek());
      this.skip();
    }
  }

  private parseBlockSequenceEntry(first: boolean): ParseEvent {
    this.startCollection(first);
    const token = this.peek();
    if (token.type === 'block-entry') return this.nodeAfterIndicator(BLOCK_SEQUENCE_ENDS, State.BlockSequenceEntry, false);
    if (token.type === 'block-end') return this.endCollection('sequence-end', token);
    throw parserError("did not find expected '-' indicator", tokenStart(token), 'while parsing a block collection', this.popMark());
  }

  private parseIndentlessSequenceEntry(): ParseEvent {
    const token = this.peek();
    if (token.type === 'block-entry') return this.nodeAfterIndicator(INDENTLESS_SEQUENCE_ENDS, State.IndentlessSequenceEntry, false);
    this.popState();
    return this.emit('sequence-end', token.startOffset, token.startOffset);
  }

  private parseBlockMappingKey(first: boolean): ParseEvent {
    this.startCollection(first);
    const token = this.peek();
    if (token.type === 'key') return this.nodeAfterIndicator(BLOCK_MAPPING_ENDS, State.BlockMappingValue, true);
    if (token.type === 'block-end') return this.endCollection('mapping-end', token);
    throw parserError('did not find expected key', tokenStart(token), 'while parsing a block mapping', this.popMark());
  }

  private parseBlockMappingValue(): ParseEvent {
    const token = this.peek();
    if (token.type === 'value') return this.nodeAfterIndicator(BLOCK_MAPPING_ENDS, State.BlockMappingKey, true);
    this.state = State.BlockMappingKey;
    return this.emptyScalar(token.startOffset);
  }

  private parseFlowSequenceEntry(first: boolean): ParseEvent {
    this.startCollection(first);
    let token = this.peek();
    if (token.type !== 'flow-sequence-end') {
      if (!first) {
        if (token.type === 'flow-entry') {
          this.skip();
          token = this.peek();
        } else {
          throw parserError("did not find expected ',' or ']'", tokenStart(token), 'while parsing a flow sequence', this.popMark());
        }
      }
      if (token.type === 'key') {
        this.state = State.FlowSequenceEntryMappingKey;
        const event = this.emit('mapping-start', token.startOffset, token.endOffset);
        event.implicit = true;
        event.flow = true;
        this.skip();
        return event;
      }
      if (token.type !== 'flow-sequence-end') {
        this.states.push(State.FlowSequenceEntry);
        return this.parseNode(false, false);
      }
    }
    return this.endCollection('sequence-end', token);
  }

  private parseFlowSequenceEntryMappingKey(): ParseEvent {
    const token = this.peek();
    if (token.type !== 'value' && token.type !== 'flow-entry' && token.type !== 'flow-sequence-end') {
      this.states.push(State.FlowSequenceEntryMappingValue);
      return this.parseNode(false, false);
    }
    const offset = token.endOffset;
    this.skip();
    this.state = State.FlowSequenceEntryMappingValue;
    return this.emptyScalar(offset);
  }

  private parseFlowSequenceEntryMappingValue(): ParseEvent {
    let token = this.peek();
    if (token.type === 'value') {
      this.skip();
      token = this.peek();
      if (token.type !== 'flow-entry' && token.type !== 'flow-sequence-end') {
        this.states.push(State.FlowSequenceEntryMappingEnd);
        return this.parseNode(false, false);
      }
    }
    this.state = State.FlowSequenceEntryMappingEnd;
    return this.emptyScalar(token.startOffset);
  }

  private parseFlowSequenceEntryMappingEnd(): ParseEvent {
    const token = this.peek();
    this.state = State.FlowSequenceEntry;
    return this.emit('mapping-end', token.startOffset, token.startOffset);
  }

  private parseFlowMappingKey(first: boolean): ParseEvent {
    this.startCollection(first);
    let token = this.peek();
    if (token.type !== 'flow-mapping-end') {
      if (!first) {
        if (token.type === 'flow-entry') {
          this.skip();
          token = this.peek();
        } else {
          throw parserError("did not find expected ',' or '}'", tokenStart(token), 'while parsing a flow mapping', this.popMark());
        }
      }
      if (token.type === 'key') {
        this.skip();
        token = this.peek();
        if (token.type !== 'value' && token.type !== 'flow-entry' && token.type !== 'flow-mapping-end') {
          this.states.push(State.FlowMappingValue);
          return this.parseNode(false, false);
        }
        this.state = State.FlowMappingValue;
        return this.emptyScalar(token.startOffset);
      }
      if (token.type !== 'flow-mapping-end') {
        this.states.push(State.FlowMappingEmptyValue);
        return this.parseNode(false, false);
      }
    }
    return this.endCollection('mapping-end', token);
  }

  private parseFlowMappingValue(empty: boolean): ParseEvent {
    let token = this.peek();
    if (empty) {
      this.state = State.FlowMappingKey;
      return this.emptyScalar(token.startOffset);
    }
    if (token.type === 'value') {
      this.skip();
      token = this.peek();
      if (token.type !== 'flow-entry' && token.type !== 'flow-mapping-end') {
        this.states.push(State.FlowMappingKey);
        return this.parseNode(false, false);
      }
    }
    this.state = State.FlowMappingKey;
    return this.emptyScalar(token.startOffset);
  }

  private processDirectives(): void {
    let token = this.peek();
    let versionSeen = false;
    while (token.type === 'version-directive' || token.type === 'tag-directive') {
      if (token.type === 'version-directive') {
        if (versionSeen) throw parserError('found duplicate %YAML directive', tokenStart(token));
        if (token.major !== 1 || token.minor !== 1) throw parserError('found incompatible YAML document', tokenStart(token));
        versionSeen = true;
      } else {
        this.appendTagDirective({ handle: token.value, prefix: token.prefix }, false, tokenStart(token));
      }
      this.skip();
      token = this.peek();
    }
    for (const directive of DEFAULT_TAG_DIRECTIVES) this.appendTagDirective(directive, true, tokenStart(token));
  }

  private appendTagDirective(directive: TagDirective, allowDuplicates: boolean, mark: Mark): void {
    if (this.tagDirectives.some((d) => d.handle === directive.handle)) {
      if (allowDuplicates) return;
      throw parserError('found duplicate %TAG directive', mark);
    }
    this.tagDirectives.push({ ...directive });
  }
}
