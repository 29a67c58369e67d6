/**
 * Go values written as YAML, the two ways Helm 4 does: `toYaml` is sigs.k8s.io/yaml's
 * Marshal (encoding/json first, the JSON read back by go-yaml v2 and written by its
 * encoder), `toYamlPretty` is go-yaml v3's encoder on the value itself (indent 2).
 */
import type { OriginSpan, ValueNode } from '../origins.js';
import { GoStruct, isGoMap } from '../values.js';
import type { GoValue } from '../values.js';
import { Decoder, DecodedMap, DecodedSequence, composeFirstDocument } from './decode.js';
import type { Decoded, MappingYamlNode, ScalarYamlNode, SequenceYamlNode, YamlNode } from './decode.js';
import { emitDocument } from './emitter.js';
import type { EmitEvent } from './emitter.js';
import { formatFloatG } from './go-float.js';
import { marshalGoJson } from './json.js';
import { YamlDecodeError, YamlInt, plainReadsAsStringV2 } from './resolve.js';
import { YamlSyntaxError, goYamlMessage } from './scanner.js';
import { MAX_NESTING, NestingTooDeepError } from '../../yaml-tree.js';

/** The error sigs.k8s.io/yaml.Marshal returns (`error marshaling into JSON: ...`, `yaml: ...`). */
export class YamlWriteError extends Error {}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

/**
 * go-yaml's key order for strings (`keyList.Less`): letters before other characters, runs
 * of digits compared as numbers; v3 also puts letters after a shared digit prefix first.
 */
function yamlKeyLess(a: string, b: string, v3: boolean): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = DIGIT.test(ar[i]!);
      continue;
    }
    const al = LETTER.test(ar[i]!);
    const bl = LETTER.test(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return v3 && digits ? al : bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && DIGIT.test(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && DIGIT.test(ar[ai]!); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai]!.codePointAt(0)! - 0x30));
    let bi = i;
    for (; bi < br.length && DIGIT.test(br[bi]!); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi]!.codePointAt(0)! - 0x30));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

function sortYamlKeys<T>(entries: T[], keyOf: (entry: T) => string, v3: boolean): T[] {
  return entries.sort((x, y) => {
    const a = keyOf(x);
    const b = keyOf(y);
    return yamlKeyLess(a, b, v3) ? -1 : yamlKeyLess(b, a, v3) ? 1 : 0;
  });
}

/** go-yaml's `stringv`: literal for multi-line text, plain when it reads back as itself, double-quoted otherwise. */
function stringEvent(value: string, origin?: ValueNode): EmitEvent {
  const style = value.includes('\n') ? 'literal' : plainReadsAsStringV2(value) ? 'plain' : 'double-quoted';
  return { type: 'scalar', value, tag: '', implicit: true, style, origin };
}

function plainEvent(value: string, origin?: ValueNode): EmitEvent {
  return { type: 'scalar', value, tag: '', implicit: true, style: 'plain', origin };
}

function floatText(value: number): string {
  const text = formatFloatG(value, 64);
  return text === '+Inf' ? '.inf' : text === '-Inf' ? '-.inf' : text === 'NaN' ? '.nan' : text;
}

/** The events go-yaml v2's encoder makes of a value decoded from JSON; origins found by where each node started in the JSON. */
function v2Events(value: Decoded, originAt: (node: YamlNode) => ValueNode | undefined, node: YamlNode | undefined, events: EmitEvent[]): void {
  const origin = node && originAt(node);
  if (value instanceof DecodedMap) {
    events.push({ type: 'mapping-start', tag: '', implicit: true, flow: false });
    const entries = sortYamlKeys([...value.entries.values()], (entry) => entry.key as string, false);
    for (const entry of entries) {
      v2Events(entry.key, originAt, entry.keyNode, events);
      v2Events(entry.value, originAt, entry.valueNode, events);
    }
    events.push({ type: 'mapping-end' });
  } else if (value instanceof DecodedSequence) {
    events.push({ type: 'sequence-start', tag: '', implicit: true, flow: false });
    for (const item of value.items) v2Events(item.value, originAt, item.node, events);
    events.push({ type: 'sequence-end' });
  } else if (value === null) events.push(plainEvent('null', origin));
  else if (typeof value === 'boolean') events.push(plainEvent(String(value), origin));
  else if (typeof value === 'string') events.push(stringEvent(value, origin));
  else if (value instanceof YamlInt) events.push(plainEvent(value.value.toString(), origin));
  else events.push(plainEvent(floatText(value), origin));
}

/** One line of characters go-yaml reads as themselves: printable, no line break (NEL, LS, PS), no byte order mark, no surrogate. */
const ONE_LINE_PRINTABLE = /^[\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;
/** go-yaml forgets a simple key 1024 characters before its `:`; well short of that a key reads as JSON reads it. */
const LONGEST_KEY = 1000;
/** Well inside go-yaml's depth limits. */
const DEEPEST = 64;

class ReadOtherwise extends Error {}

/**
 * composeFirstDocument of json.Marshal's text, read as JSON (a flow mapping, sequence or
 * scalar is what go-yaml reads each JSON value as): the same nodes at the same offsets, a
 * string's escapes undone as go-yaml undoes the same escapes. Undefined for text go-yaml
 * may read otherwise than as JSON: a character it does not take as itself, a key near the
 * length it forgets a key at, a surrogate escaped, a depth near its limits.
 */
function composeJson(json: string): YamlNode | undefined {
  if (!ONE_LINE_PRINTABLE.test(json)) return undefined;
  let at = 0;
  const expect = (c: string): void => {
    if (json[at] !== c) throw new ReadOtherwise();
    at++;
  };
  const quoted = (): ScalarYamlNode => {
    const start = at;
    let end = json.indexOf('"', at + 1);
    for (;;) {
      let backslashes = 0;
      while (json.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
      if (end === -1 || backslashes % 2 === 0) break;
      end = json.indexOf('"', end + 1);
    }
    if (end === -1) throw new ReadOtherwise();
    const literal = json.slice(start, end + 1);
    if (/\\u[dD][89abAB]/.test(literal)) throw new ReadOtherwise();
    at = end + 1;
    return { kind: 'scalar', value: JSON.parse(literal) as string, tag: '', implicit: false, start, end: at };
  };
  const node = (depth: number): YamlNode => {
    const start = at;
    const c = json[at];
    if (c === '"') return quoted();
    if (c === '{' || c === '[') {
      if (depth > DEEPEST) throw new ReadOtherwise();
      at++;
      const close = c === '{' ? '}' : ']';
      const collection: MappingYamlNode | SequenceYamlNode = c === '{' ? { kind: 'mapping', children: [], start, end: start } : { kind: 'sequence', children: [], start, end: start };
      while (json[at] !== close) {
        if (collection.children.length > 0) expect(',');
        if (collection.kind === 'mapping') {
          if (json[at] !== '"') throw new ReadOtherwise();
          const key = quoted();
          if (key.end - key.start > LONGEST_KEY) throw new ReadOtherwise();
          collection.children.push(key);
          expect(':');
        }
        collection.children.push(node(depth + 1));
      }
      at++;
      // A flow collection ends after its closing bracket, as the parser's end event does.
      collection.end = at;
      return collection;
    }
    while (at < json.length && !',}]'.includes(json[at]!)) at++;
    if (at === start) throw new ReadOtherwise();
    return { kind: 'scalar', value: json.slice(start, at), tag: '', implicit: true, start, end: at };
  };
  try {
    const root = node(0);
    return at === json.length ? root : undefined;
  } catch (error) {
    if (error instanceof ReadOtherwise) return undefined;
    throw error;
  }
}

/**
 * sigs.k8s.io/yaml.Marshal: the text and, for every scalar with a values-file node behind
 * it, a span. Throws YamlWriteError with the error Go returns.
 */
export function marshalYamlV2(value: GoValue): { text: string; spans: OriginSpan[] } {
  const origins = new Map<number, ValueNode>();
  let json: string;
  try {
    json = marshalGoJson(value, { origins });
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('json: ')) throw new YamlWriteError(`error marshaling into JSON: ${error.message}`);
    throw error;
  }
  let decoded: Decoded;
  let root: YamlNode | undefined;
  try {
    root = composeJson(json) ?? composeFirstDocument(json);
    decoded = root ? new Decoder().decodeDocument(root) : null;
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new YamlWriteError(goYamlMessage(error));
    if (error instanceof YamlDecodeError) throw new YamlWriteError(`yaml: ${error.message}`);
    throw error;
  }
  const events: EmitEvent[] = [];
  v2Events(decoded, (node) => origins.get(node.start), root, events);
  return emitDocument(events, { variant: 'v2' });
}

/** go-yaml v3's encoder on a Go value: maps by key order, structs by their lowercased field names, []byte as a list of numbers. */
function v3Events(value: GoValue, events: EmitEvent[], depth = 0): void {
  if (depth > MAX_NESTING) throw new NestingTooDeepError();
  if (value === null) events.push(plainEvent('null'));
  else if (typeof value === 'boolean') events.push(plainEvent(String(value)));
  else if (typeof value === 'string') events.push(stringEvent(value));
  else if (typeof value === 'bigint') events.push(plainEvent(value.toString()));
  else if (typeof value === 'number') events.push(plainEvent(floatText(value)));
  else if (value instanceof Uint8Array) v3Events([...value].map(BigInt), events);
  else if (value instanceof GoStruct && value.underlying !== undefined) v3Events(value.underlying, events, depth);
  else if (Array.isArray(value)) {
    events.push({ type: 'sequence-start', tag: '', implicit: true, flow: false });
    for (const item of value) v3Events(item, events, depth + 1);
    events.push({ type: 'sequence-end' });
  } else if (value instanceof GoStruct && value.methods.has('MarshalText')) {
    // time.Time is written plain (v3's timev); another text form goes through stringv.
    const text = String(value.methods.get('MarshalText')!.call());
    events.push(value.typeName === 'time.Time' ? plainEvent(text) : stringEvent(text));
  } else if (value instanceof GoStruct) {
    events.push({ type: 'mapping-start', tag: '', implicit: true, flow: false });
    for (const [field, item] of value.fields) {
      events.push(stringEvent(field.toLowerCase()));
      v3Events(item, events, depth + 1);
    }
    events.push({ type: 'mapping-end' });
  } else if (isGoMap(value)) {
    events.push({ type: 'mapping-start', tag: '', implicit: true, flow: false });
    for (const [key, item] of sortYamlKeys([...value], ([name]) => name, true)) {
      events.push(stringEvent(key));
      v3Events(item, events, depth + 1);
    }
    events.push({ type: 'mapping-end' });
  }
}

/** Helm's toYamlPretty: go-yaml v3's Encoder with SetIndent(2). */
export function marshalYamlV3(value: GoValue): string {
  const events: EmitEvent[] = [];
  v3Events(value, events);
  return emitDocument(events, { variant: 'v3', indent: 2 }).text;
}
