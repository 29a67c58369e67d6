import type { GoMap, GoValue } from '../values.js';
import { isGoMap } from '../values.js';
import { entryOriginOf, setEntryOrigin } from '../origins.js';
import { mergeValues, readValues } from '../yaml/read.js';
import { decodeJson } from './json-prefix.js';
import { parseSetLine } from './strvals.js';
import type { SetKind } from './strvals.js';

/**
 * The values a user gives `helm template`, merged as helm's `values.Options.MergeValues`
 * merges them: `-f` files in order (each file's documents merged, later files over
 * earlier), then every `--set-json`, `--set`, `--set-string`, `--set-file`,
 * `--set-literal`, in that order of kinds whatever the command line's order. A values-file
 * entry keeps its origin unless a `--set` replaced it.
 */

export interface ValuesFile {
  /** As the user named it (helm's messages name it so); also the origin's file. */
  path: string;
  text: string;
}

export interface UserValuesOptions {
  valuesFiles?: readonly ValuesFile[];
  set?: readonly string[];
  setString?: readonly string[];
  setJson?: readonly string[];
  setFile?: readonly string[];
  setLiteral?: readonly string[];
  /** `--set-file`'s reader: a file's text, or an Error with Go's message (`open PATH: no such file or directory`). */
  readFile?: (path: string) => string;
}

export class UserValuesError extends Error {}

/** A copy of the tree, origins carried except for the entries a `--set` changed. */
function withoutChangedOrigins<T extends GoValue>(value: T, changed: WeakMap<object, Set<string | number>>): T {
  if (isGoMap(value)) {
    const copy: GoMap = new Map();
    const touched = changed.get(value);
    for (const [key, entry] of value as GoMap) {
      copy.set(key, withoutChangedOrigins(entry, changed));
      const origin = entryOriginOf(value, key);
      if (origin && !touched?.has(key)) setEntryOrigin(copy, key, origin);
    }
    return copy as T;
  }
  if (Array.isArray(value)) {
    const touched = changed.get(value);
    const copy = value.map((entry) => withoutChangedOrigins(entry, changed));
    value.forEach((_entry, index) => {
      const origin = entryOriginOf(value, index);
      if (origin && !touched?.has(index)) setEntryOrigin(copy, index, origin);
    });
    return copy as T;
  }
  return value;
}

const SET_FLAGS: [SetKind, keyof UserValuesOptions, string][] = [
  ['set', 'set', '--set'],
  ['string', 'setString', '--set-string'],
  ['file', 'setFile', '--set-file'],
  ['literal', 'setLiteral', '--set-literal'],
];

/** The user's values; throws UserValuesError with helm's message. */
export function userValues(options: UserValuesOptions): GoMap {
  let base: GoMap = new Map();
  for (const file of options.valuesFiles ?? []) {
    let current: GoMap;
    try {
      current = readValues(file.text, file.path);
    } catch (error) {
      throw new UserValuesError(`failed to parse ${file.path}: ${(error as Error).message}`);
    }
    base = mergeValues(base, current);
  }
  const changed = new WeakMap<object, Set<string | number>>();
  const note = (container: object, key: string | number) => {
    let keys = changed.get(container);
    if (!keys) changed.set(container, (keys = new Set()));
    keys.add(key);
  };
  for (const line of options.setJson ?? []) {
    const trimmed = line.trim();
    if (trimmed.startsWith('{')) {
      const decoded = decodeJson(trimmed);
      if ('error' in decoded || !isGoMap(decoded.value)) throw new UserValuesError(`failed parsing --set-json data JSON: ${line}`);
      base = mergeValues(base, decoded.value);
    } else if (parseSetLine(line, 'json', base, { changed: note }) !== undefined) {
      throw new UserValuesError(`failed parsing --set-json data ${line}`);
    }
  }
  for (const [kind, option, flag] of SET_FLAGS) {
    for (const line of (options[option] as readonly string[] | undefined) ?? []) {
      const error = parseSetLine(line, kind, base, { changed: note, ...(options.readFile ? { readFile: options.readFile } : {}) });
      if (error !== undefined) throw new UserValuesError(`failed parsing ${flag} data: ${error}`);
    }
  }
  return withoutChangedOrigins(base, changed);
}
