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
