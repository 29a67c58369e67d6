/**
 * text/template's executor (src/text/template/exec.go), with origins: every value the
 * executor holds may have a trace beside it (the values node it was read from, or the
 * traced text it is), and every character it writes gets an origin. Functions receive
 * plain Go values; the traces stay here.
 */
import { compareGoStrings, formatValue, goTypeName, quoteGo, sprintf, utf8Length } from '../fmt.js';
import { entryOriginOf, valueOrigin, type Origin, type TracedText, type ValueNode } from '../origins.js';
import { GoFunctionError, GoStruct, isGoMap, type FunctionSignature, type GoFunction, type GoValue } from '../values.js';
import { BuiltinError, builtins, callError, indexValue, indirectInterface, isTrue, underlying, type Builtin, type ParamType, type Val } from './builtins.js';
import { execError, GoError, GoFunctionFailure, isStackOverflow, RenderBudgetExceeded, TemplateExecutionError } from './errors.js';
import type { ActionRange, BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, Node, NumberNode, PipeNode, TemplateNode, TextNode, VariableNode } from './nodes.js';
import { isEmptyTree } from './nodes.js';
import { parseTemplate, type TemplateSource, type Tree } from './parse.js';
import { functionResultTrace, type Trace } from './tracing.js';
import { shiftOrigin, TracedBuilder } from './traced.js';

export type MissingKey = 'invalid' | 'zero' | 'error';

/** Limits of one render: templates come from pull requests. */
export interface RenderBudget {
  /** Templates executing inside one another (include, tpl, template). */
  maxIncludeDepth: number;
  /** Nodes walked, range iterations and function calls, all templates together. */
  maxSteps: number;
  /** Characters written, include's and tpl's buffers included. */
  maxOutputBytes: number;
  timeLimitMs: number;
}

/** The budgets and clock of one render, shared by every template it executes. */
export class RunContext {
  private steps = 0;
  private written = 0;
  private depth = 0;
  private readonly deadline: number;
  /** Helm's name of the template being rendered, for the messages. */
  template = '';
  /** The template names looked up while a render records what each of its templates used. */
  used: Set<string> | undefined;

  constructor(
    readonly budget: RenderBudget,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + budget.timeLimitMs;
  }

  /** One node walked or range iteration: the clock is read every 256 of them. */
  step(): void {
    this.steps++;
    if (this.steps > this.budget.maxSteps) this.exceeded(`more than ${this.budget.maxSteps} steps (nodes, range iterations, function calls)`);
    if ((this.steps & 255) === 0) this.checkClock();
  }

  /** A function call: a step, and the clock read, as one call may be slow (key generation). */
  call(): void {
    this.steps++;
    if (this.steps > this.budget.maxSteps) this.exceeded(`more than ${this.budget.maxSteps} steps (nodes, range iterations, function calls)`);
    this.checkClock();
  }

  private checkClock(): void {
    if (this.now() > this.deadline) this.exceeded(`more than ${this.budget.timeLimitMs} ms`);
  }

  get stepsTaken(): number {
    return this.steps;
  }

  get bytesWritten(): number {
    return this.written;
  }

  /** The steps and output of a template whose earlier output is used again: the render's budget counts them as if it ran. */
  credit(steps: number, written: number): void {
    this.steps += steps;
    if (this.steps > this.budget.maxSteps) this.exceeded(`more than ${this.budget.maxSteps} steps (nodes, range iterations, function calls)`);
    this.wrote(written);
  }

  wrote(length: number): void {
    this.written += length;
    if (this.written > this.budget.maxOutputBytes) this.exceeded(`more than ${this.budget.maxOutputBytes} bytes of output`);
  }

  enter(): void {
    if (++this.depth > this.budget.maxIncludeDepth) this.exceeded(`templates nested more than ${this.budget.maxIncludeDepth} deep`);
  }

  leave(): void {
    this.depth--;
  }

  exceeded(what: string): never {
    throw new RenderBudgetExceeded(`render budget exceeded: ${what}, rendering ${this.template}`, this.template);
  }
}

/** What a function that writes traced text (Helm's include and tpl) is given besides its arguments. */
export interface CallContext {
  run: RunContext;
  /** The origin of the action calling it. */
  fill: Origin;
}

/**
 * A function whose result is text with origins and which runs templates itself (Helm's
 * include and tpl): it gets the traces of its arguments and the render's context. It
 * returns an error as GoFunctionFailure (a Go error chain) or GoFunctionError.
 */
export interface TracingFunction extends FunctionSignature {
  callTraced(args: GoValue[], traces: readonly (Trace | undefined)[], context: CallContext): { value: string; traced: TracedText };
}

/** A function a template can call. */
export type TemplateFunction = GoFunction | TracingFunction;

function isTracing(fn: TemplateFunction | Builtin): fn is TracingFunction {
  return 'callTraced' in fn;
}

/**
 * Functions whose result text has origins of its own (toYaml's lines point into values
 * files): called instead of the function, their text is its result.
 */
export type ResultTracers = ReadonlyMap<string, (args: GoValue[]) => TracedText>;

/** A set of associated templates (text/template's common): one name space, one function map, one missingkey option. */
export class TemplateSet {
  private readonly trees = new Map<string, Tree>();

  constructor(
    /** The name of the set's own template, which "no template" errors name (Helm's is "gotpl"). */
    readonly name: string,
    readonly functions: ReadonlyMap<string, TemplateFunction>,
    readonly missingKey: MissingKey,
    readonly tracers: ResultTracers = new Map(),
    private readonly parent?: TemplateSet,
  ) {}

  lookup(name: string): Tree | undefined {
    return this.trees.get(name) ?? this.parent?.lookup(name);
  }

  /** The names of the set's own templates (not its parent's). */
  names(): IterableIterator<string> {
    return this.trees.keys();
  }

  hasFunction = (name: string): boolean => this.functions.has(name) || builtins.has(name);

  /** Parses text into the set (Template.New(name).Parse): a later definition replaces an earlier one, unless it is empty. */
  parse(name: string, text: string, source: TemplateSource): Tree {
    return this.install(name, parseTemplate(name, text, source, this.hasFunction));
  }

  /** Adds the trees of one parsed text (parseTemplate's answer for `name`) as parse does. */
  install(name: string, parsed: ReadonlyMap<string, Tree>): Tree {
    for (const [treeName, tree] of parsed) {
      const existing = this.lookup(treeName);
      if (existing?.root !== undefined && isEmptyTree(tree.root)) continue;
      this.trees.set(treeName, tree);
    }
    return parsed.get(name)!;
  }

  /** Template.Clone: the same templates, further definitions its own, other functions. */
  clone(functions: ReadonlyMap<string, TemplateFunction>): TemplateSet {
    return new TemplateSet(this.name, functions, this.missingKey, this.tracers, this);
  }
}

/** Template.ExecuteTemplate: runs the template `name` of the set on `data`. */
export function executeTemplate(set: TemplateSet, name: string, data: Val, run: RunContext): TracedText {
  run.used?.add(name);
  const tree = set.lookup(name);
  if (!tree) throw new TemplateExecutionError(new GoError(`template: no template ${quoteGo(name)} associated with template ${quoteGo(set.name)}`));
  return execute(set, tree, data, run);
}

/** Template.Execute of one tree. */
export function execute(set: TemplateSet, tree: Tree, data: Val, run: RunContext): TracedText {
  const out = new TracedBuilder();
  run.enter();
  try {
    const state = new State(set, tree, out, run, 0);
    const dot: Operand = { value: data, boxed: false, trace: undefined };
    state.vars.push({ name: '$', ...dot });
    state.walk(dot, tree.root!);
  } catch (error) {
    if (isStackOverflow(error)) run.exceeded('templates nested too deep for the stack');
    throw error;
  } finally {
    run.leave();
  }
  return out.build();
}

/** A value as the executor holds it: `boxed` when its static type is interface{} (a map's or a list's element). */
interface Operand {
  value: Val;
  boxed: boolean;
  trace: Trace | undefined;
}

interface Variable extends Operand {
  name: string;
}

const MISSING = Symbol('missing');
type Final = Val | typeof MISSING;

const enum Signal {
  None,
  Break,
  Continue,
}

const MAX_EXEC_DEPTH = 100000;

const goTypeNames: Record<ParamType, string> = {
  any: 'interface {}',
  value: 'reflect.Value',
  string: 'string',
  int: 'int',
  float64: 'float64',
  bool: 'bool',
  map: 'map[string]interface {}',
  slice: '[]interface {}',
  strings: '[]string',
  bytes: '[]uint8',
};

function canBeNil(typ: ParamType): boolean {
  return typ === 'any' || typ === 'value' || typ === 'map' || typ === 'slice' || typ === 'strings' || typ === 'bytes';
}

function assignable(value: GoValue, typ: ParamType): boolean {
  switch (typ) {
    case 'any':
    case 'value':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'bigint';
    case 'float64':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'map':
      return isGoMap(value);
    case 'slice':
    case 'strings':
      return Array.isArray(value);
    case 'bytes':
      return value instanceof Uint8Array;
  }
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** Tree.ErrorContext: `NAME:LINE:COLUMN` (the column in bytes, from 0) and the node's text. */
export function errorContext(node: Node): [location: string, context: string] {
  const { text, parseName } = node.tree;
  const pos = node.pos;
  const lastNewline = pos === 0 ? -1 : text.lastIndexOf('\n', pos - 1);
  const column = utf8Length(text, lastNewline + 1, pos);
  return [`${parseName}:${1 + countNewlines(text, pos)}:${column}`, String(node)];
}

/** The origin of an action `[start, end)` of a tree's text. */
function actionOrigin(tree: Tree, range: ActionRange): Origin {
  const source = tree.source;
  if (source.kind === 'file') return (range.origin ??= { type: 'action', file: source.path, start: range.start, end: range.end });
  const span = source.origins.find((candidate) => candidate.start <= range.start && range.start < candidate.end);
  if (!span) return source.fallback;
  if (span.origin.type === 'text') {
    const start = span.origin.start + (range.start - span.start);
    return range.end <= span.end ? { type: 'action', file: span.origin.file, start, end: start + (range.end - range.start) } : source.fallback;
  }
  return span.origin.type === 'value' ? { ...span.origin, verbatim: false } : span.origin;
}

class State {
  readonly vars: Variable[] = [];
  private node: Node | undefined;
  /** The trace of the value the last eval returned, and whether that value is interface-typed. */
  private trace: Trace | undefined;
  private boxed = false;
  /** The action whose pipeline is being evaluated: the origin of what its functions compute. */
  private action: ActionRange = { start: 0, end: 0 };

  constructor(
    private readonly set: TemplateSet,
    private readonly tmpl: Tree,
    private readonly out: TracedBuilder,
    private readonly run: RunContext,
    private readonly depth: number,
  ) {}

  // --- Errors ---

  private at(node: Node): void {
    this.node = node;
  }

  private fail(message: string, cause?: GoError): never {
    const name = this.tmpl.name;
    let text: string;
    if (this.node === undefined) text = `template: ${name}: ${message}`;
    else {
      const [location, context] = errorContext(this.node);
      text = `template: ${location}: executing ${quoteGo(name)} at <${context}>: ${message}`;
    }
    throw new TemplateExecutionError(execError(text, cause));
  }

  private errorf(format: string, ...args: GoValue[]): never {
    this.fail(sprintf(format, ...args));
  }

  // --- Output ---

  private write(text: string, origin: Origin): void {
    this.run.wrote(text.length);
    this.out.append(text, origin);
  }

  private writeTraced(traced: TracedText, fill: Origin): void {
    this.run.wrote(traced.text.length);
    this.out.appendTraced(traced, fill);
  }

  private writeTemplateText(node: TextNode): void {
    const { tree, pos, text } = node;
    const source = tree.source;
    if (source.kind === 'file') {
      this.write(text, (node.origin ??= { type: 'text', file: source.path, start: pos }));
      return;
    }
    // Text of a tpl: the characters have the origins of the string tpl was given.
    const end = pos + text.length;
    let covered = pos;
    for (const span of source.origins) {
      if (span.end <= pos || span.start >= end) continue;
      const from = Math.max(span.start, pos);
      if (from > covered) this.write(text.slice(covered - pos, from - pos), source.fallback);
      const to = Math.min(span.end, end);
      const partOfValue = span.origin.type === 'value' && span.origin.verbatim && (from > span.start || to < span.end);
      const origin = partOfValue ? { ...span.origin, verbatim: false } : shiftOrigin(span.origin, from - span.start);
      this.write(text.slice(from - pos, to - pos), origin);
      covered = to;
    }
    if (covered < end) this.write(text.slice(covered - pos), source.fallback);
  }

  private fill(): Origin {
    return actionOrigin(this.tmpl, this.action);
  }

  // --- Variables ---

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, operand: Operand): void {
    for (let index = this.vars.length - 1; index >= 0; index--) {
      if (this.vars[index]!.name === name) {
        this.vars[index] = { name, ...operand };
        return;
      }
    }
    this.errorf('undefined variable: %s', name);
  }

  private setTopVar(n: number, operand: Operand): void {
    const index = this.vars.length - n;
    this.vars[index] = { name: this.vars[index]!.name, ...operand };
  }

  private varValue(name: string): Variable {
    for (let index = this.vars.length - 1; index >= 0; index--) if (this.vars[index]!.name === name) return this.vars[index]!;
    this.errorf('undefined variable: %s', name);
  }

  // --- Walking ---

  walk(dot: Operand, node: Node): Signal {
    this.run.step();
    this.at(node);
    switch (node.kind) {
      case 'action': {
        this.action = node;
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return Signal.None;
      }
      case 'break':
        return Signal.Break;
      case 'continue':
        return Signal.Continue;
      case 'comment':
        return Signal.None;
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'list':
        for (const child of node.nodes) {
          const signal = this.walk(dot, child);
          if (signal !== Signal.None) return signal;
        }
        return Signal.None;
      case 'range':
        this.walkRange(node, dot);
        return Signal.None;
      case 'template':
        this.walkTemplate(node, dot);
        return Signal.None;
      case 'text':
        this.writeTemplateText(node);
        return Signal.None;
    }
    this.errorf('unknown node: %s', String(node));
  }

  private walkIfOrWith(node: BranchNode, dot: Operand): Signal {
    const mark = this.mark();
    this.action = node;
    const value = this.evalPipeline(dot, node.pipe);
    const trace = this.trace;
    let signal = Signal.None;
    if (isTrue(indirectInterface(value))) signal = this.walk(node.kind === 'with' ? { value, boxed: false, trace } : dot, node.list);
    else if (node.elseList) signal = this.walk(dot, node.elseList);
    this.pop(mark);
    return signal;
  }

  private walkRange(node: BranchNode, dot: Operand): void {
    this.at(node);
    const outerMark = this.mark();
    this.action = node;
    const evaluated = this.evalPipeline(dot, node.pipe);
    const mark = this.mark();
    const decl = node.pipe.decl;
    const value = underlying(evaluated);

    // One pass of the body; false when it broke out of the range.
    const oneIteration = (index: Operand, element: Operand): boolean => {
      this.run.step();
      if (decl.length > 0) {
        if (node.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : element);
        else this.setTopVar(1, element);
      }
      if (decl.length > 1) {
        if (node.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, element);
        else this.setTopVar(2, index);
      }
      const signal = this.walk(element, node.list);
      this.pop(mark);
      return signal !== Signal.Break;
    };

    let iterated = false;
    if (typeof value === 'bigint') {
      if (decl.length > 1) this.errorf("can't use %v to iterate over more than one variable", value);
      const none: Operand = { value: undefined, boxed: false, trace: undefined };
      for (let counter = 0n; counter < value; counter++) {
        iterated = true;
        if (!oneIteration(none, { value: counter, boxed: false, trace: undefined })) break;
      }
    } else if (Array.isArray(value)) {
      const length = value.length;
      for (let index = 0; index < length; index++) {
        iterated = true;
        const element: Operand = { value: value[index]!, boxed: true, trace: entryOriginOf(value, index)?.value };
        if (!oneIteration({ value: BigInt(index), boxed: false, trace: undefined }, element)) break;
      }
    } else if (value instanceof Uint8Array) {
      for (let index = 0; index < value.length; index++) {
        iterated = true;
        if (!oneIteration({ value: BigInt(index), boxed: false, trace: undefined }, { value: BigInt(value[index]!), boxed: false, trace: undefined })) break;
      }
    } else if (isGoMap(value)) {
      const entries = sortedEntries(value);
      for (const [key, element] of entries) {
        iterated = true;
        const origins = entryOriginOf(value, key);
        if (!oneIteration({ value: key, boxed: false, trace: origins?.key }, { value: element, boxed: true, trace: origins?.value })) break;
      }
    } else if (value !== undefined) this.errorf("range can't iterate over %v", evaluated!);
    if (!iterated && node.elseList) this.walk(dot, node.elseList);
    this.pop(outerMark);
  }

  private walkTemplate(node: TemplateNode, dot: Operand): void {
    this.at(node);
    this.run.used?.add(node.name);
    const tree = this.set.lookup(node.name);
    if (!tree) this.errorf('template %q not defined', node.name);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf('exceeded maximum template depth (%v)', BigInt(MAX_EXEC_DEPTH));
    this.action = node;
    const value = this.evalPipeline(dot, node.pipe);
    const operand: Operand = { value, boxed: false, trace: this.trace };
    const state = new State(this.set, tree, this.out, this.run, this.depth + 1);
    state.vars.push({ name: '$', ...operand });
    this.run.enter();
    state.walk(operand, tree.root!);
    this.run.leave();
  }

  // --- Evaluation ---

  private evalPipeline(dot: Operand, pipe: PipeNode | undefined): Val {
    if (!pipe) {
      this.trace = undefined;
      this.boxed = false;
      return undefined;
    }
    this.at(pipe);
    let value: Final = MISSING;
    let trace: Trace | undefined;
    for (const command of pipe.cmds) {
      value = this.evalCommand(dot, command, value, trace);
      trace = this.trace;
      // An interface{} holds what is inside it: a nil one holds no value.
      if (value === null) value = undefined;
    }
    const result = value as Val;
    for (const variable of pipe.decl) {
      const operand: Operand = { value: result, boxed: false, trace };
      if (pipe.isAssign) this.setVar(variable.ident[0]!, operand);
      else this.vars.push({ name: variable.ident[0]!, ...operand });
    }
    this.trace = trace;
    this.boxed = false;
    return result;
  }

  private notAFunction(args: readonly Node[] | undefined, final: Final): void {
    if ((args !== undefined && args.length > 1) || final !== MISSING) this.errorf("can't give argument to non-function %s", String(args![0]));
  }

  private evalCommand(dot: Operand, command: CommandNode, final: Final, finalTrace: Trace | undefined): Val {
    const first = command.args[0]!;
    switch (first.kind) {
      case 'field':
        return this.evalFieldNode(dot, first, command.args, final, finalTrace);
      case 'chain':
        return this.evalChainNode(dot, first, command.args, final, finalTrace);
      case 'identifier':
        return this.evalFunction(dot, first, command, command.args, final, finalTrace);
      case 'pipe':
        this.notAFunction(command.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, command.args, final, finalTrace);
    }
    this.at(first);
    this.notAFunction(command.args, final);
    this.trace = undefined;
    this.boxed = false;
    switch (first.kind) {
      case 'bool':
        return first.value;
      case 'dot':
        this.trace = dot.trace;
        this.boxed = dot.boxed;
        return dot.value;
      case 'nil':
        this.errorf('nil is not a command');
        break;
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    this.errorf("can't evaluate command %q", String(first));
  }

  private idealConstant(constant: NumberNode): Val {
    this.at(constant);
    this.trace = undefined;
    this.boxed = false;
    const text = constant.text;
    if (constant.isComplex) this.errorf('complex constant %s: complex numbers are not supported', text);
    const hexInt = text.length > 2 && text[0] === '0' && (text[1] === 'x' || text[1] === 'X') && !/[pP]/.test(text);
    if (constant.isFloat && !hexInt && text[0] !== "'" && /[.eEpP]/.test(text)) return constant.float64;
    if (constant.isInt) return constant.int64;
    if (constant.isUint) this.errorf('%s overflows int', text);
    return undefined;
  }

  private evalFieldNode(dot: Operand, field: FieldNode, args: readonly Node[] | undefined, final: Final, finalTrace?: Trace): Val {
    this.at(field);
    return this.evalFieldChain(dot, dot.value, dot.boxed, field, field.ident, args, final, finalTrace);
  }

  private evalChainNode(dot: Operand, chain: ChainNode, args: readonly Node[] | undefined, final: Final, finalTrace?: Trace): Val {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.kind === 'nil') this.errorf('indirection through explicit nil in %s', String(chain));
    const receiver = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, receiver, this.boxed, chain, chain.field, args, final, finalTrace);
  }

  private evalVariableNode(dot: Operand, variable: VariableNode, args: readonly Node[] | undefined, final: Final, finalTrace?: Trace): Val {
    this.at(variable);
    const value = this.varValue(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      this.trace = value.trace;
      this.boxed = value.boxed;
      return value.value;
    }
    return this.evalFieldChain(dot, value.value, value.boxed, variable, variable.ident.slice(1), args, final, finalTrace);
  }

  private evalFieldChain(dot: Operand, receiver: Val, boxed: boolean, node: Node, ident: readonly string[], args: readonly Node[] | undefined, final: Final, finalTrace?: Trace): Val {
    const last = ident.length - 1;
    for (let index = 0; index < last; index++) {
      receiver = this.evalField(dot, ident[index]!, node, undefined, MISSING, receiver, boxed);
      boxed = this.boxed;
    }
    return this.evalField(dot, ident[last]!, node, args, final, receiver, boxed, finalTrace);
  }

  private evalField(dot: Operand, fieldName: string, node: Node, args: readonly Node[] | undefined, final: Final, receiver: Val, receiverBoxed: boolean, finalTrace?: Trace): Val {
    this.trace = undefined;
    this.boxed = false;
    if (receiver === undefined) {
      if (this.set.missingKey === 'error') this.errorf('nil data; no entry for key %q', fieldName);
      return undefined;
    }
    const typ = receiverBoxed || receiver === null ? 'interface {}' : goTypeName(receiver);
    if (receiver === null) this.errorf('nil pointer evaluating %s.%s', typ, fieldName);
    if (receiver instanceof GoStruct) {
      const method = receiver.methods.get(fieldName);
      if (method) return this.evalCall(dot, { ...method.signature, call: method.call }, false, node, fieldName, args, final, finalTrace);
    }
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct && receiver.fields.has(fieldName)) {
      if (hasArgs) this.errorf('%s has arguments but cannot be invoked as function', fieldName);
      return receiver.fields.get(fieldName)!;
    }
    const map = underlying(receiver);
    if (isGoMap(map)) {
      if (hasArgs) this.errorf('%s is not a method but has arguments', fieldName);
      const value = map.get(fieldName);
      if (value !== undefined) {
        this.boxed = true;
        this.trace = entryOriginOf(map, fieldName)?.value;
        return value;
      }
      switch (this.set.missingKey) {
        case 'invalid':
          return undefined;
        case 'zero':
          this.boxed = true;
          return null;
        case 'error':
          this.errorf('map has no entry for key %q', fieldName);
      }
    }
    this.errorf("can't evaluate field %s in type %s", fieldName, typ);
  }

  private evalFunction(dot: Operand, node: IdentifierNode, command: Node, args: readonly Node[] | undefined, final: Final, finalTrace?: Trace): Val {
    this.at(node);
    const name = node.ident;
    const fn = this.set.functions.get(name);
    if (fn) return this.evalCall(dot, fn, false, command, name, args, final, finalTrace);
    const builtin = builtins.get(name);
    if (builtin) return this.evalCall(dot, builtin, true, command, name, args, final, finalTrace);
    this.errorf('%q is not a defined function', name);
  }

  private evalCall(dot: Operand, fn: TemplateFunction | Builtin, isBuiltin: boolean, node: Node, name: string, args: readonly Node[] | undefined, final: Final, finalTrace?: Trace): Val {
    const argNodes = args === undefined ? [] : args.slice(1);
    const params = fn.params as readonly ParamType[];
    const variadic = fn.variadic as ParamType | undefined;
    const numIn = argNodes.length + (final === MISSING ? 0 : 1);
    let numFixed = argNodes.length;
    if (variadic !== undefined) {
      numFixed = params.length;
      if (numIn < numFixed) this.errorf('wrong number of args for %s: want at least %d got %d', name, BigInt(params.length), BigInt(argNodes.length));
    } else if (numIn !== params.length) this.errorf('wrong number of args for %s: want %d got %d', name, BigInt(params.length), BigInt(numIn));
    this.run.call();

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let value: Val;
      let trace: Trace | undefined;
      for (const arg of argNodes) {
        value = this.evalArg(dot, 'value', arg);
        trace = this.trace;
        if (isTrue(indirectInterface(value)) === (name === 'or')) {
          this.trace = trace;
          this.boxed = value === null;
          return value;
        }
      }
      if (final !== MISSING) {
        value = final;
        trace = finalTrace;
      }
      this.trace = trace;
      this.boxed = value === null;
      return value;
    }

    const argv: Val[] = [];
    const traces: (Trace | undefined)[] = [];
    let traced = false;
    let index = 0;
    for (; index < numFixed && index < argNodes.length; index++) {
      argv.push(this.evalArg(dot, params[index], argNodes[index]!));
      traces.push(this.trace);
      if (this.trace !== undefined) traced = true;
    }
    if (variadic !== undefined) {
      for (; index < argNodes.length; index++) {
        argv.push(this.evalArg(dot, variadic, argNodes[index]!));
        traces.push(this.trace);
        if (this.trace !== undefined) traced = true;
      }
    }
    if (final !== MISSING) {
      const typ = variadic === undefined ? params[params.length - 1]! : numIn - 1 < numFixed ? params[numIn - 1]! : variadic;
      argv.push(this.validateType(final, typ));
      traces.push(finalTrace);
      if (finalTrace !== undefined) traced = true;
    }

    let result: Val;
    let resultTrace: Trace | undefined;
    let boxed = false;
    try {
      if (isBuiltin) {
        if (name === 'call') throw callError(argNodes.length === 0 ? reflectString(final) : String(argNodes[0]), argv[0]);
        if (name === 'index') {
          const indexed = indexValue(argv[0], argv.slice(1));
          result = indexed.value;
          resultTrace = indexed.from?.value;
          boxed = true;
        } else {
          result = (fn as Builtin).call(argv);
          if (traced && result !== undefined) resultTrace = functionResultTrace(name, argv as GoValue[], traces, result, this.fill());
        }
      } else if (isTracing(fn)) {
        const produced = fn.callTraced(argv as GoValue[], traces, { run: this.run, fill: this.fill() });
        result = produced.value;
        resultTrace = produced.traced;
      } else {
        const tracer = this.set.tracers.get(name);
        if (tracer) {
          const produced = tracer(argv as GoValue[]);
          result = produced.text;
          resultTrace = produced;
        } else {
          result = (fn as GoFunction).call(...(argv as GoValue[]));
          if (traced) resultTrace = functionResultTrace(name, argv as GoValue[], traces, result, this.fill());
        }
        boxed = result === null;
      }
    } catch (error) {
      if (error instanceof RenderBudgetExceeded || isStackOverflow(error)) throw error;
      this.at(node);
      if (error instanceof TemplateExecutionError || error instanceof GoFunctionFailure) this.fail(`error calling ${name}: ${error.error.message}`, error.error);
      const message = error instanceof BuiltinError || error instanceof GoFunctionError ? error.message : error instanceof Error ? error.message : String(error);
      this.fail(`error calling ${name}: ${message}`, new GoError(message));
    }
    this.trace = resultTrace;
    this.boxed = boxed;
    return result;
  }

  /** Makes a value fit a parameter (validateType): a missing value becomes its type's nil, if it has one. */
  private validateType(value: Val, typ: ParamType | undefined): Val {
    if (typ === undefined || typ === 'value') return value;
    if (value === undefined) {
      if (canBeNil(typ)) return null;
      this.errorf('invalid value; expected %s', goTypeNames[typ]);
    }
    if (assignable(value, typ)) return value;
    // A named slice type is assignable to its unnamed underlying type ([]string for common.VersionSet).
    if (typ === 'strings' && value instanceof GoStruct && Array.isArray(value.underlying)) return value.underlying;
    this.errorf('wrong type for value; expected %s; got %s', goTypeNames[typ], value === null ? 'interface {}' : goTypeName(value));
  }

  private evalArg(dot: Operand, typ: ParamType | undefined, node: Node): Val {
    this.at(node);
    switch (node.kind) {
      case 'dot':
        this.trace = dot.trace;
        this.boxed = dot.boxed;
        return this.validateType(dot.value, typ);
      case 'nil':
        this.trace = undefined;
        this.boxed = false;
        if (typ === undefined || !canBeNil(typ)) this.errorf('cannot assign nil to %s', typ === undefined ? '<nil>' : goTypeNames[typ]);
        return typ === 'value' ? undefined : null;
      case 'field':
        return this.validateType(this.evalFieldNode(dot, node, [node], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, node, undefined, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, node), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, node, node, undefined, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, node, undefined, MISSING), typ);
    }
    this.trace = undefined;
    this.boxed = false;
    switch (typ) {
      case 'bool':
        if (node.kind === 'bool') return node.value;
        this.errorf('expected bool; found %s', String(node));
        break;
      case 'float64':
        if (node.kind === 'number' && node.isFloat) return node.float64;
        this.errorf('expected float; found %s', String(node));
        break;
      case 'int':
        if (node.kind === 'number' && node.isInt) return node.int64;
        this.errorf('expected integer; found %s', String(node));
        break;
      case 'string':
        if (node.kind === 'string') return node.text;
        this.errorf('expected string; found %s', String(node));
        break;
      case 'any':
      case 'value':
        return this.evalEmptyInterface(node);
    }
    this.errorf("can't handle %s for arg of type %s", String(node), goTypeNames[typ!]);
  }

  private evalEmptyInterface(node: Node): Val {
    this.at(node);
    switch (node.kind) {
      case 'bool':
        return node.value;
      case 'number':
        return this.idealConstant(node);
      case 'string':
        return node.text;
    }
    this.errorf("can't handle assignment of %s to empty interface argument", String(node));
  }

  private printValue(node: Node & ActionRange, value: Val): void {
    this.at(node);
    const text = value === undefined ? '<no value>' : formatValue(value);
    const trace = this.trace;
    if (trace !== undefined && 'spans' in trace) {
      if (trace.text === text) {
        this.writeTraced(trace, actionOrigin(this.tmpl, node));
        return;
      }
    } else if (trace !== undefined && value !== undefined) {
      this.write(text, valueOrigin(trace as ValueNode, text));
      return;
    }
    this.write(text, actionOrigin(this.tmpl, node));
  }
}

/** reflect.Value.String: a string's text, `<T Value>` for the others. */
function reflectString(value: Final): string {
  if (typeof value === 'string') return value;
  if (value === MISSING || value === undefined) return '<invalid Value>';
  return `<${value === null ? 'interface {}' : goTypeName(value)} Value>`;
}

/** A map's entries in Go's order (fmtsort: by key), taken before the body runs. */
function sortedEntries(map: Map<string, GoValue>): [string, GoValue][] {
  return [...map].sort((a, b) => compareGoStrings(a[0], b[0]));
}
