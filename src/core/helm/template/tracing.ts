/**
 * The origins of a function's result, from the origins of its arguments: functions see
 * plain values, so the executor works out afterwards which argument the result shows.
 */
import { formatValue } from '../fmt.js';
import { entryOriginOf, valueOrigin, type Origin, type TracedText, type ValueNode } from '../origins.js';
import { isGoMap, type GoValue } from '../values.js';
import { filled, sliceTraced, TracedBuilder, tracedAs } from './traced.js';

/** Beside a value: the values node it was read from, or the traced text it is. */
export type Trace = ValueNode | TracedText;

export function isTracedText(trace: Trace): trace is TracedText {
  return 'spans' in trace;
}

/** A trace as text with origins: a values node's value as `%v` prints it. */
export function tracedTextOf(trace: Trace, value: GoValue): TracedText {
  if (isTracedText(trace)) return trace;
  const text = formatValue(value);
  return tracedAs(text, valueOrigin(trace, text));
}

/** Sprig's indent (and nindent, `leadingNewline`): `pad` before every line of `source`. */
function indented(source: TracedText, pad: string, leadingNewline: boolean, fill: Origin): TracedText {
  const builder = new TracedBuilder();
  if (leadingNewline) builder.append('\n', fill);
  builder.append(pad, fill);
  let lineStart = 0;
  for (let newline = source.text.indexOf('\n'); newline !== -1; newline = source.text.indexOf('\n', lineStart)) {
    builder.appendTraced(sliceTraced(source, lineStart, newline + 1), fill);
    builder.append(pad, fill);
    lineStart = newline + 1;
  }
  builder.appendTraced(sliceTraced(source, lineStart), fill);
  return builder.build();
}

/**
 * The origins of `result`, the value `name` returned for `args` (whose traces are
 * `traces`): an argument returned as it is keeps its trace (default, required, coalesce,
 * ternary, first); indent and nindent move their argument's lines; otherwise the texts of
 * traced arguments are found in the result (quote, printf "%s", trim...), and what is
 * left gets `fill`, the calling action's origin. Undefined when the result shows no argument.
 */
export function functionResultTrace(name: string, args: readonly GoValue[], traces: readonly (Trace | undefined)[], result: GoValue, fill: Origin): Trace | undefined {
  if (result === null || typeof result === 'boolean') return undefined;
  for (let index = 0; index < args.length; index++) {
    if (traces[index] !== undefined && args[index] === result) return traces[index];
  }
  const element = elementOrigin(args, result);
  if (element !== undefined) return element;
  if (typeof result !== 'string' || result.length === 0) return undefined;
  if ((name === 'indent' || name === 'nindent') && traces[1] !== undefined && typeof args[0] === 'bigint') {
    const source = tracedTextOf(traces[1], args[1]!);
    const traced = indented(source, ' '.repeat(Number(args[0])), name === 'nindent', fill);
    if (traced.text === result) return traced;
  }
  return aligned(result, args, traces, fill);
}

/**
 * The values node of an element an argument holds, when the result is that element: a
 * list's (first, last, mustFirst...) or a map's under a key also given (get, pluck).
 */
function elementOrigin(args: readonly GoValue[], result: GoValue): ValueNode | undefined {
  for (const arg of args) {
    if (Array.isArray(arg)) {
      const at = arg.indexOf(result);
      if (at !== -1) return entryOriginOf(arg, at)?.value;
    } else if (isGoMap(arg)) {
      for (const key of args) {
        if (typeof key === 'string' && arg.has(key) && arg.get(key) === result) return entryOriginOf(arg, key)?.value;
      }
    }
  }
  return undefined;
}

/** The result with the texts of the traced arguments found in it, in order; or the one argument it is a piece of. */
function aligned(result: string, args: readonly GoValue[], traces: readonly (Trace | undefined)[], fill: Origin): TracedText | undefined {
  const builder = new TracedBuilder();
  let cursor = 0;
  for (let index = 0; index < args.length; index++) {
    const trace = traces[index];
    if (trace === undefined) continue;
    const source = tracedTextOf(trace, args[index]!);
    if (source.text.length === 0) continue;
    const at = result.indexOf(source.text, cursor);
    if (at !== -1) {
      builder.append(result.slice(cursor, at), fill);
      builder.appendTraced(source, fill);
      cursor = at + source.text.length;
    } else if (cursor === 0) {
      const within = source.text.indexOf(result);
      if (within !== -1) return filled(sliceTraced(source, within, within + result.length), fill);
    }
  }
  if (cursor === 0) return undefined;
  builder.append(result.slice(cursor), fill);
  return builder.build();
}
