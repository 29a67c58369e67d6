import type { FunctionSignature, GoMethod, GoValue } from '../values.js';
import { GoStruct } from '../values.js';
import type { GoFunction } from '../values.js';
import { goTypeName } from '../fmt.js';
import { fail, goFunction, wrongType } from './define.js';
import { GoRegexp } from './regex.js';
import type { StructWithState } from './reflect.js';
import { NumError, parseUint } from './strconv.js';

/**
 * Masterminds/semver v3.4.0, as Sprig's `semver` and `semverCompare` use it: NewVersion's
 * loose parsing (coercing "1.2" to 1.2.0, a leading `v`), NewConstraint's grammar (`||`
 * alternatives of `,`- or space-separated comparisons, hyphen ranges, `x`/`*` wildcards,
 * `~`, `^`) and Check's prerelease rule (a prerelease version satisfies a constraint
 * group only when one of the group's comparisons names a prerelease). The regular
 * expressions are the library's own, run by Go's regexp semantics (regex.ts).
 */

const LOOSE_VERSION = GoRegexp.compile('^v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?$');

const NUM = '0123456789';
const ALLOWED = `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-${NUM}`;
const containsOnly = (text: string, allowed: string) => [...text].every((char) => allowed.includes(char));

class SemverError extends Error {}

function validatePrerelease(pre: string): void {
  for (const part of pre.split('.')) {
    if (part === '') throw new SemverError('invalid prerelease string');
    if (containsOnly(part, NUM)) {
      if (part.length > 1 && part[0] === '0') throw new SemverError('version segment starts with 0');
    } else if (!containsOnly(part, ALLOWED)) throw new SemverError('invalid prerelease string');
  }
}

function validateMetadata(metadata: string): void {
  for (const part of metadata.split('.')) {
    if (part === '' || !containsOnly(part, ALLOWED)) throw new SemverError('invalid metadata string');
  }
}

function segment(text: string): bigint {
  try {
    return parseUint('ParseUint', text, text, 10, 64);
  } catch (error) {
    if (error instanceof NumError) throw new SemverError(`error parsing version segment: ${error.message}`);
    throw error;
  }
}

export class Version extends GoStruct implements StructWithState {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
    pointer = true,
  ) {
    super(pointer ? '*semver.Version' : 'semver.Version', new Map(), versionMethods(() => this, pointer));
  }

  /** NewVersion with CoerceNewVersion (the library's default). */
  static parse(text: string): Version {
    const m = LOOSE_VERSION.findSubmatch(text);
    if (!m) throw new SemverError('invalid semantic version');
    const major = segment(m[1]!);
    const minor = m[2] ? segment(m[2].slice(1)) : 0n;
    const patch = m[3] ? segment(m[3].slice(1)) : 0n;
    if (m[5]) validatePrerelease(m[5]);
    if (m[8]) validateMetadata(m[8]);
    return new Version(major, minor, patch, m[5]!, m[8]!, text);
  }

  override toString(): string {
    return `${this.major}.${this.minor}.${this.patch}${this.pre ? `-${this.pre}` : ''}${this.metadata ? `+${this.metadata}` : ''}`;
  }

  compare(other: Version): number {
    for (const [a, b] of [
      [this.major, other.major],
      [this.minor, other.minor],
      [this.patch, other.patch],
    ] as const) {
      if (a !== b) return a < b ? -1 : 1;
    }
    if (this.pre === '' && other.pre === '') return 0;
    if (this.pre === '') return 1;
    if (other.pre === '') return -1;
    return comparePrerelease(this.pre, other.pre);
  }

  equalTo(other: GoStruct): boolean {
    return other instanceof Version && this.toString() === other.toString() && this.original === other.original;
  }

  /** Inc*, Set*: a Version value (not a pointer) with the original's `v` prefix kept. */
  next(changes: Partial<Pick<Version, 'major' | 'minor' | 'patch' | 'pre' | 'metadata'>>): Version {
    const draft = new Version(changes.major ?? this.major, changes.minor ?? this.minor, changes.patch ?? this.patch, changes.pre ?? this.pre, changes.metadata ?? this.metadata, '', false);
    const prefix = this.original.startsWith('v') ? 'v' : '';
    return new Version(draft.major, draft.minor, draft.patch, draft.pre, draft.metadata, prefix + draft.toString(), false);
  }
}

function comparePrerelease(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const d = comparePrePart(left[i] ?? '', right[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return 1;
  const sNumber = /^[0-9]+$/.test(s) && s.length <= 20 ? BigInt(s) : undefined;
  const oNumber = /^[0-9]+$/.test(o) && o.length <= 20 ? BigInt(o) : undefined;
  if (sNumber === undefined && oNumber === undefined) return s > o ? 1 : -1;
  if (oNumber === undefined) return -1;
  if (sNumber === undefined) return 1;
  return sNumber > oNumber ? 1 : -1;
}

function versionArgument(value: GoValue): Version {
  if (value instanceof Version) return value;
  return wrongType('*semver.Version', goTypeName(value));
}

/** A *Version has every method; a Version value (from Inc*, Set*) only those with value receivers. */
function versionMethods(self: () => Version, pointer: boolean): Map<string, { signature: FunctionSignature; call: GoMethod }> {
  const method = (params: FunctionSignature['params'], call: GoMethod) => ({ signature: { params }, call });
  const withError = (change: (v: Version, text: string) => Version) => (text: GoValue) => {
    try {
      return change(self(), text as string);
    } catch (error) {
      return fail((error as Error).message);
    }
  };
  const valueMethods: [string, { signature: FunctionSignature; call: GoMethod }][] = [
    ['Major', method([], () => self().major)],
    ['Minor', method([], () => self().minor)],
    ['Patch', method([], () => self().patch)],
    ['Prerelease', method([], () => self().pre)],
    ['Metadata', method([], () => self().metadata)],
    ['String', method([], () => self().toString())],
    ['IncPatch', method([], () => (self().pre !== '' ? self().next({ pre: '', metadata: '' }) : self().next({ pre: '', metadata: '', patch: self().patch + 1n })))],
    ['IncMinor', method([], () => self().next({ pre: '', metadata: '', patch: 0n, minor: self().minor + 1n }))],
    ['IncMajor', method([], () => self().next({ pre: '', metadata: '', patch: 0n, minor: 0n, major: self().major + 1n }))],
    [
      'SetPrerelease',
      method(
        ['string'],
        withError((v, pre) => {
          if (pre !== '') validatePrerelease(pre);
          return v.next({ pre });
        }),
      ),
    ],
    [
      'SetMetadata',
      method(
        ['string'],
        withError((v, metadata) => {
          if (metadata !== '') validateMetadata(metadata);
          return v.next({ metadata });
        }),
      ),
    ],
  ];
  if (!pointer) return new Map(valueMethods);
  return new Map([
    ...valueMethods,
    ['Original', method([], () => self().original)],
    ['Compare', method(['any'], (other) => BigInt(self().compare(versionArgument(other))))],
    ['LessThan', method(['any'], (other) => self().compare(versionArgument(other)) < 0)],
    ['LessThanEqual', method(['any'], (other) => self().compare(versionArgument(other)) <= 0)],
    ['GreaterThan', method(['any'], (other) => self().compare(versionArgument(other)) > 0)],
    ['GreaterThanEqual', method(['any'], (other) => self().compare(versionArgument(other)) >= 0)],
    ['Equal', method(['any'], (other) => self().compare(versionArgument(other)) === 0)],
  ]);
}

const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const CONSTRAINT_VERSION = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const CONSTRAINT = GoRegexp.compile(`^\\s*(${OPS})\\s*(${CONSTRAINT_VERSION})\\s*$`);
const RANGE = GoRegexp.compile(`\\s*(${CONSTRAINT_VERSION})\\s+-\\s+(${CONSTRAINT_VERSION})\\s*`);
const FIND_CONSTRAINT = GoRegexp.compile(`(${OPS})\\s*(${CONSTRAINT_VERSION})`);
const VALID_CONSTRAINT = GoRegexp.compile(`^(\\s*(${OPS})\\s*(${CONSTRAINT_VERSION})\\s*)((?:\\s+|,\\s*)(${OPS})\\s*(${CONSTRAINT_VERSION})\\s*)*$`);

type Operator = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

interface Constraint {
  version: Version;
  orig: string;
  op: Operator;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (text: string) => text === 'x' || text === '*' || text === 'X';

function parseConstraint(text: string): Constraint {
  if (text.length === 0) return { version: Version.parse('0.0.0'), orig: text, op: '', dirty: true, minorDirty: false, patchDirty: false };
  const m = CONSTRAINT.findSubmatch(text);
  if (!m) throw new SemverError(`improper constraint: ${text}`);
  const [op, orig, major, minor, patch, pre] = [m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!] as const;
  let parsed = orig;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === '') {
    parsed = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, '')) || minor === '') {
    [minorDirty, dirty] = [true, true];
    parsed = `${major}.0.0${pre}`;
  } else if (isX(patch.replace(/^\./, '')) || patch === '') {
    [dirty, patchDirty] = [true, true];
    parsed = `${major}${minor}.0${pre}`;
  }
  let version: Version;
  try {
    version = Version.parse(parsed);
  } catch {
    throw new SemverError('constraint parser error');
  }
  return { version, orig, op: op as Operator, dirty, minorDirty, patchDirty };
}

export class Constraints {
  private constructor(
    private readonly groups: Constraint[][],
    private readonly groupHasPrerelease: boolean[],
  ) {}

  /** NewConstraint. */
  static parse(text: string): Constraints {
    const rewritten = rewriteRange(text);
    const groups: Constraint[][] = [];
    const hasPre: boolean[] = [];
    for (const alternative of rewritten.split('||')) {
      if (!VALID_CONSTRAINT.test(alternative)) throw new SemverError(`improper constraint: ${alternative}`);
      let found = FIND_CONSTRAINT.findAllString(alternative, -1);
      if (found.length === 0) found = [alternative];
      const group = found.map(parseConstraint);
      hasPre.push(group.some((c) => c.version.pre !== ''));
      groups.push(group);
    }
    return new Constraints(groups, hasPre);
  }

  check(version: Version): boolean {
    return this.groups.some((group, i) => group.every((c) => satisfies(version, c, this.groupHasPrerelease[i]!)));
  }
}

function rewriteRange(text: string): string {
  let out = text;
  for (const match of RANGE.matches(text, -1)) {
    const whole = text.slice(match[0], match[1]);
    const from = text.slice(match[2], match[3]);
    const to = text.slice(match[22], match[23]);
    out = out.replace(whole, () => `>= ${from}, <= ${to} `);
  }
  return out;
}

function satisfies(v: Version, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const con = c.version;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : v.compare(con) === 0;
    case '!=':
      if (c.dirty) {
        if (con.major !== v.major) return true;
        if (con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return v.pre !== '' || con.pre !== '' ? comparePrerelease(v.pre, con.pre) !== 0 : false;
      }
      return v.compare(con) !== 0;
    case '>':
      if (!c.dirty) return v.compare(con) === 1;
      if (v.major > con.major) return true;
      if (v.major < con.major || c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return v.compare(con) === 1;
    case '<':
      return v.compare(con) < 0;
    case '>=':
    case '=>':
      return v.compare(con) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return v.compare(con) <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      return caret(v, c);
  }
}

function tilde(v: Version, c: Constraint): boolean {
  const con = c.version;
  if (v.compare(con) < 0) return false;
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== con.major) return false;
  return !(v.minor !== con.minor && !c.minorDirty);
}

function caret(v: Version, c: Constraint): boolean {
  const con = c.version;
  if (v.compare(con) < 0) return false;
  if (con.major > 0n || c.minorDirty) return v.major === con.major;
  if (v.major > 0n) return false;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0n) return false;
  return con.patch === v.patch;
}

function semverCompare(constraint: string, version: string): boolean {
  try {
    return Constraints.parse(constraint).check(Version.parse(version));
  } catch (error) {
    if (error instanceof SemverError) return fail(error.message);
    throw error;
  }
}

function semver(text: string): Version {
  try {
    return Version.parse(text);
  } catch (error) {
    if (error instanceof SemverError) return fail(error.message);
    throw error;
  }
}

export const SEMVER_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['semver', goFunction(['string'], semver)],
  ['semverCompare', goFunction(['string', 'string'], semverCompare)],
]);
