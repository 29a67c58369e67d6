import type { GoValue } from '../values.js';
import type { GoStruct } from '../values.js';
import { isGoMap } from '../values.js';
import { formatFloat64 } from './strconv.js';

/**
 * Go's fmt %v of a value and strconv.Quote, as Sprig's string functions use them (`cat`,
 * `toString`, `quote`, `join`, `dict` keys): maps print with sorted keys, nil inside a
 * collection as `<nil>`, a value with a String method through it.
 */
export function formatValue(value: GoValue): string {
  if (value === null) return '<nil>';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      return formatFloat64(value);
    case 'string':
      return value;
  }
  if (value instanceof Uint8Array) return `[${[...value].join(' ')}]`;
  if (Array.isArray(value)) return `[${value.map((item) => formatValue(item)).join(' ')}]`;
  if (isGoMap(value)) {
    const keys = [...value.keys()].sort(compareStrings);
    return `map[${keys.map((key) => `${key}:${formatValue(value.get(key)!)}`).join(' ')}]`;
  }
  return formatStruct(value);
}

/** A struct prints its fields in braces (a pointer's `&{...}`; Go prints an address for a pointer inside a collection, which no template can rely on). */
function formatStruct(value: GoStruct): string {
  const stringer = value.methods.get('String');
  if (stringer && stringer.signature.params.length === 0) return String(stringer.call());
  const fields = [...value.fields.values()].map((field) => formatValue(field)).join(' ');
  return value.typeName.startsWith('*') ? `&{${fields}}` : `{${fields}}`;
}

/** Byte-wise string order, as Go's `<` on strings (sort.Strings): UTF-16 order differs above U+FFFF. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote (fmt's %q of a string): printable runes as they are, the rest escaped. */
export function quoteString(text: string): string {
  let out = '"';
  for (const rune of text) {
    const code = rune.codePointAt(0)!;
    switch (rune) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (printable.test(rune)) out += rune;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Sprig's strval: strings and bytes as they are, a Stringer through String, the rest as %v. */
export function stringValue(value: GoValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return formatValue(value);
}
