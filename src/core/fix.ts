import { stringify } from 'yaml';
import { contentEnd, locateNode } from './manifest.js';
import type { Resource } from './manifest.js';
import { lineBreakOf } from './source.js';
import type { Fix, NodePath, TextEdit } from './types.js';

/**
 * Text edits that touch only what must change, so a suggestion or a commit keeps the
 * author's comments, quoting, indentation and line endings byte for byte.
 */

/**
 * A string `yaml` writes as it is, in any context a fix puts one: a letter, then letters,
 * digits and `_./-` (no indicator, no `: ` or ` #`, nothing a line would fold at), and not
 * one of the words the core schema reads as null or a boolean (every other core tag starts
 * with a digit, a sign or a dot). Most keys, names and labels a fix writes are.
 */
const PLAIN_AS_IT_IS = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const CORE_SCHEMA_WORDS: ReadonlySet<string> = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/**
 * Strings stringify wrote, by value: a repository's fixes write the same few again and
 * again (image tags as versions, protocols). Kept to a bound, for a process that lints on.
 */
const writtenStrings = new Map<string, string>();
const WRITTEN_STRINGS_KEPT = 1024;

/** A scalar as `yaml` writes it. Stringify builds a document for each value: the common values are written here, as it writes them. */
export function renderScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') {
    const asItIs = typeof value === 'boolean' || (Number.isSafeInteger(value) && !Object.is(value, -0));
    return asItIs ? String(value) : stringify(value, { lineWidth: 0 }).trimEnd();
  }
  if (PLAIN_AS_IT_IS.test(value) && !CORE_SCHEMA_WORDS.has(value)) return value;
  let written = writtenStrings.get(value);
  if (written === undefined) {
    if (writtenStrings.size === WRITTEN_STRINGS_KEPT) writtenStrings.clear();
    writtenStrings.set(value, (written = stringify(value, { lineWidth: 0 }).trimEnd()));
  }
  return written;
}

/** A `.json` manifest must stay JSON: its new text is written as JSON, everything else as YAML. */
function isJsonFile(resource: Resource): boolean {
  return resource.source.file.path.toLowerCase().endsWith('.json');
}

function renderIn(resource: Resource, value: string | number | boolean): string {
  return isJsonFile(resource) ? JSON.stringify(value) : renderScalar(value);
}

/** Replaces the scalar at `path` (which must exist) with `value`. */
export function replaceValue(resource: Resource, path: NodePath, value: string | number): TextEdit | undefined {
  const located = locateNode(resource, path);
  if (!located.exact || located.node.type !== 'scalar') return undefined;
  return { file: resource.source.file.path, startOffset: located.node.start, endOffset: located.node.end, newText: renderIn(resource, value) };
}

export type EntryValue = string | number | boolean | Record<string, string>;

/**
 * Adds `key: value` to the map at `mapPath`: a new line under the last entry of a block
 * map at the same indentation, or `, key: value` before the `}` of a flow map.
 */
export function insertMapEntry(resource: Resource, mapPath: NodePath, key: string, value: EntryValue): TextEdit | undefined {
  const located = locateNode(resource, mapPath);
  const map = located.node;
  if (!located.exact || map.type !== 'map' || map.pairs.length === 0) return undefined;
  const text = resource.source.file.text;
  const file = resource.source.file.path;
  const { start: mapStart, end: mapEnd } = map;

  if (map.flow) {
    const close = text.lastIndexOf('}', mapEnd - 1);
    if (close < mapStart) return undefined;
    let insertAt = close;
    // After the last entry, before any line break or blank leading to the brace.
    while (insertAt > mapStart && /\s/.test(text[insertAt - 1]!)) insertAt--;
    const rendered =
      typeof value === 'object'
        ? `{${Object.entries(value)
            .map(([childKey, childValue]) => `${renderIn(resource, childKey)}: ${renderIn(resource, childValue)}`)
            .join(', ')}}`
        : renderIn(resource, value);
    // A YAML flow map may end in a comma of its own.
    const separator = text[insertAt - 1] === ',' ? ' ' : ', ';
    return { file, startOffset: insertAt, endOffset: insertAt, newText: `${separator}${renderIn(resource, key)}: ${rendered}` };
  }

  const lines = resource.source.lines;
  const indentWidth = lines.position(mapStart).column - 1;
  const indent = ' '.repeat(indentWidth);
  const eol = lineBreakOf(text);
  const entryLines = [`${indent}${renderScalar(key)}:${typeof value === 'object' ? '' : ` ${renderScalar(value)}`}`];
  if (typeof value === 'object') {
    for (const [childKey, childValue] of Object.entries(value)) {
      entryLines.push(`${indent}  ${renderScalar(childKey)}: ${renderScalar(childValue)}`);
    }
  }
  const entry = entryLines.join(eol);
  // After the map's last line of content: a block collection's range runs on over the
  // line break and any blank lines that follow it.
  const lastLine = lines.lineOf(contentEnd(text, mapStart, mapEnd) - 1);
  const insertAt = lines.lineContentEnd(lastLine);
  return { file, startOffset: insertAt, endOffset: insertAt, newText: `${eol}${entry}` };
}

/** A fix made of the edits that could be built; none if any is missing. */
export function fixOf(description: string, edits: (TextEdit | undefined)[], safe = true): Fix | undefined {
  if (edits.length === 0 || edits.some((edit) => edit === undefined)) return undefined;
  return { description, edits: edits as TextEdit[], safe };
}

function isInsertion(edit: TextEdit): boolean {
  return edit.startOffset === edit.endOffset;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  // Insertions at one point (two labels added under the same last label) go in the order
  // of their findings; an insertion where another edit replaces text would be lost in it.
  if (a.startOffset === b.startOffset) return !(isInsertion(a) && isInsertion(b));
  return a.startOffset < b.endOffset && b.startOffset < a.endOffset;
}

export interface FixPlan<T extends { fix: Fix }> {
  accepted: T[];
  /** Fixes left out because an earlier one edits the same text. */
  dropped: T[];
}

/** Keeps every fix that does not collide with one before it; a fix is taken whole or not at all. */
export function planFixes<T extends { fix: Fix }>(items: T[]): FixPlan<T> {
  const accepted: T[] = [];
  const dropped: T[] = [];
  const taken: TextEdit[] = [];
  for (const item of items) {
    if (item.fix.edits.some((edit) => taken.some((other) => overlaps(edit, other)))) {
      dropped.push(item);
      continue;
    }
    accepted.push(item);
    taken.push(...item.fix.edits);
  }
  return { accepted, dropped };
}

/** Applies non-overlapping edits of one file (see `planFixes`). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.startOffset - b.startOffset || a.endOffset - b.endOffset);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.startOffset < cursor) throw new Error(`overlapping edits at offset ${edit.startOffset}`);
    out += text.slice(cursor, edit.startOffset) + edit.newText;
    cursor = edit.endOffset;
  }
  return out + text.slice(cursor);
}

export interface FixedFiles<T extends { fix?: Fix; file: string }> {
  /** The new text of every file a fix changes. */
  files: Map<string, string>;
  applied: T[];
  /** Safe fixes left out because an earlier fix edits the same text. */
  dropped: T[];
}

/** Applies every safe fix of the findings to their files, a colliding later fix left out. */
export function applySafeFixes<T extends { fix?: Fix; file: string }>(findings: T[], texts: Map<string, string>): FixedFiles<T> {
  const safe = findings.filter((finding): finding is T & { fix: Fix } => finding.fix?.safe === true && finding.fix.edits.every((edit) => texts.has(edit.file)));
  const { accepted, dropped } = planFixes(safe);
  const editsByFile = new Map<string, TextEdit[]>();
  for (const edit of accepted.flatMap((finding) => finding.fix.edits)) editsByFile.set(edit.file, [...(editsByFile.get(edit.file) ?? []), edit]);
  const files = new Map<string, string>();
  for (const [file, edits] of editsByFile) files.set(file, applyEdits(texts.get(file)!, edits));
  return { files, applied: accepted, dropped };
}
