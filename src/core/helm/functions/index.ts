import type { GoFunction } from '../values.js';
import { CERTIFICATE_FUNCTIONS } from './certificates.js';
import { CRYPTO_FUNCTIONS } from './crypto.js';
import { DATE_FUNCTIONS } from './date.js';
import { DEFAULT_FUNCTIONS } from './defaults.js';
import { DICT_FUNCTIONS } from './dicts.js';
import { ENCODING_FUNCTIONS } from './encoding.js';
import { JSON_FUNCTIONS } from './json.js';
import { LIST_FUNCTIONS } from './lists.js';
import { NUMERIC_FUNCTIONS } from './numeric.js';
import { PATH_FUNCTIONS } from './paths.js';
import { REGEX_FUNCTIONS } from './regex.js';
import { SEMVER_FUNCTIONS } from './semver.js';
import { STRING_FUNCTIONS } from './strings.js';
import { URL_FUNCTIONS } from './url.js';

/**
 * Sprig v3.3.0's TxtFuncMap as Helm 4.1.4 installs it: without `env` and `expandenv`
 * (Helm deletes them) and without the names Helm defines itself (toJson, fromJson,
 * mustToJson, toYaml, ...), which come from the Helm functions.
 *
 * Where the port knowingly differs from Go: `keys` and `values` give sorted key order
 * (Go's is random); the model's one integer kind and one slice type (`typeOf (add 1 2)`
 * says int, not int64; `duration 95` counts the int as Go counts an int64); random and
 * clock functions draw from Node's crypto and clock; `getHostByName` refuses (no network);
 * `Local` is UTC, and a named zone's abbreviation is today's in tzdata 2025b (zones.ts); a call that would build more than MAX_BUILT items stops the render;
 * bytes that are not UTF-8 (a cut inside a rune, b64dec of binary) become U+FFFD.
 */
export const SPRIG_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ...STRING_FUNCTIONS,
  ...ENCODING_FUNCTIONS,
  ...NUMERIC_FUNCTIONS,
  ...DEFAULT_FUNCTIONS,
  ...LIST_FUNCTIONS,
  ...DICT_FUNCTIONS,
  ...PATH_FUNCTIONS,
  ...REGEX_FUNCTIONS,
  ...SEMVER_FUNCTIONS,
  ...URL_FUNCTIONS,
  ...CRYPTO_FUNCTIONS,
  ...CERTIFICATE_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...JSON_FUNCTIONS,
]);
