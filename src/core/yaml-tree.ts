import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';

/**
 * The part of a YAML document that spans and fixes need: the shape of the tree and where
 * each node's value is in the text (yaml's `range[0]` and `range[1]`: a block collection's
 * end takes in the line break after it). Built only for documents with a finding to place.
 */
export type TreeNode = ScalarNode | MapNode | SeqNode | AliasNode;

interface Located {
  start: number;
  end: number;
}

export interface ScalarNode extends Located {
  type: 'scalar';
  value: unknown;
}

export interface PairNode {
  /** A scalar key's value is its name in the plain object: `80:` is `"80"`. */
  key: TreeNode;
  /** Null only for a key without `:` in a flow map (`{a}`); `a:` has an empty scalar. */
  value: TreeNode | null;
}

export interface MapNode extends Located {
  type: 'map';
  flow: boolean;
  pairs: PairNode[];
}

export interface SeqNode extends Located {
  type: 'seq';
  flow: boolean;
  items: TreeNode[];
}

export interface AliasNode extends Located {
  type: 'alias';
  /** The anchored node, or undefined for an alias to no anchor. */
  target: TreeNode | undefined;
}

/**
 * Deeper than any manifest (Kubernetes objects nest a few dozen levels) and well within what
 * yaml's recursive composer survives: thousands of levels exhaust its stack, and at the edge
 * of the stack V8 can even abort the process (a regular expression compiled there fails as
 * out of memory), so such files are refused before any recursion, and a value
 * deeper than this once its aliases are expanded is refused too.
 */
export const MAX_NESTING = 500;

export class NestingTooDeepError extends Error {
  constructor() {
    super(`YAML nested deeper than ${MAX_NESTING} levels`);
  }
}

/** How manifests are parsed: YAML 1.2 core schema, with YAML 1.1's `<<` merge keys. */
export const YAML_PARSE_OPTIONS = { merge: true, prettyErrors: false } as const;

/** One document of a file: its plain value and its tree, or why it cannot be read. */
export interface ParsedDocument {
  value: unknown;
  /** Built when first asked for where the composer allows: most documents never need one. */
  tree(): TreeNode | null;
  error?: { message: string; start: number; end: number };
}

/** Adds a key to a plain object as data: a `__proto__` key must not become its prototype. */
export function setPlainEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

function emptyScalar(offset: number): ScalarNode {
  return { type: 'scalar', value: null, start: offset, end: offset };
}

/** The tree of a document composed by the yaml library (the path for anything unusual). */
export function treeOfDocument(doc: Document.Parsed): TreeNode | null {
  // Aliases share the node they name; a node is converted once, before its children, so
  // that an alias inside its own anchor ends in the node being built instead of recursing.
  const converted = new Map<Node, TreeNode>();
  const convert = (node: unknown): TreeNode | null => {
    if (!node || typeof node !== 'object') return null;
    const known = converted.get(node as Node);
    if (known) return known;
    const [start, end] = (node as Node).range ?? [0, 0];
    if (isScalar(node)) {
      const scalar: ScalarNode = { type: 'scalar', value: node.value, start, end };
      converted.set(node, scalar);
      return scalar;
    }
    if (isAlias(node)) {
      const alias: AliasNode = { type: 'alias', target: undefined, start, end };
      converted.set(node, alias);
      alias.target = convert(node.resolve(doc)) ?? undefined;
      return alias;
    }
    if (isMap(node)) {
      const map: MapNode = { type: 'map', flow: Boolean(node.flow), pairs: [], start, end };
      converted.set(node, map);
      for (const item of node.items) {
        if (!isPair(item)) continue;
        map.pairs.push({ key: keyOf(item.key, start), value: convert(item.value) });
      }
      return map;
    }
    if (isSeq(node)) {
      const seq: SeqNode = { type: 'seq', flow: Boolean(node.flow), items: [], start, end };
      converted.set(node, seq);
      for (const item of node.items) seq.items.push(convert(item) ?? emptyScalar(start));
      return seq;
    }
    return null;
  };
  // A scalar key by its name in the plain value, as paths name it.
  const keyOf = (key: unknown, offset: number): TreeNode => {
    if (!isScalar(key)) return convert(key) ?? emptyScalar(offset);
    const [start, end] = key.range ?? [offset, offset];
    return { type: 'scalar', value: String(key.value), start, end };
  };
  return convert(doc.contents);
}
