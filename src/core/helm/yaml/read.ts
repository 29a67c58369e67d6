/**
 * YAML as Helm reads it: `sigs.k8s.io/yaml.Unmarshal` (go-yaml v2 into `interface{}`, keys
 * made strings, then through encoding/json, so every number is a float64) and Helm 4's
 * `loader.LoadValues` (a values file is `---`-separated documents, merged). Every map entry
 * and list item is given the place in the file that set it (origins.ts).
 */
import { entryOriginOf, setEntryOrigin } from '../origins.js';
import type { ValueNode } from '../origins.js';
import { isGoMap } from '../values.js';
import type { GoMap, GoValue } from '../values.js';
import { Decoder, DecodedMap, DecodedSequence, composeFirstDocument, jsonKeyText, unsupportedKeyMessage } from './decode.js';
import type { Decoded, YamlNode } from './decode.js';
import { formatFloatG } from './go-float.js';
import { compareGoStrings } from '../fmt.js';
import { trimGoSpace } from './go-text.js';
import { YamlDecodeError, YamlInt } from './resolve.js';
import { YamlSyntaxError, goYamlMessage } from './scanner.js';

/** An error as Helm words it (`error converting YAML to JSON: yaml: line 3: ...`). */
export class YamlReadError extends Error {}

/** Text to decode, and how its characters map back to the file they came from. */
interface SourceText {
  /** The text after a leading BOM, which go-yaml's reader drops. */
  text: string;
  /** The file offset (UTF-16) of an offset in `text` (or one past the end). */
  fileOffsetOf(offset: number): number;
  file: string;
  fileText: string;
}

function sourceOf(text: string, file: string, fileText: string, toFile: (offset: number) => number): SourceText {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return {
    text: bom ? text.slice(1) : text,
    fileOffsetOf: (offset) => toFile(Math.min(offset + bom, text.length)),
    file,
    fileText,
  };
}

/** go-yaml v2 `Unmarshal` into `interface{}` of the first document (null for none). */
function decodeYaml(source: SourceText): { value: Decoded; node: YamlNode | undefined } {
  try {
    const root = composeFirstDocument(source.text === '' ? '\n' : source.text);
    return { value: root ? new Decoder().decodeDocument(root) : null, node: root };
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new YamlReadError(`error converting YAML to JSON: ${goYamlMessage(error)}`);
    if (error instanceof YamlDecodeError) throw new YamlReadError(`error converting YAML to JSON: yaml: ${error.message}`);
    throw error;
  }
}

function valueNodeOf(node: YamlNode, source: SourceText): ValueNode {
  const start = source.fileOffsetOf(node.start);
  const end = source.fileOffsetOf(node.end);
  return { file: source.file, start, end, source: source.fileText.slice(start, end) };
}

function keyString(key: Decoded, value: Decoded): string {
  const text = jsonKeyText(key);
  if (text === undefined) throw new YamlReadError(unsupportedKeyMessage(key, value));
  return text;
}

/**
 * The decoded value after sigs.k8s.io/yaml's trip through JSON: string keys, float64
 * numbers, keys in Go's order; origins recorded for every entry and item.
 */
function throughJson(value: Decoded, source: SourceText | undefined): GoValue {
  if (value instanceof DecodedMap) {
    const entries: [string, GoValue, ValueNode | undefined, ValueNode | undefined][] = [];
    const byKey = new Map<string, number>();
    for (const entry of value.entries.values()) {
      const key = keyString(entry.key, entry.value);
      const converted: [string, GoValue, ValueNode | undefined, ValueNode | undefined] = [
        key,
        throughJson(entry.value, source),
        source && valueNodeOf(entry.valueNode, source),
        source && valueNodeOf(entry.keyNode, source),
      ];
      const at = byKey.get(key);
      if (at === undefined) byKey.set(key, entries.push(converted) - 1);
      else entries[at] = converted;
    }
    entries.sort((a, b) => compareGoStrings(a[0], b[0]));
    const map: GoMap = new Map();
    for (const [key, item, valueNode, keyNode] of entries) {
      map.set(key, item);
      if (valueNode) setEntryOrigin(map, key, keyNode ? { value: valueNode, key: keyNode } : { value: valueNode });
    }
    return map;
  }
  if (value instanceof DecodedSequence) {
    const list: GoValue[] = [];
    value.items.forEach((item, index) => {
      list.push(throughJson(item.value, source));
      if (source) setEntryOrigin(list, index, { value: valueNodeOf(item.node, source) });
    });
    return list;
  }
  if (value instanceof YamlInt) return Number(value.value);
  return value;
}

/** encoding/json refuses NaN and the infinities: the first it meets, in its order (sorted keys), is the error. */
function firstUnsupportedFloat(value: GoValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstUnsupportedFloat(item);
      if (found !== undefined) return found;
    }
  } else if (isGoMap(value)) {
    for (const item of value.values()) {
      const found = firstUnsupportedFloat(item);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function unmarshal(source: SourceText, withOrigins: boolean): GoValue {
  const { value } = decodeYaml(source);
  const converted = throughJson(value, withOrigins ? source : undefined);
  const unsupported = firstUnsupportedFloat(converted);
  if (unsupported !== undefined) throw new YamlReadError(`error converting YAML to JSON: json: unsupported value: ${formatFloatG(unsupported)}`);
  return converted;
}

/** The JSON kind encoding/json names when it cannot unmarshal a value into a Go type. */
function jsonKindOf(value: GoValue): string {
  if (Array.isArray(value)) return 'array';
  if (isGoMap(value)) return 'object';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  return 'bool';
}

/** The Go type Helm unmarshals a document into: a map, a list, or anything. */
export type YamlTarget = 'map' | 'slice' | 'any';

const TARGET_TYPES: Record<Exclude<YamlTarget, 'any'>, string> = {
  map: 'map[string]interface {}',
  slice: '[]interface {}',
};

/**
 * `sigs.k8s.io/yaml.Unmarshal(text, &target)`: the first document, as a Go value (null for
 * none), with origins in `file` when given. Throws YamlReadError with Helm's message.
 */
export function readYaml(text: string, file?: string, target: YamlTarget = 'any'): GoValue {
  const source = sourceOf(text, file ?? '', text, (offset) => offset);
  const value = unmarshal(source, file !== undefined);
  if (target !== 'any' && value !== null && jsonKindOf(value) !== (target === 'map' ? 'object' : 'array')) {
    throw new YamlReadError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKindOf(value)} into Go value of type ${TARGET_TYPES[target]}`);
  }
  return value;
}

interface DocumentPart {
  text: string;
  /** Each line's start in the document's text and in the file. */
  lines: { documentOffset: number; fileOffset: number }[];
}

/**
 * apimachinery's YAMLReader over bufio's ReadLine: lines ending in `\n` or `\r\n` (both
 * become `\n`), a line starting with `---` ends a document (only spaces or a comment may
 * follow it), empty documents are skipped.
 */
function* valuesDocuments(text: string): Generator<DocumentPart> {
  let current: DocumentPart = { text: '', lines: [] };
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    let line = text.slice(start, end);
    if (newline !== -1 && line.endsWith('\r')) line = line.slice(0, -1);
    if (line.startsWith('---')) {
      const rest = trimGoSpace(line.slice(3));
      if (rest !== '' && rest[0] !== '#') throw new YamlReadError(`error reading yaml document: invalid Yaml document separator: ${rest}`);
      if (current.text !== '') yield current;
      current = { text: '', lines: [] };
    } else {
      current.lines.push({ documentOffset: current.text.length, fileOffset: start });
      current.text += `${line}\n`;
    }
    start = newline === -1 ? text.length : newline + 1;
  }
  if (current.text !== '') yield current;
}

function documentSource(part: DocumentPart, file: string, fileText: string): SourceText {
  const { lines } = part;
  return sourceOf(part.text, file, fileText, (offset) => {
    let low = 0;
    let high = lines.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lines[middle]!.documentOffset <= offset) low = middle;
      else high = middle - 1;
    }
    const line = lines[low];
    return line ? line.fileOffset + (offset - line.documentOffset) : 0;
  });
}

/** Helm's `MergeMaps`: b's entries over a's, maps within merged the same way, each entry keeping the origin of the file that set it. */
export function mergeValues(a: GoMap, b: GoMap): GoMap {
  const merged = new Map<string, { value: GoValue; from: GoMap }>();
  for (const [key, value] of a) merged.set(key, { value, from: a });
  for (const [key, value] of b) {
    const existing = merged.get(key)?.value;
    merged.set(key, { value: isGoMap(value) && isGoMap(existing) ? mergeValues(existing, value) : value, from: b });
  }
  const out: GoMap = new Map();
  for (const [key, { value, from }] of [...merged].sort((x, y) => compareGoStrings(x[0], y[0]))) {
    out.set(key, value);
    const origins = entryOriginOf(from, key);
    if (origins) setEntryOrigin(out, key, origins);
  }
  return out;
}

/**
 * A values file as Helm 4 loads it (`loader.LoadValues`, for a chart's values.yaml and for
 * `--values` files): every document a map, merged in order. Throws YamlReadError with
 * Helm's message (`cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: ...`).
 */
export function readValues(text: string, file: string): GoMap {
  let values: GoMap = new Map();
  for (const part of valuesDocuments(text)) {
    const source = documentSource(part, file, text);
    let value: GoValue;
    try {
      value = unmarshal(source, true);
      if (value !== null && !isGoMap(value)) {
        throw new YamlReadError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKindOf(value)} into Go value of type ${TARGET_TYPES.map}`);
      }
    } catch (error) {
      if (error instanceof YamlReadError) throw new YamlReadError(`cannot unmarshal yaml document: ${error.message}`);
      throw error;
    }
    if (value !== null) values = mergeValues(values, value);
  }
  return values;
}
