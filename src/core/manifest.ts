import { parse as parseYaml, parseAllDocuments, visit } from 'yaml';
import type { Document } from 'yaml';
import { multiLineQuotedScalars, withQuotedScalarsOnOneLine } from './quoted-continuations.js';
import { checkNesting, composeFromCst, treeOfComposed } from './cst-compose.js';
import type { ComposedDocument } from './cst-compose.js';
import { composeFromText } from './text-compose.js';
import { AliasExpansionError, plainValueOf } from './plain.js';
import { NOT_PRINTABLE, isBinaryText } from './encoding.js';
import { LineIndex, withLfLineBreaks } from './source.js';
import { hasTemplateSyntaxInStructure } from './templates.js';
import { hasTopLevelManifestKeys } from './top-level-keys.js';
import type { NodePath, ResourceRef, SkippedFile, SourceFile, Span } from './types.js';
import { NestingTooDeepError, YAML_PARSE_OPTIONS, treeOfDocument } from './yaml-tree.js';
import type { PairNode, ParsedDocument, TreeNode } from './yaml-tree.js';
import { firstLine } from './words.js';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

const EVERY_NOT_PRINTABLE = new RegExp(NOT_PRINTABLE.source, 'g');

/** Past this many nodes brought in by aliases in one document, the file is treated as an alias bomb. */
const MAX_ALIASED_NODES = 10_000;

export type JsonObject = { [key: string]: unknown };

export interface ParsedSource {
  file: SourceFile;
  documents: ParsedDocument[];
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
  /** A patch (named so by a kustomization of the change): its base completes it, so what it lacks is no finding. */
  partial?: boolean;
  /** Labels a kustomization of the change puts on its pod template. */
  inheritedPodLabels?: Record<string, string>;
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

/** Why a file of this many bytes is not read, if it is too large. */
export function oversizeReason(bytes: number, limits: ParseLimits): string | undefined {
  return bytes > limits.maxFileBytes ? `file is ${formatBytes(bytes)}, over the ${formatBytes(limits.maxFileBytes)} limit` : undefined;
}

export function skipReason(file: SourceFile, configLimits: ParseLimits): string | undefined {
  const limits = file.maxBytes !== undefined ? { maxFileBytes: file.maxBytes } : configLimits;
  // Length in UTF-16 units is at most the UTF-8 size: only count bytes when it could matter.
  if (file.text.length * 3 > limits.maxFileBytes) {
    const oversize = oversizeReason(Buffer.byteLength(file.text, 'utf8'), limits);
    if (oversize) return oversize;
  }
  if (isBinaryText(file.text)) return 'binary file';
  return undefined;
}

const TEMPLATE_REASON = 'Go/Helm template ({{ }}) outside any chart (no Chart.yaml in its folders): render it first (meshready template) and lint the output';

export function formatBytes(bytes: number): string {
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
  // Every resource's labels and annotations: keys by index, no entry pairs.
  const keys = Object.keys(value);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const entry = value[key];
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

  const text = withLfLineBreaks(file.text);
  // go-yaml, so kubectl, refuses a document holding a character YAML cannot print, where
  // `yaml` reads it: such a file goes to `yaml`, whose documents say where each begins.
  const unprintable = [...text.matchAll(EVERY_NOT_PRINTABLE)].map((match) => match.index);
  // A file the text composer reads has no Go template in its structure; any other file is
  // checked. Templates (Helm charts) are not manifests until rendered: parsing them gives noise.
  const composed = unprintable.length === 0 ? composeFromText(text) : undefined;
  if (!composed && hasTemplateSyntaxInStructure(text)) return { resources: [], problems: [], documentCount: 0, skipped: { file: file.path, reason: TEMPLATE_REASON } };
  let documents: ParsedDocument[];
  try {
    documents = unprintable.length === 0 ? parseDocuments(text, composed) : parseRefusingUnprintable(text, unprintable);
  } catch (error) {
    const refusal =
      error instanceof AliasExpansionError
        ? `YAML alias expansion over ${MAX_ALIASED_NODES} nodes (alias bomb?)`
        : error instanceof NestingTooDeepError
          ? error.message
          : undefined;
    if (!refusal) throw error;
    return { resources: [], problems: [], documentCount: 0, skipped: { file: file.path, reason: refusal } };
  }
  const source: ParsedSource = { file, documents, lines: new LineIndex(text) };
  const resources: Resource[] = [];
  const problems: ParseProblem[] = [];

  for (let documentIndex = 0; documentIndex < documents.length; documentIndex++) {
    const doc = documents[documentIndex]!;
    if (doc.error) {
      problems.push({
        file: file.path,
        documentIndex,
        message: `YAML parse error in document ${documentIndex + 1}: ${doc.error.message}`,
        span: source.lines.span(doc.error.start, doc.error.end),
      });
      continue;
    }
    collectResources(doc.value, [], source, documentIndex, resources);
  }
  // A data file (a JSON seed, an editor's launch.json) is no broken manifest: pass it over.
  if (problems.length > 0 && resources.length === 0 && !hasTopLevelManifestKeys(text)) return { source, resources, problems: [], documentCount: documents.length };
  return { source, resources, problems, documentCount: documents.length };
}

/**
 * Manifests in the plain block style are composed from their text, the rest of manifests as
 * written from yaml's CST; anything unusual by yaml itself.
 */
function parseDocuments(text: string, composedFromText: ComposedDocument[] | undefined): ParsedDocument[] {
  const composed = composedFromText ?? composeFromCst(text);
  if (composed) {
    // Keys JavaScript reorders (`"80":`) hide the text order: yaml gives those trees.
    const byYaml = lazily(() => parseAllDocuments(text, YAML_PARSE_OPTIONS));
    return composed.map(({ value, positions }, index) => ({
      value,
      tree: lazily(() => (positions ? treeOfComposed(value, positions) : treeOfDocument(byYaml()[index]!))),
    }));
  }
  return yamlDocuments(text).map(parsedDocumentOf);
}

type YamlDocument = Document.Parsed;

function yamlDocuments(text: string): YamlDocument[] {
  checkNesting(text);
  return readQuotedContinuationsLeniently(text, parseAllDocuments(text, YAML_PARSE_OPTIONS));
}

function parsedDocumentOf(doc: YamlDocument): ParsedDocument {
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    return { tree: () => null, value: null, error: { message: firstLine(error.message), start: error.pos[0], end: error.pos[1] } };
  }
  // The value first: it is what stops at an alias bomb.
  const value = plainValueOf(doc, MAX_ALIASED_NODES);
  const tree = treeOfDocument(doc);
  return { tree: () => tree, value };
}

/**
 * The documents of a text with characters outside YAML's printable set: each document
 * holding one fails at the first, with go-yaml's words (kubectl splits a file at its `---`
 * lines and reads each document apart); the others are read as usual.
 */
function parseRefusingUnprintable(text: string, offsets: number[]): ParsedDocument[] {
  const documents = yamlDocuments(text);
  const refusal = (offset: number): ParsedDocument => {
    const codePoint = text.codePointAt(offset)!.toString(16).toUpperCase().padStart(4, '0');
    return { tree: () => null, value: null, error: { message: `control characters are not allowed (U+${codePoint}): kubectl refuses the document`, start: offset, end: offset + 1 } };
  };
  if (documents.length === 0) return [refusal(offsets[0]!)];
  const firstRefused = new Map<number, number>();
  for (const offset of offsets) {
    // The document that holds it: the last to begin at or before it (a leading comment is the first's).
    const index = Math.max(0, documents.findLastIndex((doc) => doc.range[0] <= offset));
    if (!firstRefused.has(index)) firstRefused.set(index, offset);
  }
  return documents.map((doc, index) => (firstRefused.has(index) ? refusal(firstRefused.get(index)!) : parsedDocumentOf(doc)));
}

/**
 * Documents that fail only for quoted scalars continued on less-indented lines, read as
 * go-yaml (kubectl) reads them: see quoted-continuations.ts.
 */
function readQuotedContinuationsLeniently(text: string, documents: YamlDocument[]): YamlDocument[] {
  if (!documents.some((doc) => doc.errors.length > 0)) return documents;
  const spans = multiLineQuotedScalars(text);
  if (spans.length === 0) return documents;
  const relaxed = parseAllDocuments(withQuotedScalarsOnOneLine(text, spans), YAML_PARSE_OPTIONS);
  if (relaxed.length !== documents.length) return documents;
  const spanAt = new Map(spans.map((span) => [span.start, span]));
  return documents.map((doc, index) => {
    const candidate = relaxed[index]!;
    if (doc.errors.length === 0 || candidate.errors.length > 0) return doc;
    visit(candidate, {
      Scalar: (_key, node) => {
        const span = node.range ? spanAt.get(node.range[0]) : undefined;
        // Standing alone, the scalar's own text folds as YAML folds it: no indentation to respect.
        if (span) node.value = parseYaml(text.slice(span.start, span.end)) as unknown;
      },
    });
    return candidate;
  });
}

/** Runs `make` once, when first asked. */
function lazily<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
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
  node: TreeNode;
  /** The pair whose value is `node`, when `node` is a map value. */
  pair?: PairNode;
  /** True when the whole path was found. */
  exact: boolean;
}

/** Walks the YAML tree of a resource along a path of keys and indexes. */
export function locateNode(resource: Resource, path: NodePath): LocatedNode {
  const root = resource.source.documents[resource.documentIndex]!.tree();
  let node: TreeNode = root ?? { type: 'scalar', value: null, start: 0, end: 0 };
  let pair: PairNode | undefined;
  for (const segment of [...resource.basePath, ...path]) {
    const current = node.type === 'alias' ? node.target : node;
    let next: TreeNode | undefined;
    let nextPair: PairNode | undefined;
    if (current?.type === 'map' && typeof segment === 'string') {
      nextPair = current.pairs.find((item) => item.key.type === 'scalar' && String(item.key.value) === segment);
      next = nextPair?.value ?? nextPair?.key;
    } else if (current?.type === 'seq' && typeof segment === 'number') {
      next = current.items[segment];
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
  const { node, pair, exact } = locateNode(resource, path);
  const key = pair?.key.type === 'scalar' ? pair.key : undefined;
  const text = resource.source.file.text;
  if (part === 'key' && key && exact) return [key.start, key.end];
  if (part === 'entry' && key && exact) return [key.start, contentEnd(text, key.start, node.end)];
  return [node.start, contentEnd(text, node.start, node.end)];
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
