import { parse as parseYaml } from 'yaml';
import { SPRIG_FUNCTIONS } from '../src/core/helm/functions/index.js';
import { formatValue } from '../src/core/helm/fmt.js';
import { ArgumentTypeError } from '../src/core/helm/functions/define.js';
import type { GoType, GoValue } from '../src/core/helm/values.js';
import type { HelmOutcome, HelmSnippet } from './support/helm-goldens.js';
import { GoFunctionError, GoStruct, goMap, isGoMap } from '../src/core/helm/values.js';

/**
 * A small evaluator for the function snippets, until the template engine is there: text,
 * `{{ pipeline }}` and `{{ $x := pipeline }}` actions (with `-` trimming), pipelines of
 * function calls with literal, `.Values...`, `$x`, parenthesised and `.Method` operands.
 * It converts arguments as text/template does for the parameter types (untyped constants
 * to the type wanted, typed values checked), prints with %v and `<no value>` as helm does
 * (as nothing), and throws an error whose text ends as helm's does.
 */

interface Operand {
  value: GoValue;
  /** A number literal: text/template converts it to the parameter's type. */
  constant?: { isInt: boolean; isFloat: boolean; text: string };
  /** A string literal: text/template reports it by its text when a parameter wants another kind. */
  literal?: string;
}

export class HarnessError extends Error {}

class Parser {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly scope: { values: GoValue; variables: Map<string, GoValue> },
  ) {}

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.at] ?? '';
  }

  done(): boolean {
    return this.peek() === '';
  }

  pipeline(): Operand {
    let result = this.command(undefined);
    while (this.peek() === '|') {
      this.at++;
      result = this.command(result);
    }
    return result;
  }

  private command(piped: Operand | undefined): Operand {
    this.skipSpace();
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at))?.[0];
    if (name && !['true', 'false', 'nil'].includes(name)) {
      this.at += name.length;
      const args = this.operands();
      if (piped) args.push(piped);
      return { value: callFunction(name, args) };
    }
    const head = this.operand();
    const args = this.operands();
    if (piped) args.push(piped);
    if (head.method) return { value: callMethod(head.method.receiver, head.method.name, args) };
    if (args.length > 0) throw new HarnessError(`can't give argument to non-function ${formatValue(head.value)}`);
    return head;
  }

  private operands(): Operand[] {
    const args: Operand[] = [];
    while (!['', '|', ')'].includes(this.peek())) {
      const operand = this.operand();
      args.push(operand.method ? { value: callMethod(operand.method.receiver, operand.method.name, []) } : operand);
    }
    return args;
  }

  private operand(): Operand & { method?: { receiver: GoValue; name: string } } {
    const c = this.peek();
    const rest = this.text.slice(this.at);
    let base: Operand;
    if (c === '(') {
      this.at++;
      base = this.pipeline();
      if (this.peek() !== ')') throw new HarnessError('unclosed (');
      this.at++;
    } else if (c === '"') {
      const literal = /^"(?:[^"\\]|\\.)*"/.exec(rest)![0];
      this.at += literal.length;
      base = { literal, value: unquote(literal) };
    } else if (c === '`') {
      const end = this.text.indexOf('`', this.at + 1);
      base = { value: this.text.slice(this.at + 1, end) };
      this.at = end + 1;
    } else if (c === '$') {
      const name = /^\$[A-Za-z0-9_]*/.exec(rest)![0];
      this.at += name.length;
      if (!this.scope.variables.has(name)) throw new HarnessError(`undefined variable: ${name}`);
      base = { value: this.scope.variables.get(name)! };
    } else if (c === '.' && !/^\.[0-9]/.test(rest)) {
      base = { value: this.scope.values };
      if (!/^\.[A-Za-z]/.test(rest)) this.at++;
    } else {
      const word = /^[^\s|()]+/.exec(rest)![0];
      this.at += word.length;
      if (word === 'true' || word === 'false') base = { value: word === 'true' };
      else if (word === 'nil') base = { value: null };
      else if (/^[A-Za-z_]/.test(word)) base = { value: callFunction(word, []) };
      else base = numberLiteral(word);
    }
    return this.fields(base);
  }

  private fields(base: Operand): Operand & { method?: { receiver: GoValue; name: string } } {
    let current = base;
    for (;;) {
      const field = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(this.text.slice(this.at));
      if (!field) return current;
      this.at += field[0].length;
      const name = field[1]!;
      const value = current.value;
      if (isGoMap(value)) current = { value: value.has(name) ? value.get(name)! : null };
      else if (value instanceof GoStruct && value.fields.has(name)) current = { value: value.fields.get(name)! };
      else if (value instanceof GoStruct && value.methods.has(name)) {
        if (!/^\.[A-Za-z_]/.test(this.text.slice(this.at))) return { value: null, method: { receiver: value, name } };
        current = { value: callMethod(value, name, []) };
      } else if (value === null) current = { value: null };
      else if (value instanceof GoStruct) throw new HarnessError(`can't evaluate field ${name} in type ${value.typeName}`);
      else throw new HarnessError(`can't evaluate field ${name} in type ${typeName(value)}`);
    }
  }
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/** strconv.Unquote of a Go interpreted string literal. */
function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, escape: string) => {
    if (/^[xuU]/.test(escape)) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    if (/^[0-7]{3}$/.test(escape)) return String.fromCodePoint(parseInt(escape, 8));
    return ESCAPES[escape] ?? escape;
  });
}

function numberLiteral(text: string): Operand {
  const isInt = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]*|0[bB][01_]+|[1-9][0-9_]*)$/.test(text);
  const value = Number(text.replaceAll('_', ''));
  if (Number.isNaN(value) && !isInt) throw new HarnessError(`bad number syntax: "${text}"`);
  const integral = isInt || (Number.isInteger(value) && Math.abs(value) < 2 ** 63);
  return {
    value: isInt || !/[.eEpP]/.test(text) ? BigInt(text.replaceAll('_', '')) : value,
    constant: { isInt: integral, isFloat: true, text },
  };
}

const typeNames: Record<GoType, string> = {
  any: 'interface {}',
  string: 'string',
  int: 'int',
  float64: 'float64',
  bool: 'bool',
  map: 'map[string]interface {}',
  slice: '[]interface {}',
  strings: '[]string',
  bytes: '[]uint8',
};

function typeName(value: GoValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (isGoMap(value)) return 'map[string]interface {}';
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof Uint8Array) return '[]uint8';
  return value.typeName;
}

function convert(operand: Operand, type: GoType): GoValue {
  const { value, constant, literal } = operand;
  if (type === 'any') return value;
  if (literal !== undefined && type !== 'string') throw new HarnessError(`expected ${type === 'int' ? 'integer' : type}; found ${literal}`);
  if (constant) {
    if (type === 'int' && constant.isInt) return typeof value === 'bigint' ? value : BigInt(value as number);
    if (type === 'float64') return Number(value);
    throw new HarnessError(`expected integer; found ${constant.text}`);
  }
  const ok =
    (type === 'string' && typeof value === 'string') ||
    (type === 'int' && typeof value === 'bigint') ||
    (type === 'float64' && typeof value === 'number') ||
    (type === 'bool' && typeof value === 'boolean') ||
    (type === 'map' && (isGoMap(value) || value === null)) ||
    ((type === 'slice' || type === 'strings') && Array.isArray(value));
  if (!ok) {
    if (value === null && type !== 'string' && type !== 'int' && type !== 'float64' && type !== 'bool') return null;
    throw new HarnessError(value === null ? `invalid value; expected ${typeNames[type]}` : `wrong type for value; expected ${typeNames[type]}; got ${typeName(value)}`);
  }
  return value;
}

function invoke(name: string, signature: { params: readonly GoType[]; variadic?: GoType }, call: (...args: GoValue[]) => GoValue, args: Operand[]): GoValue {
  const { params, variadic } = signature;
  if (variadic === undefined ? args.length !== params.length : args.length < params.length) {
    throw new HarnessError(`wrong number of args for ${name}: want ${variadic === undefined ? '' : 'at least '}${params.length} got ${args.length}`);
  }
  const converted = args.map((arg, i) => convert(arg, params[i] ?? variadic!));
  try {
    return call(...converted);
  } catch (error) {
    // helm reports `fail` as its own message alone.
    if (error instanceof GoFunctionError && name === 'fail') throw new HarnessError(error.message);
    if (error instanceof ArgumentTypeError) throw new HarnessError(error.message);
    if (error instanceof GoFunctionError || error instanceof RangeError) throw new HarnessError(`error calling ${name}: ${error.message}`);
    throw error;
  }
}

function callFunction(name: string, args: Operand[]): GoValue {
  const fn = SPRIG_FUNCTIONS.get(name);
  if (!fn) throw new HarnessError(`function "${name}" not defined`);
  return invoke(name, fn, fn.call, args);
}

function callMethod(receiver: GoValue, name: string, args: Operand[]): GoValue {
  if (!(receiver instanceof GoStruct)) throw new HarnessError(`can't call ${name}`);
  const method = receiver.methods.get(name)!;
  return invoke(name, method.signature, method.call, args);
}

function fromYaml(value: unknown): GoValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(fromYaml);
  return goMap(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, fromYaml(item)]));
}

/** Renders a snippet's template with its values; an error is thrown as a HarnessError. */
export function renderSnippet(template: string, values = ''): string {
  const context = { values: goMap([['Values', fromYaml(parseYaml(values) ?? {})]]) as GoValue, variables: new Map<string, GoValue>() };
  let out = '';
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open === -1) {
      out += template.slice(at);
      break;
    }
    let text = template.slice(at, open);
    const close = template.indexOf('}}', open);
    let body = template.slice(open + 2, close);
    if (body.startsWith('-')) {
      text = text.replace(/\s+$/, '');
      body = body.slice(1);
    }
    let trimAfter = false;
    if (body.endsWith('-')) {
      trimAfter = true;
      body = body.slice(0, -1);
    }
    out += text;
    at = close + 2;
    if (trimAfter) while (at < template.length && /\s/.test(template[at]!)) at++;
    const assignment = /^\s*(\$[A-Za-z0-9_]+)\s*:?=\s*/.exec(body);
    const parser = new Parser(assignment ? body.slice(assignment[0].length) : body, context);
    const result = parser.pipeline();
    if (!parser.done()) throw new HarnessError(`unexpected text in action: ${body}`);
    if (assignment) context.variables.set(assignment[1]!, result.value);
    // Inside the snippet's define, nil prints as Go's <no value> (helm blanks it only in a file's output).
    else out += result.value === null ? '<no value>' : formatValue(result.value);
  }
  return out;
}

/** A suite of snippets compared with what helm renders: [name, template, values.yaml?]. */
export type SnippetRow = readonly [name: string, template: string, values?: string];

export function snippetsOf(rows: readonly SnippetRow[]): HelmSnippet[] {
  return rows.map(([name, template, values]) => (values === undefined ? { name, template } : { name, template, values }));
}

/** What the harness makes of a snippet, in helm's terms: output, or the end of helm's error text. */
export function outcomeOf(template: string, values?: string): HelmOutcome {
  try {
    return { output: renderSnippet(template, values) };
  } catch (error) {
    if (error instanceof HarnessError) return { error: error.message };
    throw error;
  }
}
