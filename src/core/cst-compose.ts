import { CST, Document, Parser, isScalar } from 'yaml';
import type { ScalarTag } from 'yaml';
import { YAML_PARSE_OPTIONS, setPlainEntry } from './yaml-tree.js';
import type { MapNode, PairNode, ScalarNode, SeqNode, TreeNode } from './yaml-tree.js';

/**
 * Composes the documents of a file straight from yaml's CST into plain values, and into
 * light trees for the few documents whose findings need source ranges, skipping yaml's
 * `Document` nodes: composing those is over a third of a parse, and a lint run would keep
 * them all in memory to the end.
 *
 * This covers the YAML that manifests are written in: block and flow collections (JSON
 * too), plain, quoted and block scalars, comments. On anything else (anchors, aliases,
 * tags, merge keys, directives, tabs, explicit keys, pairs inside flow sequences)
 * or on anything yaml's composer would call an error, it gives up and the caller composes
 * the file with yaml itself, which then also gives the error messages. So a document this
 * accepts has exactly the value and ranges yaml would give it (test/cst-compose.test.ts
 * checks that against yaml on fixtures and on generated text), and the choices of when to
 * give up mirror yaml's `compose/*.js`, erring on the side of giving up.
 */

/** Thrown to give the file to yaml's composer. */
const unsupported = new Error('outside the subset composed from the CST');

function giveUp(): never {
  throw unsupported;
}

// The same schema and options as `parseAllDocuments(text, YAML_PARSE_OPTIONS)`, so plain scalars
// resolve to exactly the same values (null, booleans, numbers in every notation).
const schemaDocument = new Document(null, YAML_PARSE_OPTIONS);
const resolveOptions = schemaDocument.options;
export const plainScalarTags = schemaDocument.schema.tags.filter(
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
 * The first characters of every plain scalar the core schema reads as something other than
 * a string (`~`, `null`, `true`, `False`, `0x1F`, `-1.5e3`, `.inf`…): testing the others
 * against each tag's pattern would find nothing. test/cst-compose.test.ts holds this to
 * the installed yaml's tags.
 */
export const MAYBE_NOT_STRING = new Set('~nNtTfF0123456789+-.');

/** What the core schema makes of a plain scalar: null, a boolean, a number, or the string. */
function plainScalarValue(source: string, atKey: boolean): unknown {
  if (atKey) for (const test of keyOnlyTagTests) if (test.test(source)) giveUp();
  if (source.length > 0 && !MAYBE_NOT_STRING.has(source[0]!)) return source;
  for (const tag of plainScalarTags) {
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

/**
 * One pass over a document's CST: its plain value always, its tree only when asked (`trees`),
 * since most documents never have a finding to place and a tree costs as much as the value.
 */
class CstComposer {
  /** Where the last composed node ends, comments and line breaks after it included (yaml's `range[2]`). */
  private after = 0;
  /** The plain value of the last composed node. */
  private plain: unknown = null;

  constructor(
    private readonly trees: boolean,
    /** Added to every offset: the position in the file of the text being parsed. */
    private readonly base = 0,
  ) {}

  document(token: CST.Document): TreeNode | undefined {
    const props = readProps(token.start, 'doc-start', token.offset, true, false);
    const value = token.value;
    if (props.found && (value?.type === 'block-map' || value?.type === 'block-seq') && !props.hasNewline) giveUp();
    const tree = value ? this.node(value, false) : this.empty(props.end, token.start, props.hasComment);
    readEnd(token.end, this.after, false);
    return tree;
  }

  /** The plain value of the document last composed. */
  get value(): unknown {
    return this.plain;
  }

  private node(token: Token, inFlow: boolean): TreeNode | undefined {
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.scalar(token, false);
      case 'block-scalar':
        if (inFlow) giveUp();
        return this.scalar(token, false);
      case 'block-map':
        if (inFlow) giveUp();
        return this.blockMap(token);
      case 'block-seq':
        if (inFlow) giveUp();
        return this.blockSeq(token);
      case 'flow-collection':
        return this.flowCollection(token);
      default:
        return giveUp();
    }
  }

  private scalar(token: CST.FlowScalar | CST.BlockScalar, atKey: boolean): ScalarNode | undefined {
    let source: string;
    let start: number;
    let end: number;
    if (isSingleLinePlain(token)) {
      // Most scalars of a manifest: yaml's `resolveFlowScalar` would give the source as it is.
      source = token.source;
      start = token.offset;
      end = start + source.length;
      this.after = readEnd(token.end, end, true);
    } else {
      const resolved = CST.resolveAsScalar(token, true, onScalarError);
      if (!resolved) return giveUp();
      source = resolved.value;
      start = resolved.range[0];
      end = resolved.range[1];
      this.after = resolved.range[2];
    }
    const value = token.type === 'scalar' ? plainScalarValue(source, atKey) : source;
    this.plain = value;
    return this.trees ? { type: 'scalar', value, start: this.base + start, end: this.base + end } : undefined;
  }

  /** yaml's `composeEmptyNode`: the null of `key:` or `- ` with nothing after it. */
  private empty(offset: number, before: SourceToken[] | undefined, hasComment: boolean): ScalarNode | undefined {
    const position = emptyScalarPosition(offset, before);
    this.after = hasComment ? offset : position;
    this.plain = null;
    return this.trees ? { type: 'scalar', value: null, start: this.base + position, end: this.base + position } : undefined;
  }

  /**
   * A map key: its node, and in `this.plain` its name in the plain object. yaml calls the
   * same key value twice an error; keys that only become the same name (`1` and `"1"`) are
   * not, but both are given up here, as they meet in the plain object.
   */
  private key(token: Token | null | undefined, plain: Record<string, unknown>): ScalarNode | undefined {
    if (!isFlowScalar(token) || containsNewline(token)) giveUp();
    const node = this.scalar(token, true);
    const name = String(this.plain);
    if (Object.hasOwn(plain, name)) giveUp();
    this.plain = name;
    return node;
  }

  private blockMap(token: CST.BlockMap): MapNode | undefined {
    const plain: Record<string, unknown> = {};
    const pairs: PairNode[] | undefined = this.trees ? [] : undefined;
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
      const keyNode = this.key(key, plain);
      const name = this.plain as string;
      const valueProps = readProps(sep, 'map-value-ind', this.after, false, false);
      if (!valueProps.found) giveUp();
      if (value?.type === 'block-map' && !valueProps.hasNewline) giveUp();
      if (keyProps.end < valueProps.found.offset - 1024) giveUp();
      const valueNode = value ? this.node(value, false) : this.empty(valueProps.end, sep, valueProps.hasComment);
      setPlainEntry(plain, name, this.plain);
      pairs?.push({ key: keyNode!, value: valueNode! });
      offset = this.after;
    }
    if (commentEnd !== null && commentEnd < offset) giveUp();
    this.after = commentEnd ?? offset;
    this.plain = plain;
    return pairs && { type: 'map', flow: false, pairs, start: this.base + token.offset, end: this.base + offset };
  }

  private blockSeq(token: CST.BlockSequence): SeqNode | undefined {
    const plain: unknown[] = [];
    const items: TreeNode[] | undefined = this.trees ? [] : undefined;
    let offset = token.offset;
    let commentEnd: number | null = null;
    for (const item of token.items) {
      const props = readProps(item.start, 'seq-item-ind', offset, true, false);
      if (!props.found) {
        if (item.value) giveUp();
        commentEnd = props.end;
        continue;
      }
      const node = item.value ? this.node(item.value, false) : this.empty(props.end, item.start, props.hasComment);
      items?.push(node!);
      plain.push(this.plain);
      offset = this.after;
    }
    this.after = commentEnd ?? offset;
    this.plain = plain;
    return items && { type: 'seq', flow: false, items, start: this.base + token.offset, end: this.base + offset };
  }

  /** Flow collections: `{cpu: 100m}`, `["--port", "8080"]`, JSON. */
  private flowCollection(token: CST.FlowCollection): MapNode | SeqNode | undefined {
    const isMap = token.start.source === '{';
    const plainMap: Record<string, unknown> = {};
    const plainSeq: unknown[] = [];
    const pairs: PairNode[] | undefined = this.trees && isMap ? [] : undefined;
    const items: TreeNode[] | undefined = this.trees && !isMap ? [] : undefined;
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
        const node = this.node(value, true);
        items?.push(node!);
        plainSeq.push(this.plain);
      } else {
        const keyNode = this.key(key, plainMap);
        const name = this.plain as string;
        const valueProps = readProps(sep ?? [], 'map-value-ind', this.after, false, true);
        if (!valueProps.found) giveUp();
        const valueNode = value ? this.node(value, true) : this.empty(valueProps.end, sep, valueProps.hasComment);
        setPlainEntry(plainMap, name, this.plain);
        pairs?.push({ key: keyNode!, value: valueNode! });
      }
      offset = this.after;
    }
    const [close, ...rest] = token.end;
    if (close?.source !== (isMap ? '}' : ']')) giveUp();
    const closeEnd = close.offset + close.source.length;
    this.after = rest.length > 0 ? readEnd(rest, closeEnd, true) : closeEnd;
    this.plain = isMap ? plainMap : plainSeq;
    const range = { start: this.base + token.offset, end: this.base + closeEnd };
    if (pairs) return { type: 'map', flow: true, pairs, ...range };
    if (items) return { type: 'seq', flow: true, items, ...range };
    return undefined;
  }
}

/** A document composed from the CST: its plain value and where its text is in the file. */
export interface ComposedDocument {
  value: unknown;
  start: number;
  end: number;
}

/**
 * The tree of the document at `start..end` of the text, composed from that text alone: a
 * document starts at the beginning of a line in the stream state, so its tokens are the
 * ones the whole file gave, shifted by where its line starts.
 */
export function treeFromCst(text: string, { start, end }: ComposedDocument): TreeNode | null | undefined {
  const lineStart = start === 0 ? 0 : text.lastIndexOf('\n', start - 1) + 1;
  try {
    const composer = new CstComposer(true, lineStart);
    for (const token of new Parser().parse(text.slice(lineStart, end))) {
      if (token.type !== 'document') continue;
      if (lineStart + token.offset === start) return composer.document(token) ?? null;
      break;
    }
  } catch {
    // Not expected, as the whole file composed: the caller asks yaml.
  }
  return undefined;
}

/**
 * The documents of a file, or undefined when it uses something this does not compose
 * (then compose it with yaml: see the module comment). Values only: trees come from
 * `treeFromCst`, for the few documents that need one.
 */
export function composeFromCst(text: string): ComposedDocument[] | undefined {
  const composer = new CstComposer(false);
  const documents: ComposedDocument[] = [];
  try {
    for (const token of new Parser().parse(text)) {
      switch (token.type) {
        case 'document': {
          // A document's text runs to the next one: its `...` and comments after it included.
          const previous = documents[documents.length - 1];
          if (previous) previous.end = token.offset;
          composer.document(token);
          documents.push({ value: composer.value, start: token.offset, end: text.length });
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
  } catch {
    // Unsupported, or anything unforeseen in a hostile file: yaml's composer is the authority.
    return undefined;
  }
  return documents;
}
