/**
 * Go's values as Helm's templates see them, in JavaScript. Every part of the Helm port
 * (template engine, Sprig and Helm functions, YAML/JSON, charts) speaks this model:
 *
 * | Go                                   | here                       |
 * |--------------------------------------|----------------------------|
 * | nil                                  | `null`                     |
 * | bool                                 | `boolean`                  |
 * | string (bytes: len/slicing count UTF-8 bytes) | `string`          |
 * | int, int64, and every integer kind   | `bigint`                   |
 * | float64 (every values-file number)   | `number`                   |
 * | map[string]interface{}               | `GoMap` (a `Map`)          |
 * | []interface{}, []string, ...         | `GoValue[]`                |
 * | []byte                               | `Uint8Array`               |
 * | a struct, or a value with methods    | `GoStruct`                 |
 *
 * Integer kinds are one: Go's `typeOf`/`kindOf` of Sprig's int64 results say `int` here.
 * A template literal `3` is an int (bigint), `3.0` a float64; values files hold float64 only
 * (Helm reads them through JSON), so `eq 3 .Values.three` is an error, as in Go.
 */
export type GoValue = null | boolean | string | bigint | number | GoMap | GoValue[] | Uint8Array | GoStruct;

export type GoMap = Map<string, GoValue>;

/** A Go method: receives its arguments already converted to its parameter types. */
export type GoMethod = (...args: GoValue[]) => GoValue;

/**
 * A Go struct (`.Chart`, `.Capabilities`, `.Files`, `.Release` fields' holders): fields by
 * their Go names, methods by name with their signatures, and the JSON names `toYaml`/`toJson`
 * write (Go's `json:"..."` tags; a field without one is written under its Go name, an
 * `omitempty` field only when not empty).
 */
export class GoStruct {
  constructor(
    /** Go's type name as `printf "%T"` shows it, e.g. `*chart.Metadata`. */
    readonly typeName: string,
    readonly fields: ReadonlyMap<string, GoValue>,
    readonly methods: ReadonlyMap<string, { signature: FunctionSignature; call: GoMethod }> = new Map(),
    readonly json: ReadonlyMap<string, { name: string; omitEmpty: boolean }> = new Map(),
    /**
     * For a named map or slice type with methods (`.Files` is helm's `engine.files`, a
     * map[string][]byte; `.Capabilities.APIVersions` a `common.VersionSet`, a []string): the
     * map or list itself, which `range`, `index`, `len` and JSON see as Go sees the value.
     */
    readonly underlying?: GoMap | GoValue[],
  ) {}
}

/**
 * A parameter's Go type, as text/template's reflection-based call checks it: `any` is
 * `interface{}` (takes everything); the others take only their own kind (an untyped
 * template constant is converted to the parameter's type first, as Go does).
 */
export type GoType = 'any' | 'string' | 'int' | 'float64' | 'bool' | 'map' | 'slice' | 'strings' | 'bytes';

export interface FunctionSignature {
  params: readonly GoType[];
  /** The type of the trailing `...` parameter, for a variadic function. */
  variadic?: GoType;
}

/** A function a template can call: Sprig's, Helm's or text/template's builtins. */
export interface GoFunction extends FunctionSignature {
  /**
   * Receives its arguments converted and checked against `params`/`variadic`; throws
   * `GoFunctionError` for Go's `(value, error)` returns that fail.
   */
  call: (...args: GoValue[]) => GoValue;
}

/** The error a function returns in Go: the engine reports it as `error calling NAME: MESSAGE`. */
export class GoFunctionError extends Error {}

export function isGoMap(value: unknown): value is GoMap {
  return value instanceof Map;
}

export function goMap(entries: Iterable<readonly [string, GoValue]> = []): GoMap {
  return new Map(entries);
}
