import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { AliasExpansionError, plainValueOf } from './plain.js';
import { LineIndex } from './source.js';
import type { NodePath, ResourceRef, SkippedFile, SourceFile, Span } from './types.js';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Past this many nodes brought in by aliases in one document, the file is treated as an alias bomb. */
const MAX_ALIASED_NODES = 10_000;

export type JsonObject = { [key: string]: unknown };

export interface ParsedSource {
  file: SourceFile;
  documents: Document.Parsed[];
  lines: LineIndex;
}

export interface Resource {
  ref: ResourceRef;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  object: JsonObject;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  source: ParsedSource;
  documentIndex: number;
  /** From the document root to the resource: `[]`, or `['items', n]` inside a `kind: List`. */
  basePath: NodePath;
}

export interface ParseProblem {
  file: string;
  documentIndex: number;
  message: string;
  span: Span;
}

export interface ParsedFile {
  source?: ParsedSource;
  resources: Resource[];
  problems: ParseProblem[];
  documentCount: number;
  skipped?: SkippedFile;
}

export interface ParseLimits {
  maxFileBytes: number;
}

/** Go templates (Helm charts) are not manifests until rendered; parsing them gives noise. */
const GO_TEMPLATE = /\{\{-?\s*(?:[.$(/"]|[a-zA-Z_]+\s|end\b|else\b|if\b|range\b|with\b|include\b|template\b|define\b)/;

/** Why a file of this many bytes is not read, if it is too large. */
export function oversizeReason(bytes: number, limits: ParseLimits): string | undefined {
  return bytes > limits.maxFileBytes ? `file is ${formatBytes(bytes)}, over the ${formatBytes(limits.maxFileBytes)} limit` : undefined;
}

export function skipReason(file: SourceFile, limits: ParseLimits): string | undefined {
  // Length in UTF-16 units is at most the UTF-8 size: only count bytes when it could matter.
  if (file.text.length * 3 > limits.maxFileBytes) {
    const oversize = oversizeReason(Buffer.byteLength(file.text, 'utf8'), limits);
    if (oversize) return oversize;
  }
  if (file.text.includes('\u0000')) return 'binary file';
  if (GO_TEMPLATE.test(file.text)) return 'Go/Helm template ({{ }}): render it first (helm template) and lint the output';
  return undefined;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A map of labels or annotations: values as strings, nulls dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== null && entry !== undefined) out[key] = String(entry);
  }
  return out;
}

export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function parseManifestFile(file: SourceFile, limits: ParseLimits): ParsedFile {
  const reason = skipReason(file, limits);
  if (reason) return { resources: [], problems: [], documentCount: 0, skipped: { file: file.path, reason } };

  const documents = parseAllDocuments(file.text, { merge: true, prettyErrors: false });
  if (!Array.isArray(documents)) {
    // parseAllDocuments returns an EmptyStream for a file with no documents.
    return { resources: [], problems: [], documentCount: 0 };
  }
  const source: ParsedSource = { file, documents, lines: new LineIndex(file.text) };
  const resources: Resource[] = [];
  const problems: ParseProblem[] = [];

  for (const [documentIndex, doc] of documents.entries()) {
    if (doc.errors.length > 0) {
      const error = doc.errors[0]!;
      const [start, end] = error.pos;
      problems.push({
        file: file.path,
        documentIndex,
        message: `YAML parse error in document ${documentIndex + 1}: ${firstLine(error.message)}`,
        span: source.lines.span(start, end),
      });
      continue;
    }
    let value: unknown;
    try {
      value = plainValueOf(doc, MAX_ALIASED_NODES);
    } catch (error) {
      if (!(error instanceof AliasExpansionError)) throw error;
      return {
        resources: [],
        problems: [],
        documentCount: documents.length,
        skipped: { file: file.path, reason: `YAML alias expansion over ${MAX_ALIASED_NODES} nodes (alias bomb?)` },
      };
    }
    collectResources(value, [], source, documentIndex, resources);
  }
  return { source, resources, problems, documentCount: documents.length };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function collectResources(
  value: unknown,
  basePath: NodePath,
  source: ParsedSource,
  documentIndex: number,
  out: Resource[],
): void {
  if (!isObject(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') return;
  if (value.kind.endsWith('List') && Array.isArray(value.items)) {
    value.items.forEach((item, index) => collectResources(item, [...basePath, 'items', index], source, documentIndex, out));
    return;
  }
  const metadata = asObject(value.metadata) ?? {};
  const name = typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? metadata.generateName : '<unnamed>';
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  out.push({
    ref: { kind: value.kind, ...(namespace ? { namespace } : {}), name, file: source.file.path, documentIndex },
    apiVersion: value.apiVersion,
    kind: value.kind,
    name,
    ...(namespace ? { namespace } : {}),
    object: value,
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    source,
    documentIndex,
    basePath,
  });
}

export interface LocatedNode {
  /** The node at the path, or the deepest ancestor that exists. */
  node: Node;
  /** The pair whose value is `node`, when `node` is a map value. */
  pair?: Pair<Node, Node | null>;
  /** True when the whole path was found. */
  exact: boolean;
}

/** Walks the YAML tree of a resource along a path of keys and indexes. */
export function locateNode(resource: Resource, path: NodePath): LocatedNode {
  const doc = resource.source.documents[resource.documentIndex]!;
  let node = doc.contents as Node;
  let pair: Pair<Node, Node | null> | undefined;
  for (const segment of [...resource.basePath, ...path]) {
    const current = isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
    let next: Node | undefined;
    let nextPair: Pair<Node, Node | null> | undefined;
    if (isMap(current) && typeof segment === 'string') {
      nextPair = current.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment) as
        | Pair<Node, Node | null>
        | undefined;
      next = nextPair?.value ?? nextPair?.key ?? undefined;
    } else if (isSeq(current) && typeof segment === 'number') {
      next = (current.items[segment] as Node | undefined) ?? undefined;
      nextPair = undefined;
    }
    if (!next) return { node, ...(pair ? { pair } : {}), exact: false };
    node = next;
    pair = nextPair;
  }
  return { node, ...(pair ? { pair } : {}), exact: true };
}

export type SpanPart = 'value' | 'key' | 'entry';

/** The source range of a node: its value, its key, or the whole `key: value` entry. */
export function offsetsOf(resource: Resource, path: NodePath, part: SpanPart = 'value'): [number, number] {
  const located = locateNode(resource, path);
  const valueRange = located.node.range ?? [0, 0, 0];
  const keyRange = located.pair && isScalar(located.pair.key) ? located.pair.key.range : undefined;
  const text = resource.source.file.text;
  if (part === 'key' && keyRange && located.exact) return [keyRange[0], keyRange[1]];
  if (part === 'entry' && keyRange && located.exact) return [keyRange[0], contentEnd(text, keyRange[0], valueRange[1])];
  return [valueRange[0], contentEnd(text, valueRange[0], valueRange[1])];
}

/** Where the content of a range ends: a block collection's range takes in the line break after it. */
export function contentEnd(text: string, start: number, end: number): number {
  let cursor = end;
  while (cursor > start && /\s/.test(text[cursor - 1]!)) cursor--;
  return cursor;
}

export function spanOf(resource: Resource, path: NodePath, part: SpanPart = 'value'): Span {
  const [start, end] = offsetsOf(resource, path, part);
  return resource.source.lines.span(start, end);
}
