import type { GoMap, GoValue } from '../values.js';
import { Decoder, composeFirstDocument, readFields } from '../yaml/decode.js';
import type { Decoded } from '../yaml/decode.js';
import { readValues, readYaml } from '../yaml/read.js';
import type { Dependency, Maintainer, Metadata } from './chart.js';
import { decodeStruct, namesField } from './go-json-struct.js';
import type { StructType, StructValue } from './go-json-struct.js';

/**
 * Chart.yaml, requirements.yaml and the lock files as helm reads them: sigs.k8s.io/yaml into
 * helm's structs (see go-json-struct.ts). values.yaml is C's values reader (with origins).
 */

const STRING = { kind: 'string' } as const;
const STRINGS = { kind: 'strings' } as const;

const MAINTAINER: StructType = {
  name: 'Maintainer',
  qualifiedName: 'v2.Maintainer',
  fields: { name: STRING, email: STRING, url: STRING },
};

const DEPENDENCY: StructType = {
  name: 'Dependency',
  qualifiedName: 'v2.Dependency',
  fields: {
    name: STRING,
    version: STRING,
    repository: STRING,
    condition: STRING,
    tags: STRINGS,
    enabled: { kind: 'bool' },
    'import-values': { kind: 'anyList' },
    alias: STRING,
  },
};

const METADATA: StructType = {
  name: 'Metadata',
  qualifiedName: 'v2.Metadata',
  fields: {
    name: STRING,
    home: STRING,
    sources: STRINGS,
    version: STRING,
    description: STRING,
    keywords: STRINGS,
    maintainers: { kind: 'structList', struct: MAINTAINER },
    icon: STRING,
    apiVersion: STRING,
    condition: STRING,
    tags: STRING,
    appVersion: STRING,
    deprecated: { kind: 'bool' },
    annotations: { kind: 'stringMap' },
    kubeVersion: STRING,
    dependencies: { kind: 'structList', struct: DEPENDENCY },
    type: STRING,
  },
};

const CHART_BASE: StructType = { name: 'chartBase', qualifiedName: 'loader.chartBase', fields: { apiVersion: STRING } };

const LOCK: StructType = {
  name: 'Lock',
  qualifiedName: 'v2.Lock',
  fields: { generated: { kind: 'time' }, digest: STRING, dependencies: { kind: 'structList', struct: DEPENDENCY } },
};

/**
 * go-yaml's value of the first document as far as decoding into `struct` reads it (see
 * readFields). A document that does not decode is read again by the values reader, whose
 * error is worded as helm words it.
 */
function decodedDocument(text: string, struct: StructType): Decoded {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    const source = content === '' ? '\n' : content;
    const fields = readFields(source, (key) => namesField(struct, key));
    if (fields !== undefined) return fields;
    const root = composeFirstDocument(source);
    return root ? new Decoder().decodeDocument(root) : null;
  } catch (error) {
    readYaml(text);
    throw error;
  }
}

function decodeInto(text: string, struct: StructType, into: StructValue): void {
  decodeStruct(decodedDocument(text, struct), struct, into);
}

/** sigs.k8s.io/yaml.Unmarshal of a document into a struct of `struct`'s shape: its fields by JSON name. */
export function decodeYamlStruct(text: string, struct: StructType): StructValue {
  const fields: StructValue = new Map();
  decodeInto(text, struct, fields);
  return fields;
}

const str = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);

function dependencyOf(value: unknown): Dependency | null {
  if (!(value instanceof Map)) return null;
  const fields = value as StructValue;
  return {
    name: str(fields.get('name'), ''),
    version: str(fields.get('version'), ''),
    repository: str(fields.get('repository'), ''),
    condition: str(fields.get('condition'), ''),
    tags: (fields.get('tags') as string[] | null | undefined) ?? [],
    enabled: fields.get('enabled') === true,
    importValues: (fields.get('import-values') as GoValue[] | null | undefined) ?? [],
    alias: str(fields.get('alias'), ''),
  };
}

function maintainerOf(value: unknown): Maintainer | null {
  if (!(value instanceof Map)) return null;
  const fields = value as StructValue;
  return { name: str(fields.get('name'), ''), email: str(fields.get('email'), ''), url: str(fields.get('url'), '') };
}

/** The `apiVersion` helm's loader dispatches on. */
export function decodeApiVersion(text: string): string {
  const fields: StructValue = new Map();
  decodeInto(text, CHART_BASE, fields);
  return str(fields.get('apiVersion'), '');
}

/** Chart.yaml (or requirements.yaml) decoded into `metadata`, as json.Unmarshal decodes into an existing struct. */
export function decodeMetadata(text: string, metadata: Metadata): void {
  const fields: StructValue = new Map([['annotations', metadata.annotations]]);
  decodeInto(text, METADATA, fields);
  for (const key of ['name', 'home', 'version', 'description', 'icon', 'apiVersion', 'condition', 'tags', 'appVersion', 'kubeVersion', 'type'] as const) {
    if (fields.has(key)) metadata[key] = str(fields.get(key), '');
  }
  if (fields.has('sources')) metadata.sources = (fields.get('sources') as string[] | null) ?? [];
  if (fields.has('keywords')) metadata.keywords = (fields.get('keywords') as string[] | null) ?? [];
  if (fields.has('deprecated')) metadata.deprecated = fields.get('deprecated') === true;
  metadata.annotations = (fields.get('annotations') as Map<string, string> | null | undefined) ?? null;
  if (fields.has('maintainers')) metadata.maintainers = ((fields.get('maintainers') as unknown[] | null) ?? []).map(maintainerOf);
  if (fields.has('dependencies')) {
    const dependencies = fields.get('dependencies') as unknown[] | null;
    metadata.dependencies = dependencies === null ? null : dependencies.map(dependencyOf);
  }
}

/** Chart.lock or requirements.lock: checked as helm decodes it, kept as its fields. */
export function decodeLock(text: string): GoValue {
  const fields: StructValue = new Map();
  decodeInto(text, LOCK, fields);
  return new Map<string, GoValue>([
    ['digest', str(fields.get('digest'), '')],
    ['generated', str(fields.get('generated'), '')],
  ]);
}

/** values.yaml (every document, merged), with origins in `file`. */
export function loadValuesFile(text: string, file: string): GoMap {
  return readValues(text, file);
}
