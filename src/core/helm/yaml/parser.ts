/**
 * The events of a YAML stream as go-yaml v2 parses them, from the scanner's tokens: a port
 * of libyaml's parser (go-yaml v2.4.3 `parserc.go`), with its errors and its marks.
 */
import { Scanner, YamlSyntaxError, startMark } from './scanner.js';
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

export interface ParseEvent {
  type: EventType;
  start: Mark;
  end: Mark;
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
  valueStart: Mark;
  valueEnd: Mark;
}

type State =
  | 'stream-start'
  | 'implicit-document-start'
  | 'document-start'
  | 'document-content'
  | 'document-end'
  | 'block-node'
  | 'block-node-or-indentless-sequence'
  | 'flow-node'
  | 'block-sequence-first-entry'
  | 'block-sequence-entry'
  | 'indentless-sequence-entry'
  | 'block-mapping-first-key'
  | 'block-mapping-key'
  | 'block-mapping-value'
  | 'flow-sequence-first-entry'
  | 'flow-sequence-entry'
  | 'flow-sequence-entry-mapping-key'
  | 'flow-sequence-entry-mapping-value'
  | 'flow-sequence-entry-mapping-end'
  | 'flow-mapping-first-key'
  | 'flow-mapping-key'
  | 'flow-mapping-value'
  | 'flow-mapping-empty-value'
  | 'end';

interface TagDirective {
  handle: string;
  prefix: string;
}

const DEFAULT_TAG_DIRECTIVES: readonly TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

function event(type: EventType, start: Mark, end: Mark, fields?: Partial<ParseEvent>): ParseEvent {
  const made: ParseEvent = {
    type,
    start,
    end,
    anchor: undefined,
    tag: '',
    value: '',
    implicit: false,
    quotedImplicit: false,
    style: 'plain',
    flow: false,
    valueStart: start,
    valueEnd: end,
  };
  return fields ? Object.assign(made, fields) : made;
}

function parserError(problem: string, problemMark: Mark, context = '', contextMark?: Mark): YamlSyntaxError {
  return new YamlSyntaxError('parser', problem, problemMark, context, contextMark);
}

export class Parser {
  private readonly scanner: Scanner;
  private state: State = 'stream-start';
  private readonly states: State[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: TagDirective[] = [];
  private finished = false;

  /** `text`: the stream after a leading BOM. */
  constructor(text: string) {
    this.scanner = new Scanner(text);
  }

  /** The next event; after the stream's end, `stream-end` again. */
  next(): ParseEvent {
    if (this.finished || this.state === 'end') return event('stream-end', startMark(), startMark());
    const next = this.dispatch();
    if (next.type === 'stream-end') this.finished = true;
    return next;
  }

  private peek(): Token {
    return this.scanner.peek();
  }

  private skip(): void {
    this.scanner.skipToken();
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  private dispatch(): ParseEvent {
    switch (this.state) {
      case 'stream-start':
        return this.parseStreamStart();
      case 'implicit-document-start':
        return this.parseDocumentStart(true);
      case 'document-start':
        return this.parseDocumentStart(false);
      case 'document-content':
        return this.parseDocumentContent();
      case 'document-end':
        return this.parseDocumentEnd();
      case 'block-node':
        return this.parseNode(true, false);
      case 'block-node-or-indentless-sequence':
        return this.parseNode(true, true);
      case 'flow-node':
        return this.parseNode(false, false);
      case 'block-sequence-first-entry':
        return this.parseBlockSequenceEntry(true);
      case 'block-sequence-entry':
        return this.parseBlockSequenceEntry(false);
      case 'indentless-sequence-entry':
        return this.parseIndentlessSequenceEntry();
      case 'block-mapping-first-key':
        return this.parseBlockMappingKey(true);
      case 'block-mapping-key':
        return this.parseBlockMappingKey(false);
      case 'block-mapping-value':
        return this.parseBlockMappingValue();
      case 'flow-sequence-first-entry':
        return this.parseFlowSequenceEntry(true);
      case 'flow-sequence-entry':
        return this.parseFlowSequenceEntry(false);
      case 'flow-sequence-entry-mapping-key':
        return this.parseFlowSequenceEntryMappingKey();
      case 'flow-sequence-entry-mapping-value':
        return this.parseFlowSequenceEntryMappingValue();
      case 'flow-sequence-entry-mapping-end':
        return this.parseFlowSequenceEntryMappingEnd();
      case 'flow-mapping-first-key':
        return this.parseFlowMappingKey(true);
      case 'flow-mapping-key':
        return this.parseFlowMappingKey(false);
      case 'flow-mapping-value':
        return this.parseFlowMappingValue(false);
      case 'flow-mapping-empty-value':
        return this.parseFlowMappingValue(true);
      case 'end':
        throw new Error('parser: no events after the end of the stream');
    }
  }

  private parseStreamStart(): ParseEvent {
    const token = this.peek();
    if (token.type !== 'stream-start') throw parserError('did not find expected <stream-start>', token.start);
    this.state = 'implicit-document-start';
    this.skip();
    return event('stream-start', token.start, token.end);
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
      this.states.push('document-end');
      this.state = 'block-node';
      return event('document-start', token.start, token.end, { implicit: true });
    }
    if (token.type !== 'stream-end') {
      const start = token.start;
      this.processDirectives();
      token = this.peek();
      if (token.type !== 'document-start') throw parserError('did not find expected <document start>', token.start);
      this.states.push('document-end');
      this.state = 'document-content';
      const end = token.end;
      this.skip();
      return event('document-start', start, end, { implicit: false });
    }
    this.state = 'end';
    this.skip();
    return event('stream-end', token.start, token.end);
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
      return emptyScalar(token.start);
    }
    return this.parseNode(true, false);
  }

  private parseDocumentEnd(): ParseEvent {
    const token = this.peek();
    const start = token.start;
    let end = token.start;
    let implicit = true;
    if (token.type === 'document-end') {
      end = token.end;
      this.skip();
      implicit = false;
    }
    this.tagDirectives = [];
    this.state = 'document-start';
    return event('document-end', start, end, { implicit });
  }

  private parseNode(block: boolean, indentlessSequence: boolean): ParseEvent {
    let token = this.peek();
    if (token.type === 'alias') {
      this.popState();
      this.skip();
      return event('alias', token.start, token.end, { anchor: token.value });
    }
    let start = token.start;
    let end = token.start;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let anchor: string | undefined;
    let tagMark = token.start;
    if (token.type === 'anchor') {
      anchor = token.value;
      start = token.start;
      end = token.end;
      this.skip();
      token = this.peek();
      if (token.type === 'tag') {
        tagToken = true;
        tagHandle = token.value;
        tagSuffix = token.suffix;
        tagMark = token.start;
        end = token.end;
        this.skip();
        token = this.peek();
      }
    } else if (token.type === 'tag') {
      tagToken = true;
      tagHandle = token.value;
      tagSuffix = token.suffix;
      start = token.start;
      tagMark = token.start;
      end = token.end;
      this.skip();
      token = this.peek();
      if (token.type === 'anchor') {
        anchor = token.value;
        end = token.end;
        this.skip();
        token = this.peek();
      }
    }

    let tag = '';
    if (tagToken) {
      if (tagHandle === '') {
        tag = tagSuffix;
      } else {
        const directive = this.tagDirectives.find((d) => d.handle === tagHandle);
        if (directive) tag = directive.prefix + tagSuffix;
        if (tag === '') throw parserError('found undefined tag handle', tagMark, 'while parsing a node', start);
      }
    }

    const implicit = tag === '';
    if (indentlessSequence && token.type === 'block-entry') {
      end = token.end;
      this.state = 'indentless-sequence-entry';
      return event('sequence-start', start, end, { anchor, tag, implicit });
    }
    if (token.type === 'scalar') {
      let plainImplicit = false;
      let quotedImplicit = false;
      end = token.end;
      if ((tag === '' && token.style === 'plain') || tag === '!') plainImplicit = true;
      else if (tag === '') quotedImplicit = true;
      this.popState();
      this.skip();
      return event('scalar', start, end, {
        anchor,
        tag,
        value: token.value,
        implicit: plainImplicit,
        quotedImplicit,
        style: token.style,
        valueStart: token.start,
        valueEnd: token.end,
      });
    }
    if (token.type === 'flow-sequence-start') {
      end = token.end;
      this.state = 'flow-sequence-first-entry';
      return event('sequence-start', start, end, { anchor, tag, implicit, flow: true });
    }
    if (token.type === 'flow-mapping-start') {
      end = token.end;
      this.state = 'flow-mapping-first-key';
      return event('mapping-start', start, end, { anchor, tag, implicit, flow: true });
    }
    if (block && token.type === 'block-sequence-start') {
      end = token.end;
      this.state = 'block-sequence-first-entry';
      return event('sequence-start', start, end, { anchor, tag, implicit });
    }
    if (block && token.type === 'block-mapping-start') {
      end = token.end;
      this.state = 'block-mapping-first-key';
      return event('mapping-start', start, end, { anchor, tag, implicit });
    }
    if (anchor !== undefined || tag !== '') {
      this.popState();
      return event('scalar', start, end, { anchor, tag, implicit, valueStart: end, valueEnd: end });
    }
    throw parserError('did not find expected node content', token.start, block ? 'while parsing a block node' : 'while parsing a flow node', start);
  }

  /** After an indicator (`-`, `?`, `:`): the node that follows, or an empty scalar where the indicator ends when the next token is one of `ends`. */
  private nodeAfterIndicator(ends: readonly TokenType[], next: State, indentlessSequence: boolean): ParseEvent {
    const mark = this.peek().end;
    this.skip();
    if (!ends.includes(this.peek().type)) {
      this.states.push(next);
      return this.parseNode(true, indentlessSequence);
    }
    this.state = next;
    return emptyScalar(mark);
  }

  /** A collection's end token: its end event, back to the state before the collection. */
  private endCollection(type: 'sequence-end' | 'mapping-end', token: Token): ParseEvent {
    this.popState();
    this.marks.pop();
    this.skip();
    return event(type, token.start, token.end);
  }

  private startCollection(first: boolean): void {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
  }

  private parseBlockSequenceEntry(first: boolean): ParseEvent {
    this.startCollection(first);
    const token = this.peek();
    if (token.type === 'block-entry') return this.nodeAfterIndicator(['block-entry', 'block-end'], 'block-sequence-entry', false);
    if (token.type === 'block-end') return this.endCollection('sequence-end', token);
    const context = this.marks.pop()!;
    throw parserError("did not find expected '-' indicator", token.start, 'while parsing a block collection', context);
  }

  private parseIndentlessSequenceEntry(): ParseEvent {
    const token = this.peek();
    if (token.type === 'block-entry') return this.nodeAfterIndicator(['block-entry', 'key', 'value', 'block-end'], 'indentless-sequence-entry', false);
    this.popState();
    return event('sequence-end', token.start, token.start);
  }

  private parseBlockMappingKey(first: boolean): ParseEvent {
    this.startCollection(first);
    const token = this.peek();
    if (token.type === 'key') return this.nodeAfterIndicator(['key', 'value', 'block-end'], 'block-mapping-value', true);
    if (token.type === 'block-end') return this.endCollection('mapping-end', token);
    const context = this.marks.pop()!;
    throw parserError('did not find expected key', token.start, 'while parsing a block mapping', context);
  }

  private parseBlockMappingValue(): ParseEvent {
    const token = this.peek();
    if (token.type === 'value') return this.nodeAfterIndicator(['key', 'value', 'block-end'], 'block-mapping-key', true);
    this.state = 'block-mapping-key';
    return emptyScalar(token.start);
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
          const context = this.marks.pop()!;
          throw parserError("did not find expected ',' or ']'", token.start, 'while parsing a flow sequence', context);
        }
      }
      if (token.type === 'key') {
        this.state = 'flow-sequence-entry-mapping-key';
        this.skip();
        return event('mapping-start', token.start, token.end, { implicit: true, flow: true });
      }
      if (token.type !== 'flow-sequence-end') {
        this.states.push('flow-sequence-entry');
        return this.parseNode(false, false);
      }
    }
    return this.endCollection('sequence-end', token);
  }

  private parseFlowSequenceEntryMappingKey(): ParseEvent {
    const token = this.peek();
    if (token.type !== 'value' && token.type !== 'flow-entry' && token.type !== 'flow-sequence-end') {
      this.states.push('flow-sequence-entry-mapping-value');
      return this.parseNode(false, false);
    }
    const mark = token.end;
    this.skip();
    this.state = 'flow-sequence-entry-mapping-value';
    return emptyScalar(mark);
  }

  private parseFlowSequenceEntryMappingValue(): ParseEvent {
    let token = this.peek();
    if (token.type === 'value') {
      this.skip();
      token = this.peek();
      if (token.type !== 'flow-entry' && token.type !== 'flow-sequence-end') {
        this.states.push('flow-sequence-entry-mapping-end');
        return this.parseNode(false, false);
      }
    }
    this.state = 'flow-sequence-entry-mapping-end';
    return emptyScalar(token.start);
  }

  private parseFlowSequenceEntryMappingEnd(): ParseEvent {
    const token = this.peek();
    this.state = 'flow-sequence-entry';
    return event('mapping-end', token.start, token.start);
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
          const context = this.marks.pop()!;
          throw parserError("did not find expected ',' or '}'", token.start, 'while parsing a flow mapping', context);
        }
      }
      if (token.type === 'key') {
        this.skip();
        token = this.peek();
        if (token.type !== 'value' && token.type !== 'flow-entry' && token.type !== 'flow-mapping-end') {
          this.states.push('flow-mapping-value');
          return this.parseNode(false, false);
        }
        this.state = 'flow-mapping-value';
        return emptyScalar(token.start);
      }
      if (token.type !== 'flow-mapping-end') {
        this.states.push('flow-mapping-empty-value');
        return this.parseNode(false, false);
      }
    }
    return this.endCollection('mapping-end', token);
  }

  private parseFlowMappingValue(empty: boolean): ParseEvent {
    let token = this.peek();
    if (empty) {
      this.state = 'flow-mapping-key';
      return emptyScalar(token.start);
    }
    if (token.type === 'value') {
      this.skip();
      token = this.peek();
      if (token.type !== 'flow-entry' && token.type !== 'flow-mapping-end') {
        this.states.push('flow-mapping-key');
        return this.parseNode(false, false);
      }
    }
    this.state = 'flow-mapping-key';
    return emptyScalar(token.start);
  }

  private processDirectives(): void {
    let token = this.peek();
    let versionSeen = false;
    const declared: TagDirective[] = [];
    while (token.type === 'version-directive' || token.type === 'tag-directive') {
      if (token.type === 'version-directive') {
        if (versionSeen) throw parserError('found duplicate %YAML directive', token.start);
        if (token.major !== 1 || token.minor !== 1) throw parserError('found incompatible YAML document', token.start);
        versionSeen = true;
      } else {
        const directive = { handle: token.value, prefix: token.prefix };
        this.appendTagDirective(directive, false, token.start);
        declared.push(directive);
      }
      this.skip();
      token = this.peek();
    }
    for (const directive of DEFAULT_TAG_DIRECTIVES) this.appendTagDirective(directive, true, token.start);
  }

  private appendTagDirective(directive: TagDirective, allowDuplicates: boolean, mark: Mark): void {
    if (this.tagDirectives.some((d) => d.handle === directive.handle)) {
      if (allowDuplicates) return;
      throw parserError('found duplicate %TAG directive', mark);
    }
    this.tagDirectives.push({ ...directive });
  }
}

function emptyScalar(mark: Mark): ParseEvent {
  return event('scalar', mark, mark, { implicit: true });
}
