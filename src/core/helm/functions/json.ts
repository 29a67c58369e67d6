import type { GoFunction, GoValue } from '../values.js';
import { GoJsonError, marshalGoJson, unmarshalGoJson } from '../yaml/json.js';
import { fail, goFunction } from './define.js';

/**
 * The JSON functions Sprig defines and Helm keeps (Helm replaces toJson, mustToJson and
 * fromJson with its own): encoding/json from the port's yaml/json.ts. toPrettyJson is
 * MarshalIndent with two spaces; toRawJson an Encoder without HTML escaping.
 */

function marshal(value: GoValue, options: { indent?: string; escapeHtml?: boolean }, swallow: boolean): string {
  try {
    return marshalGoJson(value, options);
  } catch (error) {
    if (!(error instanceof GoJsonError)) throw error;
    return swallow ? '' : fail(error.message);
  }
}

function mustFromJson(text: string): GoValue {
  const { value, error } = unmarshalGoJson(text, 'any');
  return error === undefined ? value : fail(error);
}

const PRETTY = { indent: '  ' };
const RAW = { escapeHtml: false };

export const JSON_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['toPrettyJson', goFunction(['any'], (value: GoValue) => marshal(value, PRETTY, true))],
  ['mustToPrettyJson', goFunction(['any'], (value: GoValue) => marshal(value, PRETTY, false))],
  // Sprig's toRawJson panics where mustToRawJson returns the error: both fail the call.
  ['toRawJson', goFunction(['any'], (value: GoValue) => marshal(value, RAW, false))],
  ['mustToRawJson', goFunction(['any'], (value: GoValue) => marshal(value, RAW, false))],
  ['mustFromJson', goFunction(['string'], mustFromJson)],
]);
