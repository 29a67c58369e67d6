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
import { BINARY_TAG, MERGE_TAG, TIMESTAMP_TAG, YamlDecodeError, YamlInt, readsAsNonFinite, resolveV2 } from './resolve.js';
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

/** The first document's root node (undefined for a stream without documents), as go-yaml's composer builds it; `text` after a leading BOM. */
export function composeFirstDocument(text: string): YamlNode | undefined {
  const parser = new Parser(text);
  let pending: ParseEvent | undefined;
  const peek = (): ParseEvent => (pending ??= parser.next());
  const take = (): ParseEvent => {
    const next = peek();
    pending = undefined;
    return next;
  };
  const anchors = new Map<string, YamlNode>();
  let depth = 0;

  const parse = (): YamlNode => {
    const start = take();
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
        if (start.anchor !== undefined) anchors.set(start.anchor, node);
        return node;
      }
      case 'alias': {
        const target = anchors.get(start.anchor ?? '');
        if (!target) throw new YamlDecodeError(`unknown anchor '${start.anchor}' referenced`);
        return { kind: 'alias', name: start.anchor ?? '', target, start: start.start, end: start.end };
      }
      case 'sequence-start':
      case 'mapping-start': {
        if (++depth > MAX_NESTING) throw new NestingTooDeepError();
        const mapping = start.type === 'mapping-start';
        const node: MappingYamlNode | SequenceYamlNode = mapping ? { kind: 'mapping', children: [], start: start.start, end: start.end } : { kind: 'sequence', children: [], start: start.start, end: start.end };
        if (start.anchor !== undefined) anchors.set(start.anchor, node);
        // The event is filled again by the children's.
        const flow = start.flow;
        const endType = mapping ? 'mapping-end' : 'sequence-end';
        while (peek().type !== endType) {
          node.children.push(parse());
          if (mapping) node.children.push(parse());
        }
        const end = take();
        const last = node.children[node.children.length - 1];
        node.end = flow || !last ? end.end : last.end;
        depth--;
        return node;
      }
      default:
        throw new YamlDecodeError(`attempted to parse unknown event: ${start.type}`);
    }
  };

  if (take().type !== 'stream-start') throw new YamlDecodeError('expected stream start event');
  if (peek().type === 'stream-end') return undefined;
  take();
  const root = parse();
  const end = take();
  if (end.type !== 'document-end') throw new YamlDecodeError(`expected document end event but got ${end.type.replace('-', ' ')}`);
  return root;
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

/** go-yaml v2's decoder into `interface{}`: counts decodes and alias expansions as it does, to refuse alias bombs the same way. */
export class Decoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly expanding = new Set<AliasYamlNode>();
  private depth = 0;
  /** Some part would not convert to JSON as sigs.k8s.io/yaml converts it: a non-finite number `check` passed over, a null key. */
  private unconvertible = false;

  /** The document's value: go-yaml counts the document node as one decode too. */
  decodeDocument(root: YamlNode): Decoded {
    this.count();
    return this.decode(root);
  }

  /**
   * The document's value as a struct reads it: of its root mapping, only the entries whose
   * keys `isField` takes, the others checked and not decoded (`check`): a manifest's head is
   * three fields of a document that may be a CRD of a thousand lines. Undefined where only the
   * whole value will do: the root is not a mapping, it merges (a merged entry may be a
   * field), or a part passed over would not convert to JSON (the whole says which error is
   * the first).
   */
  decodeFields(root: YamlNode, isField: (key: Exclude<Resolved, null>) => boolean): DecodedMap | undefined {
    if (root.kind !== 'mapping' || root.children.some((child, i) => i % 2 === 0 && isMerge(child))) return undefined;
    this.count();
    this.count();
    this.enter();
    const fields = new DecodedMap();
    try {
      for (let i = 0; i < root.children.length; i += 2) {
        const keyNode = root.children[i]!;
        const valueNode = root.children[i + 1]!;
        const key = this.mapKey(keyNode);
        if (key !== null && isField(key)) fields.entries.set(keyIdentity(key), { key, value: this.decode(valueNode), keyNode, valueNode });
        else this.check(valueNode);
      }
    } finally {
      this.depth--;
    }
    return this.unconvertible ? undefined : fields;
  }

  decode(node: YamlNode): Decoded {
    this.count();
    if (node.kind === 'alias') return this.alias(node, (target) => this.decode(target));
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

  /** `decode` building nothing: the same decodes counted, the same errors in the same order; `unconvertible` noted. */
  private check(node: YamlNode): void {
    this.count();
    if (node.kind === 'alias') return this.alias(node, (target) => this.check(target));
    if (node.kind === 'scalar') return this.checkScalar(node);
    this.enter();
    try {
      if (node.kind === 'sequence') for (const child of node.children) this.check(child);
      else this.mappingInto(node, undefined);
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

  /** The alias's target, as `expand` decodes, checks or merges it. */
  private alias<T>(node: AliasYamlNode, expand: (target: YamlNode) => T): T {
    if (this.expanding.has(node)) throw new YamlDecodeError(`anchor '${node.name}' value contains itself`);
    this.expanding.add(node);
    this.aliasDepth++;
    try {
      return expand(node.target);
    } finally {
      this.aliasDepth--;
      this.expanding.delete(node);
    }
  }

  /** `d.unmarshal(n, out)` with `out` an existing map, as merges decode into the map being built (checked when there is none). */
  private decodeInto(node: YamlNode, into: DecodedMap | undefined): void {
    this.count();
    if (node.kind === 'alias') {
      this.alias(node, (target) => this.decodeInto(target, into));
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
    if (node.tag === '' && !node.implicit) return node.value;
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

  /** `scalar` for its errors and whether JSON takes it: an untagged one fails on nothing, a quoted one is a string. */
  private checkScalar(node: ScalarYamlNode): void {
    if (node.tag === '') {
      if (node.implicit && readsAsNonFinite(node.value)) this.unconvertible = true;
      return;
    }
    const value = this.scalar(node);
    if (typeof value === 'number' && !Number.isFinite(value)) this.unconvertible = true;
  }

  private sequence(node: SequenceYamlNode): DecodedSequence {
    const sequence = new DecodedSequence();
    for (const child of node.children) sequence.items.push({ value: this.decode(child), node: child });
    return sequence;
  }

  /** A mapping key, decoded: go-yaml refuses a collection as one. */
  private mapKey(keyNode: YamlNode): Resolved {
    const key = this.decode(keyNode);
    if (key instanceof DecodedMap || key instanceof DecodedSequence) throw new YamlDecodeError(`invalid map key: ${goSyntaxOf(key)}`);
    if (key === null) this.unconvertible = true;
    return key;
  }

  /** The mapping's entries into `map`, or checked when there is none. */
  private mappingInto(node: MappingYamlNode, map: DecodedMap | undefined): void {
    for (let i = 0; i < node.children.length; i += 2) {
      const keyNode = node.children[i]!;
      const valueNode = node.children[i + 1]!;
      if (isMerge(keyNode)) {
        this.merge(valueNode, map);
        continue;
      }
      const key = this.mapKey(keyNode);
      if (map) map.entries.set(keyIdentity(key), { key, value: this.decode(valueNode), keyNode, valueNode });
      else this.check(valueNode);
    }
  }

  private merge(node: YamlNode, map: DecodedMap | undefined): void {
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
