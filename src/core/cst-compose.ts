import { CST, Document, Parser, isScalar } from 'yaml';
import type { ScalarTag } from 'yaml';
import { MAX_NESTING, NestingTooDeepError, YAML_PARSE_OPTIONS, setPlainEntry } from './yaml-tree.js';
import type { PairNode, TreeNode } from './yaml-tree.js';

/**
 * Composes the documents of a file straight from yaml's CST into plain values, and notes
 * where each node is, for the light trees of the few documents whose findings need source
 * ranges; yaml's `Document` nodes are skipped: composing them is over a third of a parse,
 * and a lint run would keep them all in memory to the end.
 *
 * This covers the YAML that manifests are written in: block and flow collections (JSON
 * too), plain, quoted and block scalars, comments. On anything else (anchors, aliases,
 * tags, merge keys, directives, tabs, explicit keys, pairs inside flow sequences)
 * or on anything yaml's composer would call an error, it gives up and the caller composes
 * the file with yaml itself, which then also gives the error messages. So a document this
 * accepts has exactly the value and ranges yaml would give it (test/cst-compose.test.ts
 * checks that against yaml on fixtures and on generated text), and the choices of when to
 * give up mirror yaml's `compose/*.js`, erring on the side of giving up. Nesting deeper
 * than MAX_NESTING is refused outright, here and (`checkNesting`) before yaml recurses.
 */

/** Thrown to give the file to yaml's composer. */
const unsupported = new Error('outside the subset composed from the CST');

/** Throws NestingTooDeepError for a file with collections nested deeper than MAX_NESTING, walking yaml's CST without recursion. */
export function checkNesting(text: string): void {
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document' || !token.value) continue;
    const pending: [CST.Token, number][] = [[token.value, 1]];
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [node, depth] = next;
      if (node.type !== 'block-map' && node.type !== 'block-seq' && node.type !== 'flow-collection') continue;
      if (depth > MAX_NESTING) throw new NestingTooDeepError();
      for (const item of node.items) {
        if ('key' in item && item.key) pending.push([item.key, depth + 1]);
        if (item.value) pending.push([item.value, depth + 1]);
      }
    }
  }
}

function giveUp(): never {
  throw unsupported;
}

// The same schema and options as `parseAllDocuments(text, YAML_PARSE_OPTIONS)`, so plain scalars
// resolve to exactly the same values (null, booleans, numbers in every notation).
const schemaDocument = new Document(null, YAML_PARSE_OPTIONS);
const resolveOptions = schemaDocument.options;
const plainScalarTags = schemaDocument.schema.tags.filter(
  (tag): tag is ScalarTag & { test: RegExp } => tag.default === true && 'test' in tag && tag.test instanceof RegExp,
);
/** `<<` is a merge key only in key position; merges are left to yaml. */
const keyOnlyTagTests = schemaDocument.schema.tags.filter((tag) => tag.default === 'key' && 'test' in tag && tag.test).map((tag) => (tag as ScalarTag).test!);

type Token = CST.Token;
type SourceToken = CST.SourceToken;

interface Props {
  found: SourceToken | null;
  comma: SourceToken | null;
  hasNewline: boolean;
  hasComment: boolean;
  /** Where the tokens end: the offset after the last one, or `offset` when there are none. */
  end: number;
}

/** yaml's `resolveProps` for tokens without anchors or tags. */
function readProps(tokens: SourceToken[], indicator: SourceToken['type'], offset: number, startOnNewline: boolean, flow: boolean): Props {
  let hasSpace = startOnNewline;
  let hasNewline = false;
  let hasComment = false;
  let found: SourceToken | null = null;
  let comma: SourceToken | null = null;
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        // Tabs are indentation errors in some places and not in others: leave them to yaml.
        if (token.source.includes('\t')) giveUp();
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) giveUp();
        hasComment = true;
        break;
      case 'newline':
        hasNewline = true;
        hasSpace = true;
        break;
      case indicator:
        if (found) giveUp();
        found = token;
        hasSpace = false;
        break;
      case 'comma':
        if (!flow || comma) giveUp();
        comma = token;
        hasSpace = false;
        break;
      default:
        giveUp();
    }
  }
  const last = tokens[tokens.length - 1];
  return { found, comma, hasNewline, hasComment, end: last ? last.offset + last.source.length : offset };
}

/** yaml's `resolveEnd`: only spaces, comments and line breaks may follow a node. */
function readEnd(tokens: SourceToken[] | undefined, offset: number, requireSpaceBeforeComment: boolean): number {
  if (!tokens) return offset;
  let hasSpace = false;
  for (const token of tokens) {
    if (token.type === 'space' || token.type === 'newline') hasSpace = true;
    else if (token.type !== 'comment' || (requireSpaceBeforeComment && !hasSpace)) giveUp();
    offset += token.source.length;
  }
  return offset;
}

/** yaml's `emptyScalarPosition`: after the whitespace that follows the last real token. */
function emptyScalarPosition(offset: number, before: SourceToken[] | undefined): number {
  if (!before) return offset;
  for (let index = before.length - 1; index >= 0; --index) {
    const token = before[index]!;
    if (token.type === 'space' || token.type === 'comment' || token.type === 'newline') {
      offset -= token.source.length;
      continue;
    }
    for (let next = before[++index]; next?.type === 'space'; next = before[++index]) offset += next.source.length;
    break;
  }
  return offset;
}

const onScalarError = (): never => giveUp();

/** Characters a plain scalar cannot start with (yaml's `plainValue`). */
const BAD_PLAIN_START = new Set(['\t', ',', '%', '|', '>', '@', '`']);

function isSingleLinePlain(token: CST.FlowScalar | CST.BlockScalar): token is CST.FlowScalar {
  return token.type === 'scalar' && token.source.length > 0 && !BAD_PLAIN_START.has(token.source[0]!) && !token.source.includes('\n');
}

/**
 * How every non-string scalar of the core schema starts (`~`, null, true, false, numbers, `.inf`,
 * `.nan`), and the merge key `<<`: a plain scalar starting otherwise is its own text.
 */
const MAY_RESOLVE = /^(?:[-+.~0-9nNtTfF<]|$)/;

/** What the core schema makes of a plain scalar: null, a boolean, a number, or the string. */
export function plainScalarValue(source: string, atKey: boolean): unknown {
  if (!MAY_RESOLVE.test(source)) return source;
  // Indexed loops: this runs for nearly every scalar, mostly before V8 optimises it, where an iterator allocates.
  if (atKey) for (let index = 0; index < keyOnlyTagTests.length; index++) if (keyOnlyTagTests[index]!.test(source)) giveUp();
  for (let index = 0; index < plainScalarTags.length; index++) {
    const tag = plainScalarTags[index]!;
    if (!tag.test.test(source)) continue;
    const result = tag.resolve(source, onScalarError, resolveOptions);
    return isScalar(result) ? result.value : result;
  }
  return source;
}

function isFlowScalar(token: Token | null | undefined): token is CST.FlowScalar {
  return token?.type === 'scalar' || token?.type === 'single-quoted-scalar' || token?.type === 'double-quoted-scalar';
}

function containsNewline(key: CST.FlowScalar): boolean {
  return key.source.includes('\n') || (key.end?.some((token) => token.type === 'newline') ?? false);
}

/** Whether JavaScript puts this key before the others in an object: an array index. */
export function isArrayIndex(name: string): boolean {
  const first = name.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false;
  return /^(?:0|[1-9]\d{0,9})$/.test(name) && Number(name) < 4294967295;
}

/**
 * Where each node of a document is, for the tree a finding needs, in the order the nodes
 * come in the text (a collection, then for a map each key and its value): start and end
 * offsets, a flow collection's start stored as `~start`. Written into one buffer reused
 * from file to file (composing is synchronous); each file keeps a copy of its own part.
 */
export class PositionLog {
  private static scratch = new Int32Array(1 << 16);
  private data = PositionLog.scratch;
  length = 0;

  add(start: number, end: number): number {
    if (this.length + 2 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = PositionLog.scratch = grown;
    }
    this.data[this.length] = start;
    this.data[this.length + 1] = end;
    this.length += 2;
    return this.length - 2;
  }

  set(at: number, start: number, end: number): void {
    this.data[at] = start;
    this.data[at + 1] = end;
  }

  copy(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** One pass over a document's CST: its plain value, and where each of its nodes is. */
class CstComposer {
  /** Where the last composed node ends, comments and line breaks after it included (yaml's `range[2]`). */
  private after = 0;
  /** The plain value of the last composed node. */
  private plain: unknown = null;
  /** How many collections the one being composed is inside. */
  private depth = 0;
  /** False when a map has a key JavaScript would reorder (`"80":`): positions then do not follow the value. */
  private keysInOrder = true;
  readonly positions = new PositionLog();

  document(token: CST.Document): { value: unknown; keysInOrder: boolean } {
    this.keysInOrder = true;
    const props = readProps(token.start, 'doc-start', token.offset, true, false);
    const value = token.value;
    if (props.found && (value?.type === 'block-map' || value?.type === 'block-seq') && !props.hasNewline) giveUp();
    if (value) this.node(value, false);
    else this.empty(props.end, token.start, props.hasComment);
    readEnd(token.end, this.after, false);
    return { value: this.plain, keysInOrder: this.keysInOrder };
  }

  private node(token: Token, inFlow: boolean): void {
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.scalar(token, false);
      case 'block-scalar':
        if (inFlow) giveUp();
        return this.scalar(token, false);
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (inFlow && token.type !== 'flow-collection') giveUp();
        if (++this.depth > MAX_NESTING) throw new NestingTooDeepError();
        if (token.type === 'block-map') this.blockMap(token);
        else if (token.type === 'block-seq') this.blockSeq(token);
        else this.flowCollection(token);
        this.depth--;
        return;
      default:
        return giveUp();
    }
  }

  private scalar(token: CST.FlowScalar | CST.BlockScalar, atKey: boolean): void {
    let source: string;
    if (isSingleLinePlain(token)) {
      // Most scalars of a manifest: yaml's `resolveFlowScalar` would give the source as it is.
      source = token.source;
      const end = token.offset + source.length;
      this.positions.add(token.offset, end);
      this.after = readEnd(token.end, end, true);
    } else {
      const resolved = CST.resolveAsScalar(token, true, onScalarError);
      if (!resolved) return giveUp();
      source = resolved.value;
      this.positions.add(resolved.range[0], resolved.range[1]);
      this.after = resolved.range[2];
    }
    this.plain = token.type === 'scalar' ? plainScalarValue(source, atKey) : source;
  }

  /** yaml's `composeEmptyNode`: the null of `key:` or `- ` with nothing after it. */
  private empty(offset: number, before: SourceToken[] | undefined, hasComment: boolean): void {
    const position = emptyScalarPosition(offset, before);
    this.positions.add(position, position);
    this.after = hasComment ? offset : position;
    this.plain = null;
  }

  /**
   * A map key; its name in the plain object is left in `this.plain`. yaml calls the same
   * key value twice an error; keys that only become the same name (`1` and `"1"`) are not,
   * but both are given up here, as they meet in the plain object.
   */
  private key(token: Token | null | undefined, plain: Record<string, unknown>): void {
    if (!isFlowScalar(token) || containsNewline(token)) giveUp();
    this.scalar(token, true);
    const name = String(this.plain);
    if (Object.hasOwn(plain, name)) giveUp();
    if (isArrayIndex(name)) this.keysInOrder = false;
    this.plain = name;
  }

  private blockMap(token: CST.BlockMap): void {
    const plain: Record<string, unknown> = {};
    const slot = this.positions.add(token.offset, token.offset);
    let offset = token.offset;
    let commentEnd: number | null = null;
    for (const item of token.items) {
      const keyProps = readProps(item.start, 'explicit-key-ind', offset, true, false);
      if (keyProps.found) giveUp();
      if (!item.sep) {
        if (item.key) giveUp();
        commentEnd = keyProps.end;
        continue;
      }
      const { key, sep, value } = item;
      if (!isFlowScalar(key) || key.indent !== token.indent) giveUp();
      this.key(key, plain);
      const name = this.plain as string;
      const valueProps = readProps(sep, 'map-value-ind', this.after, false, false);
      if (!valueProps.found) giveUp();
      if (value?.type === 'block-map' && !valueProps.hasNewline) giveUp();
      if (keyProps.end < valueProps.found.offset - 1024) giveUp();
      if (value) this.node(value, false);
      else this.empty(valueProps.end, sep, valueProps.hasComment);
      setPlainEntry(plain, name, this.plain);
      offset = this.after;
    }
    if (commentEnd !== null && commentEnd < offset) giveUp();
    this.positions.set(slot, token.offset, offset);
    this.after = commentEnd ?? offset;
    this.plain = plain;
  }

  private blockSeq(token: CST.BlockSequence): void {
    const plain: unknown[] = [];
    const slot = this.positions.add(token.offset, token.offset);
    let offset = token.offset;
    let commentEnd: number | null = null;
    for (const item of token.items) {
      const props = readProps(item.start, 'seq-item-ind', offset, true, false);
      if (!props.found) {
        if (item.value) giveUp();
        commentEnd = props.end;
        continue;
      }
      if (item.value) this.node(item.value, false);
      else this.empty(props.end, item.start, props.hasComment);
      plain.push(this.plain);
      offset = this.after;
    }
    this.positions.set(slot, token.offset, offset);
    this.after = commentEnd ?? offset;
    this.plain = plain;
  }

  /** Flow collections: `{cpu: 100m}`, `["--port", "8080"]`, JSON. */
  private flowCollection(token: CST.FlowCollection): void {
    const isMap = token.start.source === '{';
    const plainMap: Record<string, unknown> = {};
    const plainSeq: unknown[] = [];
    const slot = this.positions.add(~token.offset, token.offset);
    let offset = token.offset + token.start.source.length;
    for (const [index, item] of token.items.entries()) {
      const props = readProps(item.start, 'explicit-key-ind', offset, false, true);
      if (props.found) giveUp();
      if (!item.sep && !item.value && !item.key) {
        // A trailing comma (`[a, b,]`) is fine; an empty item elsewhere is an error.
        if ((index === 0 && props.comma) || index < token.items.length - 1) giveUp();
        offset = props.end;
        continue;
      }
      if ((index === 0) === (props.comma !== null)) giveUp();
      const { key, sep, value } = item;
      if (!isMap) {
        if (sep || key || !value) giveUp();
        this.node(value, true);
        plainSeq.push(this.plain);
      } else {
        this.key(key, plainMap);
        const name = this.plain as string;
        const valueProps = readProps(sep ?? [], 'map-value-ind', this.after, false, true);
        if (!valueProps.found) giveUp();
        if (value) this.node(value, true);
        else this.empty(valueProps.end, sep, valueProps.hasComment);
        setPlainEntry(plainMap, name, this.plain);
      }
      offset = this.after;
    }
    const [close, ...rest] = token.end;
    if (close?.source !== (isMap ? '}' : ']')) giveUp();
    const closeEnd = close.offset + close.source.length;
    this.positions.set(slot, ~token.offset, closeEnd);
    this.after = rest.length > 0 ? readEnd(rest, closeEnd, true) : closeEnd;
    this.plain = isMap ? plainMap : plainSeq;
  }
}

/** A document composed from the CST: its plain value and, if it has one, what its tree is made from. */
export interface ComposedDocument {
  value: unknown;
  /** The positions of its nodes (see `PositionLog`); absent when its keys are not in text order. */
  positions?: Int32Array;
}

/**
 * The tree of a composed document, built from its value and the positions recorded while
 * composing it, in the order they were recorded. Keys are named as in the plain object.
 */
export function treeOfComposed(value: unknown, positions: Int32Array): TreeNode {
  // Read in place, the nodes built in loops: a tree is built for every document with a
  // finding, and the objects of a reading and of entries' pairs were most of what it made.
  let cursor = 0;
  const build = (node: unknown): TreeNode => {
    const recorded = positions[cursor]!;
    const end = positions[cursor + 1]!;
    cursor += 2;
    const flow = recorded < 0;
    const start = flow ? ~recorded : recorded;
    if (Array.isArray(node)) {
      const items: TreeNode[] = [];
      for (let index = 0; index < node.length; index++) items.push(build(node[index]));
      return { type: 'seq', flow, items, start, end };
    }
    if (node !== null && typeof node === 'object') {
      const names = Object.keys(node);
      const pairs: PairNode[] = [];
      for (let index = 0; index < names.length; index++) {
        const name = names[index]!;
        const keyStart = positions[cursor]!;
        const keyEnd = positions[cursor + 1]!;
        cursor += 2;
        pairs.push({ key: { type: 'scalar', value: name, start: keyStart < 0 ? ~keyStart : keyStart, end: keyEnd }, value: build((node as Record<string, unknown>)[name]) });
      }
      return { type: 'map', flow, pairs, start, end };
    }
    return { type: 'scalar', value: node, start, end };
  };
  return build(value);
}

/**
 * The documents of a file, or undefined when it uses something this does not compose
 * (then compose it with yaml, after `checkNesting`: see the module comment). Throws
 * NestingTooDeepError.
 */
export function composeFromCst(text: string): ComposedDocument[] | undefined {
  const composer = new CstComposer();
  const documents: { value: unknown; keysInOrder: boolean; from: number; to: number }[] = [];
  try {
    for (const token of new Parser().parse(text)) {
      switch (token.type) {
        case 'document': {
          const from = composer.positions.length;
          const { value, keysInOrder } = composer.document(token);
          documents.push({ value, keysInOrder, from, to: composer.positions.length });
          break;
        }
        case 'doc-end':
          if (documents.length === 0) giveUp();
          readEnd(token.end, token.offset + token.source.length, true);
          break;
        case 'comment':
        case 'newline':
        case 'space':
        case 'byte-order-mark':
          break;
        default:
          giveUp();
      }
    }
  } catch (error) {
    if (error instanceof NestingTooDeepError) throw error;
    // Unsupported, or anything unforeseen in a hostile file: yaml's composer is the authority.
    return undefined;
  }
  const positions = composer.positions.copy();
  return documents.map(({ value, keysInOrder, from, to }) => (keysInOrder ? { value, positions: positions.subarray(from, to) } : { value }));
}
