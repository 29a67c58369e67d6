import type { GoMap, GoValue } from '../values.js';
import { GoFunctionError, GoStruct } from '../values.js';
import { compareGoStrings } from '../fmt.js';
import { HELM_DATA_FUNCTIONS } from '../yaml/index.js';
import type { ChartFile } from './chart.js';
import { compileGlob } from './glob.js';

/**
 * `.Files`, helm's `engine.files` (a map of path to bytes, with methods): Get, GetBytes,
 * Glob (gobwas/glob, `/` separating; a pattern it refuses matches everything, as helm falls
 * back to `**`), Lines, AsConfig and AsSecrets (toYaml of base name to text or base64).
 * It holds exactly the chart's `Files` as the loader sorted them out: not Chart.yaml,
 * values.yaml, values.schema.json, templates/ or charts/ (but charts/*.prov).
 */

const decoder = new TextDecoder();
const toYaml = HELM_DATA_FUNCTIONS.get('toYaml')!;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function filesStruct(files: ReadonlyMap<string, Uint8Array>): GoStruct {
  const names = [...files.keys()].sort(compareGoStrings);
  const entries: GoMap = new Map(names.map((name) => [name, files.get(name)!]));
  const bytesOf = (name: GoValue) => files.get(name as string) ?? new Uint8Array();
  const asMap = (encode: (data: Uint8Array) => string) => {
    const map: GoMap = new Map();
    // Go's map: a later path with the same base name overwrites an earlier one; the order here is the sorted one.
    for (const name of names) map.set(baseName(name), encode(files.get(name)!));
    return map;
  };
  const method = (params: ('string')[], call: (...args: GoValue[]) => GoValue) => ({ signature: { params }, call });
  return new GoStruct(
    'engine.files',
    entries,
    new Map([
      ['GetBytes', method(['string'], (name) => bytesOf(name))],
      ['Get', method(['string'], (name) => decoder.decode(bytesOf(name)))],
      [
        'Glob',
        method(['string'], (pattern) => {
          let matches: (name: string) => boolean;
          try {
            matches = compileGlob(pattern as string);
          } catch {
            matches = () => true;
          }
          return filesStruct(new Map(names.filter(matches).map((name) => [name, files.get(name)!])));
        }),
      ],
      ['AsConfig', method([], () => toYaml.call(asMap((data) => decoder.decode(data))))],
      ['AsSecrets', method([], () => toYaml.call(asMap((data) => Buffer.from(data).toString('base64'))))],
      [
        'Lines',
        method(['string'], (path) => {
          const data = files.get(path as string);
          if (data === undefined) return [];
          let text = decoder.decode(data);
          // Go indexes the last byte: an empty file panics.
          if (text === '') throw new GoFunctionError('runtime error: index out of range [-1]');
          if (text.endsWith('\n')) text = text.slice(0, -1);
          return text.split('\n');
        }),
      ],
    ]),
    new Map(),
    entries,
  );
}

/** The `.Files` of a chart. */
export function chartFiles(files: readonly ChartFile[]): GoStruct {
  return filesStruct(new Map(files.map((file) => [file.name, file.data])));
}
