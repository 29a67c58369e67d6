import type { GoMap, GoValue } from '../values.js';
import { isGoMap } from '../values.js';
import { formatValue, quoteGo } from '../fmt.js';
import { GoRegexp } from '../functions/regex.js';
import { MAX_NESTING } from '../../yaml-tree.js';
import type { Chart } from './chart.js';
import { JsonNumber, decodeJsonDocument } from './json-prefix.js';
import { goValueTypeName } from './strvals.js';
import type { JsonDocument } from './json-prefix.js';

/**
 * values.schema.json checked as helm 4 checks it: santhosh-tekuri/jsonschema v6, whose
 * validator is ported here for the vocabulary charts use — type, const, enum, $ref (within
 * the document), the object, array, string and number keywords, not/allOf/anyOf/oneOf,
 * if/then/else, for drafts 4 to 2020-12 (2020-12 when `$schema` says none) — so that its
 * errors come out in its tree and words: `- at '/replicas': got string, want integer`.
 *
 * Not ported: `format` assertions (v6 asserts formats for drafts before 2019), remote and
 * `$id`-based references, unevaluatedProperties/Items, content* keywords, the schema's own
 * check against its metaschema. Where v6 walks a Go map (an object's properties, so
 * several failing properties come out in random order), this walks keys in sorted order.
 */

type JsonType = 'null' | 'boolean' | 'number' | 'integer' | 'string' | 'array' | 'object';
const TYPE_ORDER: JsonType[] = ['null', 'boolean', 'number', 'integer', 'string', 'array', 'object'];

interface ValidationError {
  location: string[];
  /** The message after `at '...': ` (or, for a group, `validation failed`). */
  message: string;
  causes: ValidationError[];
  /** A $ref's error with one cause shows only the cause. */
  reference?: boolean;
}

class SchemaError extends Error {}

/** Where helm places the chart's schema (its errors name it so). */
const SCHEMA_URL = 'file:///values.schema.json';

/** Go's regexp for `pattern` and `patternProperties`; a pattern Go refuses is v6's InvalidRegexError. */
function compilePattern(pattern: string): GoRegexp {
  try {
    return GoRegexp.compile(pattern);
  } catch (error) {
    throw new SchemaError(`invalid regex ${quoteGo(pattern)} at ${quoteGo(SCHEMA_URL)}: ${(error as Error).message}`);
  }
}

/** Exact decimal arithmetic for numbers, as v6 compares them (big.Rat from their %v text). */
interface Decimal {
  digits: bigint;
  exponent: number;
}

function decimalOf(text: string): Decimal {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return { digits: 0n, exponent: 0 };
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = BigInt(`${sign}${whole}${fraction}` || '0');
  return { digits, exponent: Number(exponent) - fraction.length };
}

function numberText(value: GoValue | JsonNumber): string {
  if (value instanceof JsonNumber) return value.text;
  return formatValue(value as GoValue);
}

function compareDecimal(a: Decimal, b: Decimal): number {
  const exponent = Math.min(a.exponent, b.exponent);
  const left = a.digits * 10n ** BigInt(a.exponent - exponent);
  const right = b.digits * 10n ** BigInt(b.exponent - exponent);
  return left === right ? 0 : left < right ? -1 : 1;
}

function isMultiple(a: Decimal, b: Decimal): boolean {
  const exponent = Math.min(a.exponent, b.exponent);
  const left = a.digits * 10n ** BigInt(a.exponent - exponent);
  const right = b.digits * 10n ** BigInt(b.exponent - exponent);
  return right !== 0n && left % right === 0n;
}

/**
 * v6 words its messages through golang.org/x/text's English printer, which groups the
 * digits of every number it prints (`got 70,000, want 65,535`).
 */
function grouped(value: number | string): string {
  const text = String(value);
  if (/e/i.test(text)) return text;
  const [whole = '', fraction] = text.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace(/^-/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${digits}${fraction !== undefined ? `.${fraction}` : ''}`;
}

const asFloat = (value: GoValue | JsonNumber) => grouped(formatValue(Number(numberText(value))));

function isNumber(value: unknown): value is number | bigint | JsonNumber {
  return typeof value === 'number' || typeof value === 'bigint' || value instanceof JsonNumber;
}

function typeOf(value: GoValue | JsonDocument): JsonType | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (isNumber(value)) return 'number';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map) return 'object';
  return undefined;
}

function isInteger(value: number | bigint | JsonNumber): boolean {
  if (typeof value === 'bigint') return true;
  const decimal = decimalOf(numberText(value));
  return decimal.exponent >= 0 || decimal.digits % 10n ** BigInt(-decimal.exponent) === 0n;
}

function equals(a: GoValue | JsonDocument, b: GoValue | JsonDocument): boolean {
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [key, value] of a) if (!b.has(key) || !equals(value as GoValue, b.get(key) as GoValue)) return false;
    return true;
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => equals(item, b[index]!));
  if (isNumber(a)) return isNumber(b) && compareDecimal(decimalOf(numberText(a)), decimalOf(numberText(b))) === 0;
  return a === b;
}

/** v6's quote: Go's %q with double quotes unescaped and single ones escaped, in single quotes. */
function quote(text: string): string {
  const quoted = quoteGo(text).replaceAll('\\"', '"').replaceAll("'", "\\'");
  return `'${quoted.slice(1, -1)}'`;
}

function display(value: JsonDocument): string {
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value) || value instanceof Map) return 'value';
  if (value instanceof JsonNumber) return value.text;
  return value === null ? '<nil>' : String(value);
}

function draftOf(schema: JsonDocument): number {
  const uri = schema instanceof Map ? schema.get('$schema') : undefined;
  if (typeof uri !== 'string') return 2020;
  for (const [pattern, draft] of [
    [/draft-04/, 4],
    [/draft-06/, 6],
    [/draft-07/, 7],
    [/2019-09/, 2019],
  ] as const) {
    if (pattern.test(uri)) return draft;
  }
  return 2020;
}

function resolvePointer(root: JsonDocument, ref: string): JsonDocument {
  // helm loads other documents (files, http); here a reference stays inside values.schema.json.
  if (!ref.startsWith('#')) throw new SchemaError(`failing loading ${quoteGo(ref)}: meshready reads no schema but values.schema.json`);
  let node = root;
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return root;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node instanceof Map && node.has(token)) node = node.get(token)!;
    else if (Array.isArray(node) && /^\d+$/.test(token) && Number(token) < node.length) node = node[Number(token)]!;
    else throw new SchemaError(`json-pointer in ${quoteGo(`${SCHEMA_URL}${ref}`)} not found`);
  }
  return node;
}

class Validator {
  private depth = 0;

  constructor(
    private readonly root: JsonDocument,
    private readonly draft: number,
  ) {}

  /** The errors of `value` at `location` against `schema`: none, one, or a group of several. */
  validate(schema: JsonDocument, value: GoValue, location: string[]): ValidationError | undefined {
    if (++this.depth > 2 * MAX_NESTING) throw new SchemaError('jsonschema: a reference cycle, or values nested too deep to check');
    try {
      return this.validateUnguarded(schema, value, location);
    } finally {
      this.depth--;
    }
  }

  private error(location: string[], message: string, causes: ValidationError[] = []): ValidationError {
    return { location, message, causes };
  }

  private validateUnguarded(schema: JsonDocument, value: GoValue, location: string[]): ValidationError | undefined {
    if (schema === true || !(schema instanceof Map)) return schema === false ? this.error(location, 'false schema') : undefined;
    // Before 2019-09, a schema with $ref keeps none of its other keywords but const (v6 compiles them away).
    const refOnly = this.draft < 2019 && schema.has('$ref');
    const keyword = (name: string) => (refOnly && name !== '$ref' && name !== 'const' ? undefined : schema.get(name));
    const t = typeOf(value)!;
    const types = keyword('type');
    if (types !== undefined) {
      const wanted = new Set((Array.isArray(types) ? types : [types]).filter((type): type is string => typeof type === 'string'));
      if (wanted.size > 0) {
        const matched = wanted.has(t) || (wanted.has('integer') && t === 'number' && isInteger(value as number | bigint));
        if (!matched) return this.error(location, `got ${t}, want ${TYPE_ORDER.filter((type) => wanted.has(type)).join(' or ')}`);
      }
    }
    if (schema.has('const') && this.draft >= 6 && !equals(value, keyword('const')!)) {
      const wanted = keyword('const')!;
      return this.error(location, Array.isArray(wanted) || wanted instanceof Map ? "'const' failed" : `value must be ${display(wanted)}`);
    }
    const choices = keyword('enum');
    if (Array.isArray(choices) && !choices.some((choice) => equals(value, choice))) {
      const primitive = choices.every((choice) => !Array.isArray(choice) && !(choice instanceof Map));
      const message = !primitive ? "'enum' failed" : choices.length === 1 ? `value must be ${display(choices[0]!)}` : `value must be one of ${choices.map(display).join(', ')}`;
      return this.error(location, message);
    }
    const errors: ValidationError[] = [];
    const ref = keyword('$ref');
    if (typeof ref === 'string') {
      const referenced = this.validate(resolvePointer(this.root, ref), value, location);
      const wrapped = referenced && { ...this.error(location, 'validation failed', [referenced]), reference: true };
      if (this.draft < 2019) return wrapped;
      if (wrapped) errors.push(wrapped);
    }
    if (isGoMap(value)) this.object(schema, value, location, errors);
    else if (Array.isArray(value)) this.array(schema, value, location, errors);
    else if (typeof value === 'string') this.string(schema, value, location, errors);
    else if (isNumber(value)) this.number(schema, value, location, errors);
    this.conditions(schema, value, location, errors);
    if (errors.length === 0) return undefined;
    if (errors.length === 1) return errors[0];
    return this.error(location, 'validation failed', errors);
  }

  private count(schema: Map<string, JsonDocument>, name: string): number | undefined {
    const value = schema.get(name);
    return value instanceof JsonNumber ? Number(value.text) : undefined;
  }

  private object(schema: Map<string, JsonDocument>, object: GoMap, location: string[], errors: ValidationError[]): void {
    const minProperties = this.count(schema, 'minProperties');
    if (minProperties !== undefined && object.size < minProperties) errors.push(this.error(location, `minProperties: got ${grouped(object.size)}, want ${grouped(minProperties)}`));
    const maxProperties = this.count(schema, 'maxProperties');
    if (maxProperties !== undefined && object.size > maxProperties) errors.push(this.error(location, `maxProperties: got ${grouped(object.size)}, want ${grouped(maxProperties)}`));
    const required = schema.get('required');
    if (Array.isArray(required)) {
      const missing = required.filter((name): name is string => typeof name === 'string' && !object.has(name));
      if (missing.length === 1) errors.push(this.error(location, `missing property ${quote(missing[0]!)}`));
      else if (missing.length > 1) errors.push(this.error(location, `missing properties ${missing.map(quote).join(', ')}`));
    }
    const dependencies = schema.get('dependencies');
    if (dependencies instanceof Map) {
      for (const [name, dependency] of dependencies) {
        if (!object.has(name)) continue;
        if (Array.isArray(dependency)) {
          const missing = dependency.filter((needed): needed is string => typeof needed === 'string' && !object.has(needed));
          if (missing.length > 0) errors.push(this.error(location, `properties ${missing.map(quote).join(', ')} required, if ${quote(name)} exists`));
        } else {
          const failed = this.validate(dependency, object, location);
          if (failed) errors.push(failed);
        }
      }
    }
    const properties = schema.get('properties');
    const patterns = schema.get('patternProperties');
    const additional = schema.get('additionalProperties');
    const notAllowed: string[] = [];
    for (const name of [...object.keys()].sort()) {
      const value = object.get(name)!;
      let evaluated = false;
      if (properties instanceof Map && properties.has(name)) {
        evaluated = true;
        const failed = this.validate(properties.get(name)!, value, [...location, name]);
        if (failed) errors.push(failed);
      }
      if (patterns instanceof Map) {
        for (const [pattern, subschema] of patterns) {
          if (compilePattern(pattern).matches(name, 1).length === 0) continue;
          evaluated = true;
          const failed = this.validate(subschema, value, [...location, name]);
          if (failed) errors.push(failed);
        }
      }
      if (!evaluated && additional !== undefined) {
        if (additional === false) notAllowed.push(name);
        else if (additional !== true) {
          const failed = this.validate(additional, value, [...location, name]);
          if (failed) errors.push(failed);
        }
      }
    }
    if (notAllowed.length > 0) errors.push(this.error(location, `additional properties ${notAllowed.map(quote).join(', ')} not allowed`));
    if (this.draft === 4) return;
    const propertyNames = schema.get('propertyNames');
    if (propertyNames !== undefined) {
      for (const name of [...object.keys()].sort()) {
        // v6 validates the name on its own: the causes are located at the name's own root.
        const failed = this.validate(propertyNames, name, []);
        if (failed) errors.push(this.error([], `invalid propertyName ${quote(name)}`, failed.message === 'validation failed' ? failed.causes : [failed]));
      }
    }
    if (this.draft < 2019) return;
    const dependentSchemas = schema.get('dependentSchemas');
    if (dependentSchemas instanceof Map) {
      for (const [name, subschema] of dependentSchemas) {
        if (!object.has(name)) continue;
        const failed = this.validate(subschema, object, location);
        if (failed) errors.push(failed);
      }
    }
    const dependentRequired = schema.get('dependentRequired');
    if (dependentRequired instanceof Map) {
      for (const [name, requiredNames] of dependentRequired) {
        if (!object.has(name) || !Array.isArray(requiredNames)) continue;
        const missing = requiredNames.filter((needed): needed is string => typeof needed === 'string' && !object.has(needed));
        if (missing.length > 0) errors.push(this.error(location, `properties ${missing.map(quote).join(', ')} required, if ${quote(name)} exists`));
      }
    }
  }

  private array(schema: Map<string, JsonDocument>, array: GoValue[], location: string[], errors: ValidationError[]): void {
    const minItems = this.count(schema, 'minItems');
    if (minItems !== undefined && array.length < minItems) errors.push(this.error(location, `minItems: got ${grouped(array.length)}, want ${grouped(minItems)}`));
    const maxItems = this.count(schema, 'maxItems');
    if (maxItems !== undefined && array.length > maxItems) errors.push(this.error(location, `maxItems: got ${grouped(array.length)}, want ${grouped(maxItems)}`));
    if (schema.get('uniqueItems') === true) {
      search: for (let i = 1; i < array.length; i++) {
        for (let j = 0; j < i; j++) {
          if (equals(array[i]!, array[j]!)) {
            errors.push(this.error(location, `items at ${grouped(j)} and ${grouped(i)} are equal`));
            break search;
          }
        }
      }
    }
    const each = (subschema: JsonDocument, items: GoValue[], offset: number) =>
      items.forEach((item, index) => {
        const failed = this.validate(subschema, item, [...location, String(index + offset)]);
        if (failed) errors.push(failed);
      });
    if (this.draft < 2020) {
      const items = schema.get('items');
      let evaluated = 0;
      if (Array.isArray(items)) {
        evaluated = Math.min(items.length, array.length);
        array.slice(0, evaluated).forEach((item, index) => {
          const failed = this.validate(items[index]!, item, [...location, String(index)]);
          if (failed) errors.push(failed);
        });
      } else if (items !== undefined) {
        each(items, array, 0);
        evaluated = array.length;
      }
      const additional = schema.get('additionalItems');
      if (additional === false && evaluated !== array.length && Array.isArray(items)) errors.push(this.error(location, `last ${grouped(array.length - evaluated)} additionalItem(s) not allowed`));
      else if (additional !== undefined && typeof additional !== 'boolean' && Array.isArray(items)) each(additional, array.slice(evaluated), 0);
    } else {
      const prefix = schema.get('prefixItems');
      const evaluated = Array.isArray(prefix) ? Math.min(prefix.length, array.length) : 0;
      array.slice(0, evaluated).forEach((item, index) => {
        const failed = this.validate((prefix as JsonDocument[])[index]!, item, [...location, String(index)]);
        if (failed) errors.push(failed);
      });
      const items = schema.get('items');
      if (items !== undefined) each(items, array.slice(evaluated), 0);
    }
    const contains = this.draft >= 6 ? schema.get('contains') : undefined;
    if (contains !== undefined) {
      const failures: ValidationError[] = [];
      const matched: number[] = [];
      array.forEach((item, index) => {
        const failed = this.validate(contains, item, [...location, String(index)]);
        if (failed) failures.push(failed);
        else matched.push(index);
      });
      const minContains = this.draft >= 2019 ? this.count(schema, 'minContains') : undefined;
      const maxContains = this.draft >= 2019 ? this.count(schema, 'maxContains') : undefined;
      if (minContains !== undefined) {
        if (matched.length < minContains) {
          const message = matched.length === 0 ? `min ${grouped(minContains)} items required to match contains schema, but none matched` : `min ${grouped(minContains)} items required to match contains schema, but matched ${grouped(matched.length)} items at ${matched.join(' ')}`;
          errors.push(this.error(location, message, failures));
        }
      } else if (matched.length === 0) errors.push(this.error(location, 'no items match contains schema', failures));
      if (maxContains !== undefined && matched.length > maxContains) errors.push(this.error(location, `max ${grouped(maxContains)} items required to match contains schema, but matched ${grouped(matched.length)} items at ${matched.join(' ')}`));
    }
  }

  private string(schema: Map<string, JsonDocument>, text: string, location: string[], errors: ValidationError[]): void {
    const length = [...text].length;
    const minLength = this.count(schema, 'minLength');
    if (minLength !== undefined && length < minLength) errors.push(this.error(location, `minLength: got ${grouped(length)}, want ${grouped(minLength)}`));
    const maxLength = this.count(schema, 'maxLength');
    if (maxLength !== undefined && length > maxLength) errors.push(this.error(location, `maxLength: got ${grouped(length)}, want ${grouped(maxLength)}`));
    const pattern = schema.get('pattern');
    if (typeof pattern === 'string' && compilePattern(pattern).matches(text, 1).length === 0) errors.push(this.error(location, `${quote(text)} does not match pattern ${quote(pattern)}`));
  }

  private number(schema: Map<string, JsonDocument>, value: number | bigint | JsonNumber, location: string[], errors: ValidationError[]): void {
    const got = decimalOf(numberText(value));
    const bound = (name: string) => {
      const limit = schema.get(name);
      return limit instanceof JsonNumber ? limit : undefined;
    };
    const check = (name: string, failsWhen: (compared: number) => boolean, limit: JsonNumber | undefined) => {
      if (limit && failsWhen(compareDecimal(got, decimalOf(limit.text)))) errors.push(this.error(location, `${name}: got ${asFloat(value)}, want ${asFloat(limit)}`));
    };
    // A boolean exclusiveMinimum (draft 4's form, which v6 reads in every draft) makes minimum the exclusive bound.
    const exclusiveLow = schema.get('exclusiveMinimum') === true;
    const exclusiveHigh = schema.get('exclusiveMaximum') === true;
    check('minimum', (compared) => compared < 0, exclusiveLow ? undefined : bound('minimum'));
    check('maximum', (compared) => compared > 0, exclusiveHigh ? undefined : bound('maximum'));
    check('exclusiveMinimum', (compared) => compared <= 0, exclusiveLow ? bound('minimum') : bound('exclusiveMinimum'));
    check('exclusiveMaximum', (compared) => compared >= 0, exclusiveHigh ? bound('maximum') : bound('exclusiveMaximum'));
    const multipleOf = bound('multipleOf');
    if (multipleOf && !isMultiple(got, decimalOf(multipleOf.text))) errors.push(this.error(location, `multipleOf: got ${asFloat(value)}, want ${asFloat(multipleOf)}`));
  }

  private conditions(schema: Map<string, JsonDocument>, value: GoValue, location: string[], errors: ValidationError[]): void {
    const not = schema.get('not');
    if (not !== undefined && !this.validate(not, value, location)) errors.push(this.error(location, "'not' failed"));
    const allOf = schema.get('allOf');
    if (Array.isArray(allOf)) {
      const failures = allOf.map((subschema) => this.validate(subschema, value, location)).filter((failed): failed is ValidationError => failed !== undefined);
      if (failures.length > 0) errors.push(this.error(location, "'allOf' failed", failures));
    }
    const anyOf = schema.get('anyOf');
    if (Array.isArray(anyOf)) {
      const failures: ValidationError[] = [];
      let matched = false;
      for (const subschema of anyOf) {
        const failed = this.validate(subschema, value, location);
        if (!failed) {
          matched = true;
          break;
        }
        failures.push(failed);
      }
      if (!matched) errors.push(this.error(location, "'anyOf' failed", failures));
    }
    const oneOf = schema.get('oneOf');
    if (Array.isArray(oneOf)) {
      const failures: ValidationError[] = [];
      let matched = -1;
      for (const [index, subschema] of oneOf.entries()) {
        const failed = this.validate(subschema, value, location);
        if (failed) {
          if (matched === -1) failures.push(failed);
        } else if (matched === -1) matched = index;
        else {
          errors.push(this.error(location, `'oneOf' failed, subschemas ${grouped(matched)}, ${grouped(index)} matched`));
          break;
        }
      }
      if (matched === -1) errors.push(this.error(location, "'oneOf' failed, none matched", failures));
    }
    const condition = schema.get('if');
    if (this.draft >= 7 && condition !== undefined) {
      const branch = this.validate(condition, value, location) ? schema.get('else') : schema.get('then');
      if (branch !== undefined) {
        const failed = this.validate(branch, value, location);
        if (failed) errors.push(failed);
      }
    }
  }
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** v6 resolves every $ref when it compiles the schema, whether or not the values reach it. */
function checkReferences(node: JsonDocument, root: JsonDocument): void {
  try {
    if (Array.isArray(node)) node.forEach((item) => checkReferences(item, root));
    else if (node instanceof Map) {
      for (const [key, value] of node) {
        if (key === '$ref' && typeof value === 'string') resolvePointer(root, value);
        else if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') checkReferences(value, root);
      }
    }
  } catch (error) {
    if (error instanceof SchemaError) throw new SchemaCompileError(error.message);
    throw error;
  }
}

/** v6's display of an error tree (its Error()): `- at '/a': message`, causes indented under their parent. */
function displayError(error: ValidationError, indent: number, out: string[]): void {
  const skip = error.reference === true && error.causes.length === 1;
  if (!skip) {
    const line = `at ${quote(error.location.map((token) => `/${escapeToken(token)}`).join(''))}: ${error.message}`;
    out.push(`${indent > 0 ? '\n' : ''}${'  '.repeat(Math.max(0, indent - 1))}- ${line}`);
    indent++;
  }
  for (const cause of error.causes) displayError(cause, indent, out);
}

export class SchemaCompileError extends Error {}

/**
 * The errors of `values` against a chart's schema, as helm's ValidateAgainstSingleSchema
 * returns them (without the line v6 starts with, which helm strips, and with helm's final
 * newline), or undefined when they conform. Throws SchemaCompileError for a schema that
 * cannot be read (its message as helm reports it).
 */
export function validateValuesAgainstSchema(values: GoMap, schemaBytes: Uint8Array): string | undefined {
  const parsed = decodeJsonDocument(new TextDecoder().decode(schemaBytes));
  if ('error' in parsed) throw new SchemaCompileError(parsed.error);
  checkReferences(parsed.value, parsed.value);
  const validator = new Validator(parsed.value, draftOf(parsed.value));
  let failed: ValidationError | undefined;
  try {
    failed = validator.validate(parsed.value, values, []);
  } catch (error) {
    if (error instanceof SchemaError) throw new SchemaCompileError(error.message);
    throw error;
  }
  if (!failed) return undefined;
  const causes = failed.causes.length > 0 && failed.message === 'validation failed' && !failed.reference ? failed.causes : [failed];
  const out: string[] = [];
  for (const cause of causes) displayError(cause, 1, out);
  return `${out.join('').replace(/^\n/, '')}\n`;
}

/**
 * helm's ValidateAgainstSchema: the chart's schema, then each subchart's against the values
 * under its name (when given as a map). The report helm prints after `values don't meet
 * the specifications of the schema(s) in the following chart(s):`, or undefined.
 */
export function validateChartValues(chart: Chart, values: GoMap): string | undefined {
  let report = '';
  if (chart.schema) {
    let failed: string | undefined;
    try {
      failed = validateValuesAgainstSchema(values, chart.schema);
    } catch (error) {
      if (!(error instanceof SchemaCompileError)) throw error;
      failed = error.message;
    }
    if (failed !== undefined) report += `${chart.metadata.name}:\n${failed}`;
  }
  for (const subchart of chart.dependencies) {
    const name = subchart.metadata.name;
    const subValues = values.get(name);
    if (subValues === undefined || subValues === null) continue;
    if (!isGoMap(subValues)) {
      report += `${name}:\ninvalid type for values: expected object (map), got ${goValueTypeName(subValues)}\n`;
      continue;
    }
    report += validateChartValues(subchart, subValues) ?? '';
  }
  return report === '' ? undefined : report;
}
