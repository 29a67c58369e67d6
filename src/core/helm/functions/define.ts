import type { GoFunction, GoType, GoValue } from '../values.js';
import { GoFunctionError } from '../values.js';

/**
 * A Sprig function with its Go signature: text/template converts and checks the arguments
 * against `params` (and `variadic`) before `call` sees them, so `call` may read them as
 * the types declared.
 */
// `call` reads each argument as the type its params declare, which the engine has checked.
export function goFunction(params: readonly GoType[], call: (...args: any[]) => GoValue, variadic?: GoType): GoFunction {
  return variadic === undefined ? { params, call } : { params, variadic, call };
}

/** Go's error return, or a panic text/template recovers: the engine prints `error calling NAME: MESSAGE`. */
export function fail(message: string): never {
  throw new GoFunctionError(message);
}
