/**
 * Helm 4.1.4's data functions (`pkg/engine/funcs.go`): toYaml, mustToYaml, toYamlPretty,
 * fromYaml, fromYamlArray, toJson, mustToJson, fromJson, fromJsonArray, toToml, fromToml.
 * The non-`must` writers swallow errors as Helm does; the readers put them in the result.
 */
import type { TracedText } from '../origins.js';
import { GoFunctionError } from '../values.js';
import type { GoFunction, GoMap, GoValue } from '../values.js';
import { NestingTooDeepError } from '../../yaml-tree.js';
import { YamlWriteError, marshalYamlV2, marshalYamlV3 } from './encode.js';
import { GoJsonError, marshalGoJson, unmarshalGoJson } from './json.js';
import { YamlReadError, readYaml } from './read.js';
import { marshalToml } from './toml.js';
import { unmarshalToml } from './toml-decode.js';

/** The errors Helm's functions meet in Go, and the inputs we refuse where Go would go on (deeper than MAX_NESTING). */
function isExpectedError(error: unknown): error is Error {
  return error instanceof YamlWriteError || error instanceof GoJsonError || error instanceof YamlReadError || error instanceof NestingTooDeepError;
}

function swallowing(write: () => string): string {
  try {
    return write();
  } catch (error) {
    if (isExpectedError(error)) return '';
    throw error;
  }
}

function failing(write: () => string): string {
  try {
    return write();
  } catch (error) {
    if (isExpectedError(error)) throw new GoFunctionError(error.message);
    throw error;
  }
}

function trimFinalNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/**
 * `toYaml` with its origins: each scalar written from a values-file node is a span of the
 * text (verbatim when written as in the file). Text with no node behind it is left to the
 * caller. An unwritable value gives empty text, as toYaml does.
 */
export function toYamlTraced(value: GoValue): TracedText {
  try {
    const { text, spans } = marshalYamlV2(value);
    const trimmed = trimFinalNewline(text);
    return { text: trimmed, spans: spans.filter((span) => span.start < trimmed.length).map((span) => ({ ...span, end: Math.min(span.end, trimmed.length) })) };
  } catch (error) {
    if (isExpectedError(error)) return { text: '', spans: [] };
    throw error;
  }
}

function toYaml(value: GoValue): string {
  return toYamlTraced(value).text;
}

function errorMap(message: string): GoMap {
  return new Map([['Error', message]]);
}

function fromYaml(text: GoValue): GoValue {
  try {
    return readYaml(text as string, undefined, 'map') ?? new Map();
  } catch (error) {
    if (isExpectedError(error)) return errorMap(error.message);
    throw error;
  }
}

function fromYamlArray(text: GoValue): GoValue {
  try {
    return readYaml(text as string, undefined, 'slice') ?? [];
  } catch (error) {
    if (isExpectedError(error)) return [error.message];
    throw error;
  }
}

function fromJson(text: GoValue): GoValue {
  try {
    const { value, error } = unmarshalGoJson(text as string, 'map');
    const map: GoMap = value instanceof Map ? value : new Map();
    if (error !== undefined) map.set('Error', error);
    return map;
  } catch (error) {
    if (error instanceof NestingTooDeepError) return errorMap(error.message);
    throw error;
  }
}

function fromJsonArray(text: GoValue): GoValue {
  try {
    const { value, error } = unmarshalGoJson(text as string, 'slice');
    if (error !== undefined) return [error];
    return Array.isArray(value) ? value : [];
  } catch (error) {
    if (error instanceof NestingTooDeepError) return [error.message];
    throw error;
  }
}

function toToml(value: GoValue): string {
  // A nil interface makes the encoder panic in reflect: the template call fails with it.
  if (value === null) throw new GoFunctionError('reflect: call of reflect.Value.Type on zero Value');
  // Helm returns the encoder's own errors as the result.
  try {
    return marshalToml(value);
  } catch (error) {
    if (error instanceof Error && error.name === 'TomlError') return error.message;
    throw error;
  }
}

function fromToml(text: GoValue): GoValue {
  const { value, error } = unmarshalToml(text as string);
  if (error !== undefined) value.set('Error', error);
  return value;
}

const one = (param: 'any' | 'string', call: (value: GoValue) => GoValue): GoFunction => ({ params: [param], call: (value) => call(value!) });

export const HELM_DATA_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map([
  ['toYaml', one('any', toYaml)],
  ['mustToYaml', one('any', (value) => failing(() => trimFinalNewline(marshalYamlV2(value).text)))],
  ['toYamlPretty', one('any', (value) => swallowing(() => trimFinalNewline(marshalYamlV3(value))))],
  ['fromYaml', one('string', fromYaml)],
  ['fromYamlArray', one('string', fromYamlArray)],
  ['toJson', one('any', (value) => swallowing(() => marshalGoJson(value)))],
  ['mustToJson', one('any', (value) => failing(() => marshalGoJson(value)))],
  ['fromJson', one('string', fromJson)],
  ['fromJsonArray', one('string', fromJsonArray)],
  ['toToml', one('any', toToml)],
  ['fromToml', one('string', fromToml)],
]);


