/**
 * Helm's render loop (pkg/engine/engine.go at v4.1.4): every template of a chart parsed
 * into one set, the non-partials executed in Helm's order on their chart's values, and
 * Helm's errors, reformatted as Helm reformats them. The functions Helm binds to the
 * engine (include, tpl, required, fail, lookup, getHostByName) are bound here.
 */
import { compareGoStrings, quoteGo } from '../fmt.js';
import type { TracedText } from '../origins.js';
import { goMap, GoFunctionError, GoStruct, isGoMap, type GoFunction, type GoMap, type GoValue } from '../values.js';
import { HELM_DATA_FUNCTIONS, toYamlTraced } from '../yaml/index.js';
import { GoError, GoFunctionFailure, HelmRenderError, isStackOverflow, RenderBudgetExceeded, TemplateExecutionError } from './errors.js';
import { execute, executeTemplate, RunContext, TemplateSet, type RenderBudget, type ResultTracers, type TemplateFunction, type TracingFunction } from './exec.js';
import { parseTemplate, TemplateParseError, type Tree } from './parse.js';
import { DigestCache } from '../../digest-cache.js';
import { TEMPLATE_TREES } from '../render-cache.js';
import { replaceAllTraced, tracedAs } from './traced.js';
import { isTracedText } from './tracing.js';

export type { RenderBudget } from './exec.js';

export interface RenderTemplate {
  /** Helm's template name: "mychart/templates/deployment.yaml", "mychart/charts/sub/templates/_helpers.tpl". */
  name: string;
  /** The repository path of the file (for origins): "deploy/mychart/templates/deployment.yaml". */
  path: string;
  text: string;
  /** The "." of this template, without the "Template" key (one map per chart scope, as engine.go's allTemplates builds it). */
  data: GoMap;
  /** For .Template.BasePath ("mychart/templates"). */
  basePath: string;
}

export interface RenderOptions {
  /** Helm's strict mode: a missing map key is an error (missingkey=error). */
  strict?: boolean;
  budget?: Partial<RenderBudget>;
  /**
   * Functions whose result has origins of its own, called instead of the function of that
   * name; by default Helm's toYaml (when `functions` has the port's) is traced by toYamlTraced.
   */
  tracers?: ResultTracers;
}

/**
 * Generous for real charts, small enough that no chart keeps a worker busy for more than a
 * few seconds. Measured: istiod, ingress-nginx, cert-manager and opentelemetry-kube-stack
 * each take fewer than 10,000 steps; a pathological loop stops at a thousand times that
 * (and a second or two). Helm lets include nest 1001 deep (per name); Node's default stack
 * holds about 500 levels, so the cap here is what the stack surely holds.
 */
export const DEFAULT_RENDER_BUDGET: RenderBudget = {
  maxIncludeDepth: 300,
  maxSteps: 10_000_000,
  maxOutputBytes: 64 * 1024 * 1024,
  timeLimitMs: 5000,
};

export { HelmRenderError, RenderBudgetExceeded };

// engine.go's names and limits.
const ROOT_NAME = 'gotpl';
const RECURSION_MAX = 1000;
const WARN_START = 'HELM_ERR_START';
const WARN_END = 'HELM_ERR_END';

/** Helm's parse order, which is also its execution order: deeper paths first, then reverse-lexical. */
export function sortTemplateNames(names: readonly string[]): string[] {
  const depth = (name: string) => name.split('/').length;
  return [...names].sort((a, b) => {
    const byDepth = depth(b) - depth(a);
    if (byDepth !== 0) return byDepth;
    return compareGoStrings(b, a);
  });
}

function isPartial(name: string): boolean {
  return name.slice(name.lastIndexOf('/') + 1).startsWith('_');
}

/**
 * Renders the chart's templates as `helm template` does: the output of each non-partial
 * template by name (NOTES.txt included, as engine.go returns it), every character with its
 * origin. Throws HelmRenderError with Helm's message, RenderBudgetExceeded past a budget.
 */
export function renderTemplates(templates: RenderTemplate[], functions: ReadonlyMap<string, GoFunction>, options: RenderOptions = {}): Map<string, TracedText> {
  return renderRecorded(templates, functions, options, undefined)!.rendered;
}

/** One template's output in a render, and what it took: the templates it ran (by name), its steps and its characters, its changes of the data it was given. */
interface TemplateOutput {
  output: TracedText;
  used: ReadonlySet<string>;
  steps: number;
  written: number;
  changes: readonly MapChange[];
}

/**
 * What a render leaves for rendering again with some templates' text changed (a fix made in
 * a template): each text's trees, each template's output, the templates it ran and its
 * changes of the data (a `set` on `.Values`, a `merge` into `$`: later templates may read
 * them), and the maps and lists the templates were given.
 */
export interface TemplateRenderRecord {
  readonly texts: ReadonlyMap<string, { text: string; trees: ReadonlyMap<string, Tree> }>;
  readonly root: TemplateSet;
  readonly outputs: ReadonlyMap<string, TemplateOutput>;
  readonly given: WeakSet<object>;
}

/**
 * renderTemplates, keeping its record; the data is as it was given once it returns (what
 * the templates changed in it is put back). With `previous` (the record of a render of the
 * same templates on the same data, some texts since changed): a template that ran none of
 * the templates whose trees changed gives its earlier output again, and its earlier changes
 * of the data are made again, as rendering it again would make them; the others run.
 * Undefined when one that runs changes the data otherwise than it did before: what the
 * templates after it read is not what they read then, and only rendering everything again
 * tells what they make of it.
 */
export function renderRecorded(
  templates: RenderTemplate[],
  functions: ReadonlyMap<string, GoFunction>,
  options: RenderOptions,
  previous: TemplateRenderRecord | undefined,
): { rendered: Map<string, TracedText>; record: TemplateRenderRecord } | undefined {
  const given = previous?.given ?? addReachable(new WeakSet(), templates.map((template) => template.data));
  const changes = new DataChanges(given);
  try {
    return renderRecording(templates, functions, options, previous, changes);
  } finally {
    changes.undo();
  }
}

function renderRecording(
  templates: RenderTemplate[],
  functions: ReadonlyMap<string, GoFunction>,
  options: RenderOptions,
  previous: TemplateRenderRecord | undefined,
  changes: DataChanges,
): { rendered: Map<string, TracedText>; record: TemplateRenderRecord } | undefined {
  const run = new RunContext({ ...DEFAULT_RENDER_BUDGET, ...options.budget });
  const root = new TemplateSet(ROOT_NAME, engineFunctions(watchingChanges(functions, changes)), options.strict ? 'error' : 'zero', options.tracers ?? defaultTracers(functions));
  bindTemplateFunctions(root, new Map());

  const byName = new Map(templates.map((template) => [template.name, template]));
  const order = sortTemplateNames([...byName.keys()]);
  const texts = new Map<string, { text: string; trees: ReadonlyMap<string, Tree> }>();
  // A parse checks that the functions it calls exist: a tree kept is for the same names.
  const functionNames = [...root.functions.keys()].sort().join(' ');
  for (const name of order) {
    const template = byName.get(name)!;
    const earlier = previous?.texts.get(name);
    let trees: ReadonlyMap<string, Tree> | undefined;
    if (earlier !== undefined && earlier.text === template.text) trees = earlier.trees;
    else {
      const key = DigestCache.keyOf(functionNames, name, template.path, template.text);
      try {
        trees = TEMPLATE_TREES.get(key);
        if (trees === undefined) TEMPLATE_TREES.set(key, (trees = parseTemplate(name, template.text, { kind: 'file', path: template.path }, root.hasFunction)), template.text.length);
      } catch (error) {
        if (error instanceof TemplateParseError) throw parseError(name, error.message);
        // Go parses 10,000 nested parentheses; Node's default stack fewer.
        if (isStackOverflow(error)) throw new RenderBudgetExceeded(`render budget exceeded: expressions nested too deep for the stack, parsing ${name}`, name);
        throw error;
      }
    }
    texts.set(name, { text: template.text, trees });
    root.install(name, trees);
  }
  const changed = previous ? changedTemplates(previous.root, root) : undefined;

  const rendered = new Map<string, TracedText>();
  const outputs = new Map<string, TemplateOutput>();
  for (const name of order) {
    if (isPartial(name)) continue;
    const earlier = previous?.outputs.get(name);
    if (earlier && changed && ![...earlier.used].some((used) => changed.has(used))) {
      run.credit(earlier.steps, earlier.written);
      changes.makeAgain(earlier.changes);
      rendered.set(name, earlier.output);
      outputs.set(name, earlier);
      continue;
    }
    const template = byName.get(name)!;
    template.data.set('Template', goMap([['Name', name], ['BasePath', template.basePath]]));
    run.template = name;
    const used = new Set<string>();
    run.used = used;
    const steps = run.stepsTaken;
    const written = run.bytesWritten;
    try {
      // Helm's workaround for Go printing "<no value>" under missingkey=zero.
      const output = replaceAllTraced(executeTemplate(root, name, template.data, run), '<no value>', '');
      rendered.set(name, output);
      outputs.set(name, { output, used, steps: run.stepsTaken - steps, written: run.bytesWritten - written, changes: changes.taken() });
    } catch (error) {
      if (error instanceof TemplateExecutionError) throw executionError(name, error.error);
      throw error;
    } finally {
      run.used = undefined;
    }
    if (previous && !sameChanges(outputs.get(name)!.changes, earlier?.changes ?? [])) return undefined;
  }
  return { rendered, record: { texts, root, outputs, given: changes.given } };
}

/** The names whose tree differs between two sets: one has it and the other not, or the two differ in more than where their nodes are. */
function changedTemplates(before: TemplateSet, after: TemplateSet): Set<string> {
  const changed = new Set<string>();
  for (const name of new Set([...before.names(), ...after.names()])) {
    const old = before.lookup(name);
    const now = after.lookup(name);
    if (old === now) continue;
    if (old === undefined || now === undefined || !sameNodes(old.root, now.root)) changed.add(name);
  }
  return changed;
}

/** A node's fields that say where it is (in its tree's text), not what it does. */
const PLACE_FIELDS = new Set(['tree', 'pos', 'line', 'origin', 'start', 'end']);

/**
 * Whether two parse trees (or parts) are alike but for where their nodes are: a define
 * after a fix's edit in the same file is parsed again at other offsets. Stricter than
 * comparing what Go's String prints of them, and without printing a file's every define.
 */
function sameNodes(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || a instanceof Map || a instanceof Set) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => sameNodes(item, b[index]));
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const fields = Object.keys(a);
  if (fields.length !== Object.keys(b).length) return false;
  return fields.every((field) => PLACE_FIELDS.has(field) || sameNodes((a as Record<string, unknown>)[field], (b as Record<string, unknown>)[field]));
}

/** `seen` with every map and list reachable from `roots`: what a template may change for the templates after it. */
function addReachable(seen: WeakSet<object>, roots: readonly GoValue[]): WeakSet<object> {
  const pending: GoValue[] = [...roots];
  while (pending.length > 0) {
    const value = pending.pop()!;
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof GoStruct) {
      pending.push(...value.fields.values());
      if (value.underlying !== undefined) pending.push(value.underlying);
    } else if (Array.isArray(value)) pending.push(...value);
    else pending.push(...value.values());
  }
  return seen;
}

/**
 * The maps merge may write to: its destination and the maps within it that it merges into,
 * and those within its sources (a source's map put into the destination is that same map,
 * and a later source merges into it).
 */
function mapsWithin(args: readonly GoValue[]): GoMap[] {
  const found = new Set<GoMap>();
  const pending = args.filter(isGoMap);
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    for (const value of next.values()) if (isGoMap(value)) pending.push(value);
  }
  return [...found];
}

/** Sprig's functions that change a map they are given, and which maps a call (its arguments) may change. */
const CHANGING: ReadonlyMap<string, (args: readonly GoValue[]) => GoMap[]> = new Map([
  ['set', (args: readonly GoValue[]) => args.slice(0, 1).filter(isGoMap)],
  ['unset', (args: readonly GoValue[]) => args.slice(0, 1).filter(isGoMap)],
  ['merge', mapsWithin],
  ['mustMerge', mapsWithin],
  ['mergeOverwrite', mapsWithin],
  ['mustMergeOverwrite', mapsWithin],
]);

/** A key of a map set to a value, or deleted. */
type KeyChange = readonly [key: string, value: GoValue | typeof DELETED];
const DELETED = Symbol('deleted');

/** One call's change of one map given to the templates: its keys set or deleted, in the map's order. */
type MapChange = readonly [map: GoMap, keys: readonly KeyChange[]];

/**
 * The changes a render's templates make to the maps they were given, as each template made
 * them, and the maps' contents before the render first changed them, to put back when it
 * ends. A map or list a change puts into them is given from then on.
 */
class DataChanges {
  private readonly before = new Map<GoMap, [string, GoValue][]>();
  private running: MapChange[] = [];

  constructor(readonly given: WeakSet<object>) {}

  /** Calls `change`, which may change `targets`, noting what it changes of those given. */
  watch(targets: readonly GoMap[], change: () => GoValue): GoValue {
    const watched = targets.filter((map) => this.given.has(map));
    if (watched.length === 0) return change();
    const entries = watched.map((map) => [...map]);
    try {
      return change();
    } finally {
      watched.forEach((map, index) => {
        const keys = keyChanges(new Map(entries[index]), map);
        if (keys.length === 0) return;
        if (!this.before.has(map)) this.before.set(map, entries[index]!);
        this.running.push([map, keys]);
        addReachable(this.given, keys.flatMap(([, value]) => (value === DELETED ? [] : [value])));
      });
    }
  }

  /** The changes made since the last call: the template that just ran. */
  taken(): MapChange[] {
    const taken = this.running;
    this.running = [];
    return taken;
  }

  /** Makes an earlier render's changes of a template again, as running it on the same data would. */
  makeAgain(changes: readonly MapChange[]): void {
    for (const [map, keys] of changes) {
      if (!this.before.has(map)) this.before.set(map, [...map]);
      for (const [key, value] of keys) {
        if (value === DELETED) map.delete(key);
        else map.set(key, value);
      }
    }
  }

  /** Puts every changed map back as it was before the render (its entries in their order). */
  undo(): void {
    for (const [map, entries] of this.before) {
      map.clear();
      for (const [key, value] of entries) map.set(key, value);
    }
    this.before.clear();
  }
}

/** What became of `before`'s keys in `after`: those set to another value (or added, in `after`'s order), then those deleted. */
function keyChanges(before: ReadonlyMap<string, GoValue>, after: GoMap): KeyChange[] {
  const keys: KeyChange[] = [];
  for (const [key, value] of after) if (!before.has(key) || before.get(key) !== value) keys.push([key, value]);
  for (const key of before.keys()) if (!after.has(key)) keys.push([key, DELETED]);
  return keys;
}

/** Whether two runs of a template changed the same maps' same keys to the same values (the same maps and lists, not alike ones). */
function sameChanges(a: readonly MapChange[], b: readonly MapChange[]): boolean {
  return (
    a.length === b.length &&
    a.every(([map, keys], index) => {
      const [otherMap, otherKeys] = b[index]!;
      return map === otherMap && keys.length === otherKeys.length && keys.every(([key, value], at) => key === otherKeys[at]![0] && value === otherKeys[at]![1]);
    })
  );
}

/** The functions, those that change maps noting their changes in `changes`. */
function watchingChanges(functions: ReadonlyMap<string, GoFunction>, changes: DataChanges): Map<string, GoFunction> {
  const watched = new Map(functions);
  for (const [name, targets] of CHANGING) {
    const fn = functions.get(name);
    if (!fn) continue;
    watched.set(name, {
      ...fn,
      call: (...args) => changes.watch(targets(args), () => fn.call(...args)),
    });
  }
  return watched;
}

/** toYaml's lines point into the values files, when toYaml is the port's. */
function defaultTracers(functions: ReadonlyMap<string, GoFunction>): ResultTracers {
  const tracers = new Map<string, (args: GoValue[]) => TracedText>();
  if (functions.get('toYaml') === HELM_DATA_FUNCTIONS.get('toYaml')) tracers.set('toYaml', ([value]) => toYamlTraced(value!));
  return tracers;
}

/** The functions of Helm's engine: the given ones, and those it binds itself (include and tpl are bound per set). */
function engineFunctions(functions: ReadonlyMap<string, GoFunction>): Map<string, TemplateFunction> {
  const all = new Map<string, TemplateFunction>(functions);
  all.set('required', {
    params: ['string', 'any'],
    call: (warn, value) => {
      if (value === null || value === '') throw new GoFunctionError(WARN_START + (warn as string) + WARN_END);
      return value;
    },
  });
  all.set('fail', {
    params: ['string'],
    call: (message) => {
      throw new GoFunctionError(WARN_START + (message as string) + WARN_END);
    },
  });
  // `helm template` has no cluster: lookup finds nothing, and DNS lookups are off.
  all.set('lookup', { params: ['string', 'string', 'string', 'string'], call: () => goMap() });
  all.set('getHostByName', { params: ['string'], call: () => '' });
  return all;
}

/** Binds include and tpl to `set` (tpl to a copy of it, as Helm's tplFun clones the templates). */
function bindTemplateFunctions(set: TemplateSet, includedNames: Map<string, number>): void {
  const functions = set.functions as Map<string, TemplateFunction>;
  functions.set('include', includeFunction(set, includedNames));
  functions.set('tpl', tplFunction(set, includedNames));
}

function includeFunction(set: TemplateSet, includedNames: Map<string, number>): TracingFunction {
  return {
    params: ['string', 'any'],
    callTraced: ([name, data], _traces, { run }) => {
      const template = name as string;
      const count = includedNames.get(template) ?? 0;
      if (count > RECURSION_MAX) {
        throw new GoFunctionFailure(new GoError(`rendering template has a nested reference name: ${template}: unable to execute template`, new GoError('unable to execute template')));
      }
      includedNames.set(template, count + 1);
      try {
        const traced = executeTemplate(set, template, data === null ? undefined : data, run);
        return { value: traced.text, traced };
      } finally {
        includedNames.set(template, includedNames.get(template)! - 1);
      }
    },
  };
}

function tplFunction(parent: TemplateSet, includedNames: Map<string, number>): TracingFunction {
  return {
    params: ['string', 'any'],
    callTraced: ([text, data], traces, { run, fill }) => {
      const source = text as string;
      const clone = parent.clone(new Map(parent.functions));
      bindTemplateFunctions(clone, includedNames);
      const sourceTrace = traces[0];
      const origins = sourceTrace === undefined ? [] : isTracedText(sourceTrace) ? sourceTrace.spans : tracedAs(source, { type: 'value', file: sourceTrace.file, start: sourceTrace.start, end: sourceTrace.end, verbatim: false }).spans;
      let tree;
      try {
        tree = clone.parse(parent.name, source, { kind: 'text', origins, fallback: fill });
      } catch (error) {
        if (!(error instanceof TemplateParseError)) throw error;
        throw new GoFunctionFailure(new GoError(`cannot parse template ${quoteGo(source)}: ${error.message}`, new GoError(error.message)));
      }
      let output: TracedText;
      try {
        output = execute(clone, tree, data === null ? undefined : data, run);
      } catch (error) {
        if (!(error instanceof TemplateExecutionError)) throw error;
        throw new GoFunctionFailure(new GoError(`error during tpl function execution for ${quoteGo(source)}: ${error.error.message}`, error.error));
      }
      const traced = replaceAllTraced(output, '<no value>', '');
      return { value: traced.text, traced };
    },
  };
}

// --- Helm's error messages ---

/** "NAME:LINE" or "NAME:LINE:COLUMN" as a location. */
function located(message: string, location: string): HelmRenderError {
  const match = /^(.*?):(\d+)(?::(\d+))?$/.exec(location);
  if (!match) return new HelmRenderError(message);
  return new HelmRenderError(message, match[1], Number(match[2]), match[3] === undefined ? undefined : Number(match[3]));
}

/** engine.go's cleanupParseError. */
function parseError(filename: string, message: string): HelmRenderError {
  const tokens = message.split(': ');
  if (tokens.length === 1) return new HelmRenderError(`parse error in (${filename}): ${message}`, filename);
  const location = tokens[1]!;
  return located(`parse error at (${location}): ${tokens[tokens.length - 1]}`, location);
}

/** strings.SplitN. */
function splitN(text: string, separator: string, n: number): string[] {
  const parts: string[] = [];
  let from = 0;
  while (parts.length < n - 1) {
    const at = text.indexOf(separator, from);
    if (at === -1) break;
    parts.push(text.slice(from, at));
    from = at + separator.length;
  }
  parts.push(text.slice(from));
  return parts;
}

interface TraceableError {
  location: string;
  message: string;
  executedFunction: string;
}

function traceableString(error: TraceableError): string {
  let text = '';
  if (error.location !== '') text += `${error.location}\n  `;
  if (error.executedFunction !== '') text += `${error.executedFunction}\n    `;
  if (error.message !== '') text += `${error.message}\n`;
  return text;
}

function cutAtChainedTemplate(message: string): string {
  const cut = message.indexOf(' template:');
  return cut === -1 ? message : message.slice(0, cut);
}

/** engine.go's parseTemplateExecErrorString, and the three forms it reads. */
function parseTraceable(text: string): TraceableError | undefined {
  const prefix = 'template: ';
  if (!text.startsWith(prefix)) return undefined;
  const remainder = text.slice(prefix.length);
  if (remainder.startsWith('no template ')) return { location: '', message: text, executedFunction: '' };

  const executing = remainder.indexOf(': executing ');
  if (executing !== -1) {
    const templateName = remainder.slice(0, executing);
    const after = remainder.slice(executing + ': executing '.length);
    if (after.length === 0 || after[0] !== '"') return undefined;
    const endQuote = after.indexOf('"', 1);
    if (endQuote === -1) return undefined;
    const functionName = after.slice(1, endQuote);
    const afterFunction = after.slice(endQuote + 1);
    if (!afterFunction.startsWith(' at <')) return undefined;
    const afterAt = afterFunction.slice(' at <'.length);
    const endLocation = afterAt.indexOf('>: ');
    if (endLocation === -1) return undefined;
    return {
      location: templateName,
      message: cutAtChainedTemplate(afterAt.slice(endLocation + '>: '.length)),
      executedFunction: `executing "${functionName}" at <${afterAt.slice(0, endLocation)}>:`,
    };
  }

  const separator = remainder.lastIndexOf(': ');
  if (separator === -1) return undefined;
  return { location: remainder.slice(0, separator), message: cutAtChainedTemplate(remainder.slice(separator + 2)), executedFunction: '' };
}

/** engine.go's reformatExecErrorMsg: Helm's multi-line form of an execution error, or `execution error at (...)` for required and fail. */
function executionError(filename: string, error: GoError): HelmRenderError {
  const tokens = splitN(error.message, ': ', 3);
  if (tokens.length !== 3) return new HelmRenderError(`execution error in (${filename}): ${error.message}`, filename);
  const location = tokens[1]!;
  const start = tokens[2]!.indexOf(WARN_START);
  const end = tokens[2]!.lastIndexOf(WARN_END);
  if (start !== -1 && end >= start + WARN_START.length) return located(`execution error at (${location}): ${tokens[2]!.slice(start + WARN_START.length, end)}`, location);

  const locations: TraceableError[] = [];
  for (let current: GoError | undefined = error; current !== undefined; current = current.unwrap()) {
    const traceable = parseTraceable(current.message);
    if (!traceable) return located(error.message, location);
    const last = locations[locations.length - 1];
    if (!last || last.location !== traceable.location || last.message !== traceable.message || last.executedFunction !== traceable.executedFunction) locations.push(traceable);
  }
  return located(locations.map(traceableString).join('').trim(), locations[0]?.location ?? location);
}

