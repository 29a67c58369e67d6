/**
 * A YAML document's first node as go-yaml v2 decodes it into `interface{}` (its composer
 * and decoder, `decode.go` of v2.4.3: anchors, aliases and their limits, `<<` merges in
 * go-yaml's order, tags), keeping each node's place in the text for origins.
 */
import { MAX_NESTING, NestingTooDeepError } from '../../yaml-tree.js';
import { formatFloatG } from './go-float.js';
import { compareGoStrings, quoteGo } from '../fmt.js';
import { decodeGoUtf8 } from './go-text.js';
import { Parser } from './parser.js';
import type { ParseEvent } from './parser.js';
import { BINARY_TAG, MERGE_TAG, TIMESTAMP_TAG, YamlDecodeError, YamlInt, readsAsNonFinite, resolvePlain, resolveV2 } from './resolve.js';
import type { Resolved } from './resolve.js';

interface NodeBase {
  /** Where the node is, as offsets in the text: a scalar's own token, a collection from its start to its last child's end. */
  start: number;
  end: number;
}

export interface ScalarYamlNode extends NodeBase {
  kind: 'scalar';
  value: string;
  tag: string;
  implicit: boolean;
}

export interface MappingYamlNode extends NodeBase {
  kind: 'mapping';
  /** Keys and values, alternating. */
  children: YamlNode[];
}

export interface SequenceYamlNode extends NodeBase {
  kind: 'sequence';
  children: YamlNode[];
}

export interface AliasYamlNode extends NodeBase {
  kind: 'alias';
  name: string;
  target: YamlNode;
}

export type YamlNode = ScalarYamlNode | MappingYamlNode | SequenceYamlNode | AliasYamlNode;

/** A document go-yaml would read otherwise than `readFields` can: the caller composes it whole. */
class NeedsWholeDocument extends Error {}

/** go-yaml's composer: the events of a stream's first document as nodes. */
class Composer {
  private readonly parser: Parser;
  private pending: ParseEvent | undefined;
  private readonly anchors = new Map<string, YamlNode>();
  private depth = 0;
  /** The children of the collections being composed, on one stack: each collection's are then sliced off at their exact length. */
  private readonly children: YamlNode[] = [];
  /** `readFields`: what it cannot read as go-yaml reads it (an alias, a tag, a merge) is NeedsWholeDocument. */
  private readonly untagged: boolean;

  constructor(text: string, untagged: boolean) {
    this.parser = new Parser(text);
    this.untagged = untagged;
  }

  /** The next event: the parser's one event, read before the next `peek` fills it again. */
  peek(): ParseEvent {
    return (this.pending ??= this.parser.next());
  }

  take(): ParseEvent {
    const next = this.peek();
    this.pending = undefined;
    return next;
  }

  /** The first document, read by `content` from its content's first event; undefined for a stream without documents. */
  document<T>(content: () => T): T | undefined {
    if (this.take().type !== 'stream-start') throw new YamlDecodeError('expected stream start event');
    if (this.peek().type === 'stream-end') return undefined;
    this.take();
    const value = content();
    const end = this.take();
    if (end.type !== 'document-end') throw new YamlDecodeError(`expected document end event but got ${end.type.replace('-', ' ')}`);
    return value;
  }

  /** A collection's start: its depth bounded as the composer bounds it (the caller leaves with `depth--`). */
  enter(): void {
    if (++this.depth > MAX_NESTING) throw new NestingTooDeepError();
  }

  leave(): void {
    this.depth--;
  }

  /** An event `readFields` can pass over: no alias, no tag. */
  untaggedEvent(event: ParseEvent): ParseEvent {
    if (this.untagged && (event.type === 'alias' || event.tag !== '')) throw new NeedsWholeDocument();
    return event;
  }

  node(): YamlNode {
    const start = this.untaggedEvent(this.take());
    switch (start.type) {
      case 'scalar': {
        const node: ScalarYamlNode = {
          kind: 'scalar',
          value: start.value,
          tag: start.tag,
          implicit: start.implicit,
          start: start.valueStart,
          end: start.valueEnd,
        };
        if (start.anchor !== undefined) this.anchors.set(start.anchor, node);
        return node;
      }
      case 'alias': {
        const target = this.anchors.get(start.anchor ?? '');
        if (!target) throw new YamlDecodeError(`unknown anchor '${start.anchor}' referenced`);
        return { kind: 'alias', name: start.anchor ?? '', target, start: start.start, end: start.end };
      }
      case 'sequence-start':
      case 'mapping-start': {
        this.enter();
        const mapping = start.type === 'mapping-start';
        const node: MappingYamlNode | SequenceYamlNode = mapping ? { kind: 'mapping', children: [], start: start.start, end: start.end } : { kind: 'sequence', children: [], start: start.start, end: start.end };
        if (start.anchor !== undefined) this.anchors.set(start.anchor, node);
        // The event is filled again by the children's.
        const flow = start.flow;
        const endType = mapping ? 'mapping-end' : 'sequence-end';
        const first = this.children.length;
        while (this.peek().type !== endType) {
          this.children.push(this.node());
          if (mapping) this.children.push(this.node());
        }
        const end = this.take();
        const last = this.children.length > first ? this.children[this.children.length - 1]! : undefined;
        node.end = flow || !last ? end.end : last.end;
        node.children = this.children.splice(first);
        this.leave();
        return node;
      }
      default:
        throw new YamlDecodeError(`attempted to parse unknown event: ${start.type}`);
    }
  }
}

/** The first document's root node (undefined for a stream without documents), as go-yaml's composer builds it; `text` after a leading BOM. */
export function composeFirstDocument(text: string): YamlNode | undefined {
  const composer = new Composer(text, false);
  return composer.document(() => composer.node());
}

/**
 * A document's value as a struct reads it, from its events: of its root mapping only the
 * entries whose keys `isField` takes, decoded; the rest checked as go-yaml's decoder and
 * sigs.k8s.io/yaml's conversion would check it, and not composed (a manifest's head is
 * three fields of a document that may be a CRD of a thousand lines). Null for a stream
 * without documents.
 *
 * Without aliases, tags and merges the rest can fail to decode only on a collection as a
 * key, and can only fail to convert to JSON (a non-finite number, a null key), which the
 * whole value's conversion words; go-yaml decodes only once it has composed the document,
 * so a syntax error comes before any of it. Undefined where the document has an alias, a
 * tag or a merge key, its root is not a mapping, or it would not convert: the caller
 * composes and decodes it whole. `text` after a leading BOM.
 */
export function readFields(text: string, isField: (key: Resolved) => boolean): DecodedMap | null | undefined {
  const reader = new FieldReader(text);
  try {
    return reader.document(isField);
  } catch (error) {
    if (error instanceof NeedsWholeDocument) return undefined;
    throw error;
  }
}

class FieldReader {
  private readonly composer: Composer;
  /** The first decoding error, thrown once the document is composed. */
  private decodeError: YamlDecodeError | undefined;
  /** A part would not convert to JSON: a non-finite number, a null or uint64 key. */
  private unconvertible = false;

  constructor(text: string) {
    this.composer = new Composer(text, true);
  }

  document(isField: (key: Resolved) => boolean): DecodedMap | null | undefined {
    const composer = this.composer;
    const fields = composer.document(() => {
      const root = composer.untaggedEvent(composer.peek());
      if (root.type !== 'mapping-start') throw new NeedsWholeDocument();
      composer.take();
      composer.enter();
      const map = new DecodedMap();
      while (composer.peek().type !== 'mapping-end') {
        const keyNode = composer.node();
        if (isMerge(keyNode)) throw new NeedsWholeDocument();
        const key = this.decoding(() => new Decoder().key(keyNode));
        if (key === undefined || !this.converts(key) || !isField(key)) {
          this.skip();
          continue;
        }
        const valueNode = composer.node();
        this.decoding(() => map.entries.set(keyIdentity(key), { key, value: new Decoder().decode(valueNode), keyNode, valueNode }));
      }
      composer.take();
      composer.leave();
      return map;
    });
    if (this.decodeError) throw this.decodeError;
    if (this.unconvertible) throw new NeedsWholeDocument();
    return fields ?? null;
  }

  /** A decoding, its error kept for the end; after one, none is done. */
  private decoding<T>(decode: () => T): T | undefined {
    if (this.decodeError) return undefined;
    try {
      return decode();
    } catch (error) {
      if (!(error instanceof YamlDecodeError)) throw error;
      this.decodeError = error;
      return undefined;
    }
  }

  /** A node passed over: the events read, the checks done, nothing composed. */
  private skip(): void {
    const composer = this.composer;
    const event = composer.untaggedEvent(composer.take());
    if (event.type === 'scalar') {
      if (event.implicit && readsAsNonFinite(event.value)) this.unconvertible = true;
      return;
    }
    // Any other event is the composer's error.
    if (event.type !== 'mapping-start' && event.type !== 'sequence-start') throw new NeedsWholeDocument();
    composer.enter();
    const mapping = event.type === 'mapping-start';
    const endType = mapping ? 'mapping-end' : 'sequence-end';
    while (composer.peek().type !== endType) {
      if (mapping) this.skipKey();
      this.skip();
    }
    composer.take();
    composer.leave();
  }

  private skipKey(): void {
    const composer = this.composer;
    const event = composer.untaggedEvent(composer.peek());
    if (event.type !== 'scalar') {
      // A collection as a key: go-yaml decodes it, then refuses it.
      const keyNode = composer.node();
      this.decoding(() => new Decoder().key(keyNode));
      return;
    }
    composer.take();
    if (!event.implicit) return;
    // A merge key, as isMerge tells one.
    if (event.value === '<<') throw new NeedsWholeDocument();
    this.converts(resolvePlain(event.value));
  }

  /** Whether sigs.k8s.io/yaml's conversion names the key (see jsonKeyText); `unconvertible` when it does not. */
  private converts(key: Resolved): boolean {
    if (jsonKeyText(key) !== undefined) return true;
    this.unconvertible = true;
    return false;
  }
}

/** A `map[interface{}]interface{}` entry: keys are compared as Go compares interface values. */
export interface DecodedEntry {
  key: Decoded;
  value: Decoded;
  keyNode: YamlNode;
  valueNode: YamlNode;
}

export class DecodedMap {
  /** By the key's identity (keyIdentity). */
  readonly entries = new Map<unknown, DecodedEntry>();
}

export interface DecodedItem {
  value: Decoded;
  node: YamlNode;
}

export class DecodedSequence {
  readonly items: DecodedItem[] = [];
}

export type Decoded = Resolved | DecodedMap | DecodedSequence;

/**
 * A key's identity as a Go map key, its dynamic type and value, as a JavaScript Map key: a
 * string, bool, nil or float as itself (a Map takes -0 for 0, as Go does), NaN as a new
 * object (it equals nothing, not even itself), an integer as its bigint (an unsigned one
 * is one past int64's range: never a signed one's value).
 */
function keyIdentity(key: Decoded): unknown {
  if (typeof key === 'number' && Number.isNaN(key)) return {};
  if (key instanceof YamlInt) return key.value;
  return key;
}

const ALIAS_RATIO_RANGE_LOW = 400000;
const ALIAS_RATIO_RANGE_HIGH = 4000000;

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

function base64Bytes(text: string): Uint8Array | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Uint8Array.from(Buffer.from(compact, 'base64'));
}

/** Where fmt's map sorting puts each dynamic type in helm's binary (it compares type descriptors' addresses): nil first. */
const TYPE_RANK = { nil: 0, string: 1, uint64: 2, int: 3, float64: 4, bool: 5 } as const;

function typeRank(value: Decoded): number {
  if (value === null) return TYPE_RANK.nil;
  if (typeof value === 'string') return TYPE_RANK.string;
  if (value instanceof YamlInt) return value.unsigned ? TYPE_RANK.uint64 : TYPE_RANK.int;
  if (typeof value === 'number') return TYPE_RANK.float64;
  return TYPE_RANK.bool;
}

/** fmt's order of map keys (internal/fmtsort): by type, then by value. */
function compareKeys(a: Decoded, b: Decoded): number {
  const byType = typeRank(a) - typeRank(b);
  if (byType !== 0) return byType;
  if (typeof a === 'string' && typeof b === 'string') return compareGoStrings(a, b);
  if (a instanceof YamlInt && b instanceof YamlInt) return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b;
  return Number(a) - Number(b);
}

/** Go's `%#v` of a decoded value, for go-yaml's and sigs.k8s.io/yaml's error messages (`top`: not inside a container). */
export function goSyntaxOf(value: Decoded, top = true): string {
  if (value === null) return top ? '<nil>' : 'interface {}(nil)';
  if (typeof value === 'string') return quoteGo(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return formatFloatG(value);
  if (value instanceof YamlInt) return value.unsigned ? `0x${value.value.toString(16)}` : String(value.value);
  if (value instanceof DecodedSequence) return `[]interface {}{${value.items.map((item) => goSyntaxOf(item.value, false)).join(', ')}}`;
  const entries = [...value.entries.values()].sort((x, y) => compareKeys(x.key, y.key)).map((entry) => `${goSyntaxOf(entry.key, false)}:${goSyntaxOf(entry.value, false)}`);
  return `map[interface {}]interface {}{${entries.join(', ')}}`;
}

/** sigs.k8s.io/yaml's key conversion: go-yaml's key types as JSON object keys; undefined for the ones it refuses (nil, uint64). */
export function jsonKeyText(key: Decoded): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return String(key);
  if (key instanceof YamlInt) return key.unsigned ? undefined : String(key.value);
  if (typeof key === 'number') {
    const text = formatFloatG(key, 32);
    return text === '+Inf' ? '.inf' : text === '-Inf' ? '-.inf' : text === 'NaN' ? '.nan' : text;
  }
  return undefined;
}

/** sigs.k8s.io/yaml's error for a key it refuses (see jsonKeyText), with its entry's value. */
export function unsupportedKeyMessage(key: Decoded, value: Decoded): string {
  const type = key === null ? '%!s(<nil>)' : 'uint64';
  return `error converting YAML to JSON: unsupported map key of type: ${type}, key: ${goSyntaxOf(key)}, value: ${goSyntaxOf(value)}`;
}

/** go-yaml v2's decoder into `interface{}`: counts decodes and alias expansions as it does, to refuse alias bombs the same way. */
export class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly expanding = new Set<AliasYamlNode>();
  private depth = 0;

  /** The document's value: go-yaml counts the document node as one decode too. */
  decodeDocument(root: YamlNode): Decoded {
    this.count();
    return this.decode(root);
  }

  decode(node: YamlNode): Decoded {
    this.count();
    if (node.kind === 'alias') return this.alias(node, undefined);
    if (node.kind === 'scalar') return this.scalar(node);
    this.enter();
    try {
      if (node.kind === 'sequence') return this.sequence(node);
      const map = new DecodedMap();
      this.mappingInto(node, map);
      return map;
    } finally {
      this.depth--;
    }
  }

  private count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new YamlDecodeError('document contains excessive aliasing');
    }
  }

  /** Aliases nest what the text does not: the decoded value's depth is bounded too (the caller leaves with `depth--`). */
  private enter(): void {
    if (++this.depth > MAX_NESTING) throw new NestingTooDeepError();
  }

  private alias(node: AliasYamlNode, into: DecodedMap | undefined): Decoded {
    if (this.expanding.has(node)) throw new YamlDecodeError(`anchor '${node.name}' value contains itself`);
    this.expanding.add(node);
    this.aliasDepth++;
    try {
      if (into) {
        this.decodeInto(node.target, into);
        return into;
      }
      return this.decode(node.target);
    } finally {
      this.aliasDepth--;
      this.expanding.delete(node);
    }
  }

  /** `d.unmarshal(n, out)` with `out` an existing map, as merges decode into the map being built. */
  private decodeInto(node: YamlNode, into: DecodedMap): void {
    this.count();
    if (node.kind === 'alias') {
      this.alias(node, into);
      return;
    }
    if (node.kind === 'mapping') {
      this.enter();
      try {
        this.mappingInto(node, into);
      } finally {
        this.depth--;
      }
    }
    // A merge checked its value's kind before coming here.
  }

  private scalar(node: ScalarYamlNode): Resolved {
    if (node.tag === '') {
      return node.implicit ? resolvePlain(node.value) : node.value;
    }
    const { tag, value } = resolveV2(node.tag, node.value);
    if (tag === BINARY_TAG) {
      const bytes = base64Bytes(value as string);
      if (!bytes) throw new YamlDecodeError('!!binary value contains invalid base64 data');
      return decodeGoUtf8(bytes);
    }
    if (tag === TIMESTAMP_TAG) return node.value;
    if (value === 'merge') return '<<';
    return value;
  }

  private sequence(node: SequenceYamlNode): DecodedSequence {
    const sequence = new DecodedSequence();
    for (const child of node.children) sequence.items.push({ value: this.decode(child), node: child });
    return sequence;
  }

  /** A mapping key, decoded: go-yaml refuses a collection as one. */
  key(node: YamlNode): Resolved {
    const key = this.decode(node);
    if (key instanceof DecodedMap || key instanceof DecodedSequence) throw new YamlDecodeError(`invalid map key: ${goSyntaxOf(key)}`);
    return key;
  }

  private mappingInto(node: MappingYamlNode, map: DecodedMap): void {
    for (let i = 0; i < node.children.length; i += 2) {
      const keyNode = node.children[i]!;
      const valueNode = node.children[i + 1]!;
      if (isMerge(keyNode)) {
        this.merge(valueNode, map);
        continue;
      }
      const key = this.key(keyNode);
      const value = this.decode(valueNode);
      map.entries.set(keyIdentity(key), { key, value, keyNode, valueNode });
    }
  }

  private merge(node: YamlNode, map: DecodedMap): void {
    const wantMap = (): never => {
      throw new YamlDecodeError('map merge requires map or sequence of maps as the value');
    };
    if (node.kind === 'mapping') this.decodeInto(node, map);
    else if (node.kind === 'alias') {
      if (node.target.kind !== 'mapping') wantMap();
      this.decodeInto(node, map);
    } else if (node.kind === 'sequence') {
      // Backwards: earlier maps take precedence.
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = node.children[i]!;
        if (child.kind === 'alias' ? child.target.kind !== 'mapping' : child.kind !== 'mapping') wantMap();
        this.decodeInto(child, map);
      }
    } else wantMap();
  }
}

function isMerge(node: YamlNode): boolean {
  return node.kind === 'scalar' && node.value === '<<' && (node.implicit || node.tag === MERGE_TAG);
}
