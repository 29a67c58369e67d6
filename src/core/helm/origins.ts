/**
 * Where rendered text came from, so that a finding on a rendered manifest is placed on the
 * line a person edits. Offsets are UTF-16 offsets into the source file's text (the
 * template, or the values file), as everywhere else in meshready.
 */

/** Text a template wrote literally: the rendered text equals `file`'s text from `start`, character for character. */
export interface TemplateTextOrigin {
  type: 'text';
  file: string;
  start: number;
}

/**
 * A scalar (or a key) of a values file: the node's range in that file. `verbatim` when the
 * rendered text is the node's source text itself (`1337`, `nginx`), so that an edit inside
 * it maps one to one; otherwise (a quoted string, a number Go reformats) only the node as
 * a whole can be replaced.
 */
export interface ValueOrigin {
  type: 'value';
  file: string;
  start: number;
  end: number;
  verbatim: boolean;
}

/** Text an action computed (`{{ ... }}` at this range of the template) with no values node behind it. */
export interface ActionOrigin {
  type: 'action';
  file: string;
  start: number;
  end: number;
}

export type Origin = TemplateTextOrigin | ValueOrigin | ActionOrigin;

/** A stretch of rendered text, `[start, end)` in the render's output, and where it came from. */
export interface OriginSpan {
  start: number;
  end: number;
  origin: Origin;
}

/**
 * Rendered text with its origins: `spans` are sorted and do not overlap. A template's
 * output covers every character; a function's result (toYaml's) may leave gaps, which the
 * engine fills with the origin of the action that called it.
 */
export interface TracedText {
  text: string;
  spans: OriginSpan[];
}

/** A node of a values file: its range and its text there, from which a producer of rendered text tells whether its output is verbatim. */
export interface ValueNode {
  file: string;
  start: number;
  end: number;
  source: string;
}

/**
 * The values-file nodes behind the maps and lists of a values tree: for a container and
 * one of its keys (or indexes), the node of that entry's value (and of its key). Kept
 * beside the values, not in them, so that every function sees plain Go values.
 */
export interface EntryOrigins {
  value: ValueNode;
  key?: ValueNode;
}

/** The origin of rendered text that shows a values node: verbatim when the text is the node's source text. */
export function valueOrigin(node: ValueNode, renderedText: string): ValueOrigin {
  return { type: 'value', file: node.file, start: node.start, end: node.end, verbatim: renderedText === node.source };
}

const entryOrigins = new WeakMap<object, Map<string | number, EntryOrigins>>();

export function setEntryOrigin(container: object, key: string | number, origins: EntryOrigins): void {
  let entries = entryOrigins.get(container);
  if (!entries) entryOrigins.set(container, (entries = new Map()));
  entries.set(key, origins);
}

export function entryOriginOf(container: object, key: string | number): EntryOrigins | undefined {
  return entryOrigins.get(container)?.get(key);
}

/** Carries the origins of `from`'s entries over to `to` (a copy made while coalescing or deep-copying). */
export function copyEntryOrigins(from: object, to: object): void {
  const entries = entryOrigins.get(from);
  if (entries) for (const [key, origins] of entries) setEntryOrigin(to, key, origins);
}
