import type { GoFunction, GoType, GoValue } from '../values.js';
import { RenderBudgetExceeded } from '../template/errors.js';
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

/**
 * A parameter of a Go type the model's GoType cannot name (time.Time, time.Duration,
 * *semver.Version, sprig.certificate): text/template would refuse the argument before the
 * call, so the engine should report it as Go does, at the argument, without `error calling`.
 */
export class ArgumentTypeError extends GoFunctionError {}

export function wrongType(expected: string, got: string): never {
  throw new ArgumentTypeError(`wrong type for value; expected ${expected}; got ${got}`);
}

/**
 * The most items (list elements, or bytes of a string) one call may build. Go would try,
 * and exhaust the process's memory; templates come from pull requests, so the render stops.
 */
export const MAX_BUILT = 1 << 24;

export function guardSize(what: string, size: bigint | number): void {
  if (size > MAX_BUILT) throw new RenderBudgetExceeded(`render budget exceeded: ${what} would build ${size} items (at most ${MAX_BUILT})`);
}
