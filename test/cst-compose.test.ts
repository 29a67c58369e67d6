import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../src/bench/corpus.js';
import { composeFromCst, treeOfComposed } from '../src/core/cst-compose.js';
import { plainValueOf } from '../src/core/plain.js';
import { YAML_PARSE_OPTIONS, treeOfDocument } from '../src/core/yaml-tree.js';
import { ROOT, lint, locations } from './helpers.js';

/** What yaml itself makes of a text, in the shape composeFromCst gives. */
function composedByYaml(text: string) {
  return parseAllDocuments(text, YAML_PARSE_OPTIONS).map((doc) =>
    doc.errors.length > 0 ? { error: doc.errors[0]!.code } : { tree: treeOfDocument(doc), value: plainValueOf(doc, 10_000) },
  );
}

/** The fast path may decline any text, but what it accepts must be exactly yaml's reading. */
function expectSameAsYaml(text: string): boolean {
  const composed = composeFromCst(text);
  if (composed === undefined) return false;
  // The tree built from the positions noted while composing is compared too; a document
  // without them (keys JavaScript reorders) gets its tree from yaml itself.
  const byYaml = composedByYaml(text);
  expect(composed.map((document, index) => ({ tree: document.positions ? treeOfComposed(document.value, document.positions) : byYaml[index]?.tree, value: document.value }))).toEqual(byYaml);
  return true;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return /\.(ya?ml|json)$/.test(entry) ? [path] : [];
  });
}

const MANIFEST_FILES = [...yamlFilesUnder(join(ROOT, 'fixtures')), ...yamlFilesUnder(join(ROOT, 'deploy'))];

/** Pieces manifests and broken manifests are made of, with YAML's troublemakers among them. */
const FRAGMENTS = [
  'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '  labels:', '    app: web', '    version: "v1"',
  'spec:', '  ports:', '  - name: http', '    port: 80', '    targetPort: 8080', '  - port: 3306', '    protocol: TCP',
  '  selector: {app: web, tier: "db"}', '  args: ["--port", "8080", 3, true, ~, null]', '  empty:', '  - ', '  -',
  '---', '...', '# comment', 'key: value # trailing', 'key: value#not-a-comment', '"quoted key": \'single\'',
  'script: |', '  line one', '  line two', 'folded: >-', '    text', 'n: 0x1F', 'o: 0o17', 'f: 1.5e3', 'i: .inf',
  'b: Yes', 'b2: TRUE', 'big: 123456789012345678901234567890', 'dup: 1', 'dup: 2', 'a: &anchor 1', 'b: *anchor',
  '<<: {merged: 1}', '? explicit', ': value', '\tindented: tab', 'a:\tb', 'x: [1, 2', 'y: {a: 1,, b: 2}', 'z: [a, b,]',
  'w: {a, b: 1}', '- item', '  - nested', 'k: v: w', '"unterminated: x', 'e: "\\x41\\u00e9"', 'bad: "\\q"', 'at: @x',
  'tag: !!str 5', '%YAML 1.2', '__proto__: {polluted: true}', 'toString: 1', 'k:    ', '  # indented comment', '',
  'long: [', '  1,', '  2', ']', '"80": port', '1: one', 'm: {a: [1, {b: c}], d: e}', 'seq: [[1, 2], [3]]', 'p: - not a seq', "s: 'it''s'",
];

/** An edit: at a position (seed modulo the length), delete a few characters and insert one. */
const mangle = fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('', ' ', ':', '-', '#', ',', '"', "'", '[', ']', '{', '}', '\n', '\r\n', '\t', '*', '&', '!', '|', '>', '?', '\\'));

function applyEdits(text: string, edits: [number, number, string][]): string {
  return edits.reduce((current, [seed, deleted, insert]) => {
    const at = seed % (current.length + 1);
    return current.slice(0, at) + insert + current.slice(at + deleted);
  }, text);
}

describe('composing manifests from the CST', () => {
  it('reads every fixture and deploy manifest exactly as yaml does, and does not give most of them up', () => {
    const accepted = MANIFEST_FILES.filter((path) => expectSameAsYaml(readFileSync(path, 'utf8')));
    // The alias bomb and the broken files are yaml's to read; plain manifests are ours.
    expect(accepted.length).toBeGreaterThanOrEqual(MANIFEST_FILES.length - 5);
    expect(MANIFEST_FILES.filter((path) => !accepted.includes(path)).map((path) => path.slice(ROOT.length))).toEqual([
      'fixtures/parsing/alias-bomb.yaml',
      'fixtures/parsing/broken-middle.yaml',
      'fixtures/parsing/helm-template.yaml',
    ]);
  });

  it('composes the whole benchmark corpus itself', () => {
    for (const file of generateCorpus(600, 50)) expect(expectSameAsYaml(file.text)).toBe(true);
  });

  it('gives up on what it does not compose, in time for yaml to read it', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 5\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\na: 2\n', '<<: {a: 1}\n', 'a:\tb\n', '? a\n: b\n', 'a: "\\q"\n', '[a: 1]\n', '{a}\n']) {
      expect(composeFromCst(text), text).toBeUndefined();
    }
  });

  it('agrees with yaml on generated and mangled text (property)', () => {
    const lineOf = fc.constantFrom(...FRAGMENTS);
    const indent = fc.constantFrom('', '', '  ', '    ', '\t', ' ');
    const text = fc
      .tuple(fc.array(fc.tuple(indent, lineOf), { maxLength: 25 }), fc.array(mangle, { maxLength: 3 }))
      .map(([lines, edits]) => applyEdits(lines.map(([pad, line]) => pad + line).join('\n'), edits));
    let accepted = 0;
    fc.assert(
      fc.property(text, (generated) => {
        if (expectSameAsYaml(generated)) accepted++;
      }),
      { numRuns: 3000 },
    );
    // The property means little if nearly everything is given up.
    expect(accepted).toBeGreaterThan(300);
  });

  it('agrees with yaml on mangled fixture manifests (property)', () => {
    const manifests = MANIFEST_FILES.map((path) => readFileSync(path, 'utf8'));
    fc.assert(
      fc.property(fc.constantFrom(...manifests), fc.array(mangle, { minLength: 1, maxLength: 4 }), (manifest, edits) => {
        expectSameAsYaml(applyEdits(manifest, edits));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps __proto__ a key, as yaml does, on both paths', () => {
    const [fast] = composeFromCst('__proto__: {polluted: true}\n')!;
    expect(Object.getPrototypeOf(fast!.value)).toBe(Object.prototype);
    expect(Object.keys(fast!.value as object)).toEqual(['__proto__']);
    const [viaYaml] = composedByYaml('a: &x 1\n__proto__: {polluted: *x}\n');
    expect(Object.getPrototypeOf((viaYaml as { value: object }).value)).toBe(Object.prototype);
  });
});
