import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPRIG_FUNCTIONS } from '../src/core/helm/functions/index.js';
import type { GoValue } from '../src/core/helm/values.js';

/** Properties of Sprig functions over many inputs, beside the examples compared with helm. */

const call = (name: string, ...args: GoValue[]): GoValue => SPRIG_FUNCTIONS.get(name)!.call(...args);
const text = fc.string({ unit: 'grapheme', maxLength: 40 });

describe('Sprig function properties', () => {
  it('b64dec and b32dec undo b64enc and b32enc, for any text', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(call('b64dec', call('b64enc', s))).toBe(s);
        expect(call('b32dec', call('b32enc', s))).toBe(s);
      }),
    );
  });

  it('a quoted pattern matches its text literally; a literal replacement is not expanded', () => {
    fc.assert(
      fc.property(text, text, (s, other) => {
        const pattern = call('regexQuoteMeta', s) as string;
        expect(call('regexFind', pattern, `${other}${s}`)).toBe(s);
        expect(call('regexMatch', `^${pattern}$`, s)).toBe(true);
        expect(call('regexReplaceAllLiteral', `^${pattern}$`, s, '$1')).toBe('$1');
      }),
    );
  });

  it('trunc keeps at most n bytes of ASCII text, from the end for negative n', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.integer({ min: -40, max: 40 }), (s, n) => {
        const result = call('trunc', BigInt(n), s) as string;
        const expected = n >= 0 ? s.slice(0, n) : s.length + n > 0 ? s.slice(s.length + n) : s;
        expect(result).toBe(expected);
      }),
    );
  });

  it('untilStep yields start, start+step, ... short of stop', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -7, max: 7 }), (start, stop, step) => {
        const expected: bigint[] = [];
        if (step > 0) for (let i = start; i < stop; i += step) expected.push(BigInt(i));
        if (step < 0) for (let i = start; i > stop; i += step) expected.push(BigInt(i));
        expect(call('untilStep', BigInt(start), BigInt(stop), BigInt(step))).toEqual(expected);
      }),
    );
  });

  it('semver ordering: a version satisfies = itself, >= lower and < higher releases', () => {
    const part = fc.integer({ min: 0, max: 30 });
    fc.assert(
      fc.property(part, part, part, (major, minor, patch) => {
        const version = `${major}.${minor}.${patch}`;
        expect(call('semverCompare', `=${version}`, `v${version}`)).toBe(true);
        expect(call('semverCompare', `>=${version}`, `${major}.${minor}.${patch + 1}`)).toBe(true);
        expect(call('semverCompare', `<${major + 1}`, version)).toBe(true);
        expect(call('semverCompare', `^${version}`, `${major}.${minor + 1}.0`)).toBe(major > 0);
        expect(call('semverCompare', `~${version}`, `${major}.${minor}.${patch + 3}`)).toBe(true);
      }),
    );
  });

  it('encryptAES then decryptAES gives the text back, for any key and text', () => {
    fc.assert(
      fc.property(text, text, (key, plain) => {
        expect(call('decryptAES', key, call('encryptAES', key, plain))).toBe(plain);
      }),
      { numRuns: 50 },
    );
  });
});
