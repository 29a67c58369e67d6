/**
 * Go's errors as text/template and Helm chain them: Helm reads the chain (errors.Unwrap)
 * to rewrite an execution error, so the chain is kept as Go builds it.
 */

/** A Go error value: its text and the error it wraps, if it wraps one (`%w`). */
export class GoError {
  constructor(
    readonly message: string,
    readonly wrapped?: GoError,
    /** text/template's ExecError: Error() is its inner error's text, Unwrap() that inner error. */
    readonly isExecError = false,
  ) {}

  /** errors.Unwrap. */
  unwrap(): GoError | undefined {
    return this.wrapped;
  }
}

/** text/template's ExecError around `fmt.Errorf(format, ...)`, which wraps `cause` when the format had `%w`. */
export function execError(message: string, cause?: GoError): GoError {
  return new GoError(message, new GoError(message, cause), true);
}

/** An error a template's execution ends with: the Go error, thrown through the executor. */
export class TemplateExecutionError extends Error {
  constructor(readonly error: GoError) {
    super(error.message);
  }
}

/** The error a function returns when it is a chain of Go errors (include's, tpl's): the call's error wraps it. */
export class GoFunctionFailure extends Error {
  constructor(readonly error: GoError) {
    super(error.message);
  }
}

/** What Helm reports when a chart does not render: its exact message, and where, when it says. */
export class HelmRenderError extends Error {
  constructor(
    message: string,
    /** Helm's name of the template the location points into (`mychart/templates/x.yaml`). */
    readonly template?: string,
    readonly line?: number,
    /** Go's column: bytes from the start of the line, from 0. */
    readonly column?: number,
  ) {
    super(message);
  }
}

/** A render stopped by one of its budgets (templates come from pull requests). */
export class RenderBudgetExceeded extends HelmRenderError {}

/** JavaScript's own stack overflow, which a deep enough recursion of templates reaches before any of Go's limits. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
