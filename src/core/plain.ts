import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import { MAX_NESTING, NestingTooDeepError, setPlainEntry } from './yaml-tree.js';

export class AliasExpansionError extends Error {}

/** Aliases within aliases deeper than this are a cycle or a bomb, not a manifest. */
const MAX_ALIAS_DEPTH = 64;

/** `<<`, which the yaml library gives as a symbol when merge keys are on. */
function isMergeKey(name: unknown): boolean {
  return name === '<<' || (typeof name === 'symbol' && name.description === '<<');
}

/**
 * The plain value of a document: what `Document.toJS` gives for manifests (maps, sequences,
 * scalars, aliases and `<<` merges) at a fraction of its cost, which matters because it runs
 * on every document. Aliases are expanded, and the nodes they bring in are counted: past
 * `maxAliasedNodes` the document is an alias bomb (a cycle becomes one too).
 */
export function plainValueOf(doc: Document.Parsed, maxAliasedNodes: number): unknown {
  let aliasedNodes = 0;
  let aliasDepth = 0;
  let depth = 0;
  const sizes = new Map<Node, number>();

  // Nested aliases count as one here: their own expansion is counted when it happens.
  const sizeOf = (node: unknown): number => {
    if (isMap(node) || isSeq(node)) {
      let size = sizes.get(node);
      if (size === undefined) {
        size = 1;
        for (const item of node.items) size += isMap(node) ? sizeOf((item as { key: unknown }).key) + sizeOf((item as { value: unknown }).value) : sizeOf(item);
        sizes.set(node, size);
      }
      return size;
    }
    return 1;
  };

  const convert = (node: unknown): unknown => {
    if (isScalar(node)) return node.value;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      aliasedNodes += sizeOf(target);
      // An alias inside what it names is a cycle: it would nest without end.
      if (aliasedNodes > maxAliasedNodes || aliasDepth >= MAX_ALIAS_DEPTH) throw new AliasExpansionError(`alias expansion over ${maxAliasedNodes} nodes`);
      aliasDepth++;
      try {
        return target === undefined ? null : convert(target);
      } finally {
        aliasDepth--;
      }
    }
    if (!isSeq(node) && !isMap(node)) return null;
    // Aliases can nest what the text does not: a chain of them, each deep, would exhaust the stack.
    if (++depth > MAX_NESTING) throw new NestingTooDeepError();
    try {
      return isSeq(node) ? node.items.map(convert) : convertMap(node);
    } finally {
      depth--;
    }
  };

  const convertMap = (node: YAMLMap): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const { key, value } of node.items) {
      const name = isScalar(key) ? key.value : convert(key);
      if (!isMergeKey(name)) {
        setPlainEntry(out, String(name), convert(value));
        continue;
      }
      // A YAML 1.1 merge (manifests are parsed with them on): keys already there stay,
      // earlier merged maps win over later ones, and explicit keys after it override.
      for (const source of isSeq(value) ? value.items.map(convert) : [convert(value)]) {
        if (typeof source !== 'object' || source === null || Array.isArray(source)) continue;
        for (const [merged, entry] of Object.entries(source)) if (!Object.hasOwn(out, merged)) setPlainEntry(out, merged, entry);
      }
    }
    return out;
  };

  return convert(doc.contents);
}
