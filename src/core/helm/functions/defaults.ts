import type { GoFunction, GoValue } from '../values.js';
import { fail, goFunction } from './define.js';
import { goTypeName } from '../fmt.js';
import { deepEqual, isEmpty, kindOf } from './reflect.js';

/**
 * Sprig's defaults.go (the JSON ones are in json.ts), reflect.go, the flow control `fail`
 * and the network lookup, which a renderer that never touches the network refuses.
 */

export const DEFAULT_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['default', goFunction(['any'], (fallback: GoValue, ...given: GoValue[]) => (given.length === 0 || isEmpty(given[0]!) ? fallback : given[0]!), 'any')],
  ['empty', goFunction(['any'], isEmpty)],
  ['coalesce', goFunction([], (...values: GoValue[]) => values.find((value) => !isEmpty(value)) ?? null, 'any')],
  ['all', goFunction([], (...values: GoValue[]) => values.every((value) => !isEmpty(value)), 'any')],
  ['any', goFunction([], (...values: GoValue[]) => values.some((value) => !isEmpty(value)), 'any')],
  ['ternary', goFunction(['any', 'any', 'bool'], (whenTrue: GoValue, whenFalse: GoValue, condition: boolean) => (condition ? whenTrue : whenFalse))],
  ['typeOf', goFunction(['any'], goTypeName)],
  ['typeIs', goFunction(['string', 'any'], (target: string, value: GoValue) => target === goTypeName(value))],
  ['typeIsLike', goFunction(['string', 'any'], (target: string, value: GoValue) => target === goTypeName(value) || `*${target}` === goTypeName(value))],
  ['kindOf', goFunction(['any'], kindOf)],
  ['kindIs', goFunction(['string', 'any'], (target: string, value: GoValue) => target === kindOf(value))],
  ['deepEqual', goFunction(['any', 'any'], deepEqual)],
  ['fail', goFunction(['string'], (message: string) => fail(message))],
  ['getHostByName', goFunction(['string'], (name: string) => fail(`getHostByName ${name}: DNS lookups are not supported: meshready renders charts offline`))],
]);
