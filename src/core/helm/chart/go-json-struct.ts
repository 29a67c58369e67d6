import type { GoValue } from '../values.js';
import { DecodedMap, DecodedSequence, jsonKeyText, unsupportedKeyMessage } from '../yaml/decode.js';
import type { Decoded } from '../yaml/decode.js';
import { formatFloatG } from '../yaml/go-float.js';
import { YamlInt } from '../yaml/resolve.js';

/**
 * `sigs.k8s.io/yaml.Unmarshal` into a Go struct (Chart.yaml into chart.Metadata): go-yaml's
 * value converted to JSON with the struct as the target — a number or a bool where the
 * struct wants a string becomes a string (`version: 1.10` reads "1.1", as in helm: float32
 * formatting) — then encoding/json into the struct: field names matched exactly, else
 * case-insensitively; a value of the wrong kind is Go's UnmarshalTypeError, the first in
 * JSON's (sorted) key order, worded as Go words it.
 */

export type FieldType =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'strings' }
  | { kind: 'stringMap' }
  | { kind: 'anyList' }
  | { kind: 'structList'; struct: StructType }
  /** A pointer to a struct: absent or null leaves it nil. */
  | { kind: 'struct'; struct: StructType }
  | { kind: 'time' };

export interface StructType {
  /** Go's name of the type (`Metadata`), and how `%v` of its type reads (`v2.Metadata`). */
  name: string;
  qualifiedName: string;
  fields: Record<string, FieldType>;
}

/** The decoded struct: JSON field name to Go value (strings, booleans, string lists, string maps, struct lists of records). */
export type StructValue = Map<string, unknown>;

export class JsonStructError extends Error {}

/** JSON as encoding/json sees it after sigs.k8s.io/yaml's conversion. */
type Json = null | boolean | string | number | Json[] | Map<string, Json>;

function goTypeOf(type: FieldType): string {
  switch (type.kind) {
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'strings':
      return '[]string';
    case 'stringMap':
      return 'map[string]string';
    case 'anyList':
      return '[]interface {}';
    case 'structList':
      return `[]*${type.struct.qualifiedName}`;
    case 'struct':
      return type.struct.qualifiedName;
    case 'time':
      return 'time.Time';
  }
}

function findField(struct: StructType, key: string): [string, FieldType] | undefined {
  const exact = struct.fields[key];
  if (exact) return [key, exact];
  const folded = key.toLowerCase();
  return Object.entries(struct.fields).find(([name]) => name.toLowerCase() === folded);
}

/** Whether a map key that converts to JSON (see jsonKeyText) names a field of the struct. */
export function namesField(struct: StructType, key: Decoded): boolean {
  const text = jsonKeyText(key);
  return text !== undefined && findField(struct, text) !== undefined;
}

/** sigs.k8s.io/yaml's key conversion, which refuses a nil or uint64 key. */
function keyText(key: Decoded, value: Decoded): string {
  const text = jsonKeyText(key);
  if (text === undefined) throw new JsonStructError(unsupportedKeyMessage(key, value));
  return text;
}

type Target = FieldType | StructType | { kind: 'elementOf'; type: FieldType } | undefined;

function isStruct(target: Target): target is StructType {
  return target !== undefined && 'fields' in target;
}

/** convertToJSONableObject: go-yaml's value as JSON, scalars made strings where the target wants one. */
function toJson(value: Decoded, target: Target): Json {
  if (value instanceof DecodedMap) {
    const out = new Map<string, Json>();
    for (const entry of value.entries.values()) {
      const key = keyText(entry.key, entry.value);
      let child: Target;
      if (isStruct(target)) child = findField(target, key)?.[1];
      else if (target && 'kind' in target && target.kind === 'struct') child = findField(target.struct, key)?.[1];
      else if (target && 'kind' in target && target.kind === 'stringMap') child = { kind: 'string' };
      else if (target && 'kind' in target && target.kind === 'structList') child = undefined;
      out.set(key, toJson(entry.value, child));
    }
    return out;
  }
  if (value instanceof DecodedSequence) {
    let element: Target;
    if (target && 'kind' in target) {
      if (target.kind === 'strings') element = { kind: 'string' };
      else if (target.kind === 'structList') element = target.struct;
    }
    return value.items.map((item) => toJson(item.value, element));
  }
  if (value instanceof YamlInt) {
    const text = String(value.value);
    return target && 'kind' in target && target.kind === 'string' ? text : Number(value.value);
  }
  if (target && 'kind' in target && target.kind === 'string') {
    if (typeof value === 'number') return formatFloatG(value, 32);
    if (typeof value === 'boolean') return String(value);
  }
  return value;
}

/**
 * Whether the conversion to JSON and json.Marshal pass over every part of the value: no map
 * key JSON cannot name, no NaN or infinity. Then only the entries that name a field of the
 * struct can change what decodes, or fail: a manifest's head is three fields of a document
 * that may be a CRD of a thousand lines.
 */
function convertsCleanly(value: Decoded): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value instanceof YamlInt) return Number.isFinite(Number(value.value));
  if (value instanceof DecodedSequence) return value.items.every((item) => convertsCleanly(item.value));
  if (!(value instanceof DecodedMap)) return true;
  for (const entry of value.entries.values()) {
    if (jsonKeyText(entry.key) === undefined) return false;
    if (!convertsCleanly(entry.value)) return false;
  }
  return true;
}

/** A map's entries whose keys name a field of the struct. */
function fieldsOnly(value: Decoded, struct: StructType): Decoded {
  if (!(value instanceof DecodedMap)) return value;
  const fields = new DecodedMap();
  for (const [identity, entry] of value.entries) if (namesField(struct, entry.key)) fields.entries.set(identity, entry);
  return fields;
}

/** json.Marshal refuses NaN and infinities. */
function checkMarshal(value: Json): void {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new JsonStructError(`error converting YAML to JSON: json: unsupported value: ${formatFloatG(value, 64)}`);
  if (Array.isArray(value)) value.forEach(checkMarshal);
  else if (value instanceof Map) for (const key of [...value.keys()].sort()) checkMarshal(value.get(key)!);
}

function jsonKind(value: Json): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return Array.isArray(value) ? 'array' : 'object';
}

/** JSON into an `interface{}`: objects as maps, numbers as float64. */
function asGoValue(value: Json): GoValue {
  if (Array.isArray(value)) return value.map(asGoValue);
  if (value instanceof Map) return new Map([...value].map(([key, entry]) => [key, asGoValue(entry)]));
  return value;
}

interface ErrorContext {
  struct: StructType;
  fields: string[];
}

class StructDecoder {
  firstError: string | undefined;

  private mismatch(value: Json, type: string, context: ErrorContext | undefined): void {
    if (this.firstError !== undefined) return;
    const where = context ? `Go struct field ${context.struct.name}.${context.fields.join('.')}` : 'Go value';
    this.firstError = `json: cannot unmarshal ${jsonKind(value)} into ${where} of type ${type}`;
  }

  struct(value: Json, struct: StructType, into: StructValue, context: ErrorContext | undefined): void {
    if (value === null) return;
    if (!(value instanceof Map)) {
      this.mismatch(value, struct.qualifiedName, context);
      return;
    }
    for (const key of [...value.keys()].sort()) {
      const field = findField(struct, key);
      if (!field) continue;
      const [name, type] = field;
      const fieldContext = { struct, fields: [...(context?.fields ?? []), name] };
      this.field(value.get(key)!, type, name, into, fieldContext);
    }
  }

  private field(value: Json, type: FieldType, name: string, into: StructValue, context: ErrorContext): void {
    switch (type.kind) {
      case 'string':
        if (value === null) return;
        if (typeof value === 'string') into.set(name, value);
        else this.mismatch(value, 'string', context);
        return;
      case 'bool':
        if (value === null) return;
        if (typeof value === 'boolean') into.set(name, value);
        else this.mismatch(value, 'bool', context);
        return;
      case 'time':
        if (value === null) return;
        if (typeof value === 'string') into.set(name, value);
        else this.firstError ??= 'Time.UnmarshalJSON: input is not a JSON string';
        return;
      case 'strings': {
        if (value === null) return void into.set(name, null);
        if (!Array.isArray(value)) return this.mismatch(value, goTypeOf(type), context);
        const list: string[] = [];
        for (const item of value) {
          if (typeof item === 'string') list.push(item);
          else if (item === null) list.push('');
          else this.mismatch(item, 'string', context);
        }
        into.set(name, list);
        return;
      }
      case 'stringMap': {
        if (value === null) return void into.set(name, null);
        if (!(value instanceof Map)) return this.mismatch(value, goTypeOf(type), context);
        const map = (into.get(name) as Map<string, string> | null | undefined) ?? new Map<string, string>();
        for (const [key, item] of value) {
          if (typeof item === 'string') map.set(key, item);
          else if (item === null) map.set(key, '');
          else this.mismatch(item, 'string', context);
        }
        into.set(name, map);
        return;
      }
      case 'anyList':
        if (value === null) return void into.set(name, null);
        if (!Array.isArray(value)) return this.mismatch(value, goTypeOf(type), context);
        into.set(name, value.map(asGoValue));
        return;
      case 'struct': {
        if (value === null) return void into.set(name, null);
        if (!(value instanceof Map)) return this.mismatch(value, type.struct.qualifiedName, context);
        const fields: StructValue = new Map();
        this.struct(value, type.struct, fields, context);
        into.set(name, fields);
        return;
      }
      case 'structList': {
        if (value === null) return void into.set(name, null);
        if (!Array.isArray(value)) return this.mismatch(value, goTypeOf(type), context);
        into.set(
          name,
          value.map((item) => {
            if (item === null) return null;
            const element: StructValue = new Map();
            if (item instanceof Map) this.struct(item, type.struct, element, context);
            else this.mismatch(item, type.struct.qualifiedName, context);
            return element;
          }),
        );
      }
    }
  }
}

/**
 * Decodes go-yaml's value of a document into `into` (fields it sets replace, maps gain
 * entries, as encoding/json does into an existing struct). Throws JsonStructError with
 * sigs.k8s.io/yaml's message.
 */
export function decodeStruct(value: Decoded, struct: StructType, into: StructValue): void {
  const json = toJson(convertsCleanly(value) ? fieldsOnly(value, struct) : value, struct);
  checkMarshal(json);
  const decoder = new StructDecoder();
  decoder.struct(json, struct, into, undefined);
  if (decoder.firstError !== undefined) throw new JsonStructError(`error unmarshaling JSON: while decoding JSON: ${decoder.firstError}`);
}
