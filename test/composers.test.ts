import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../src/bench/corpus.js';
import { composeFromCst, treeOfComposed } from '../src/core/cst-compose.js';
import type { ComposedDocument } from '../src/core/cst-compose.js';
import { composeFromText } from '../src/core/text-compose.js';
import { plainValueOf } from '../src/core/plain.js';
import { YAML_PARSE_OPTIONS, treeOfDocument } from '../src/core/yaml-tree.js';
import { ROOT } from './helpers.js';

/** What yaml itself makes of a text, in the shape composeFromCst gives. */
function composedByYaml(text: string) {
  return parseAllDocuments(text, YAML_PARSE_OPTIONS).map((doc) =>
    doc.errors.length > 0 ? { error: doc.errors[0]!.code } : { tree: treeOfDocument(doc), value: plainValueOf(doc, 10_000) },
  );
}

type Composer = (text: string) => ComposedDocument[] | undefined;

/** A fast path may decline any text, but what it accepts must be exactly yaml's reading. */
function expectSameAsYaml(compose: Composer, text: string): boolean {
  const composed = compose(text);
  if (composed === undefined) return false;
  // The tree built from the positions noted while composing is compared too; a document
  // without them (keys JavaScript reorders) gets its tree from yaml itself.
  const byYaml = composedByYaml(text);
  expect(composed.map((document, index) => ({ tree: document.positions ? treeOfComposed(document.value, document.positions) : byYaml[index]?.tree, value: document.value })), text).toEqual(byYaml);
  return true;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return /\.(ya?ml|json)$/.test(entry) ? [path] : [];
  });
}

// Helm charts' templates are not manifests until rendered (their tests are the Helm ones).
const MANIFEST_FILES = [...yamlFilesUnder(join(ROOT, 'fixtures')).filter((path) => !path.startsWith(join(ROOT, 'fixtures/charts/')) && !path.startsWith(join(ROOT, 'fixtures/lint-charts/'))), ...yamlFilesUnder(join(ROOT, 'deploy'))];

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
  '    continued plain line', '  "multi-line', '    double"', "  'multi-line", "    single'", 'b: |2-', '  e: "\\ \\x41\\N"',
  '    # deeper comment', '      # deepest comment', '- |', '- |-', '  annotations:', '    {}', '- name: x', '  image: y', 'k: "a\\"b"',
];

/** An edit: at a position (seed modulo the length), delete a few characters and insert one. */
const mangle = fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('', ' ', ':', '-', '#', ',', '"', "'", '[', ']', '{', '}', '\n', '\r\n', '\t', '*', '&', '!', '|', '>', '?', '\\'));

/**
 * A line edit, where yaml's placement of comments and blank lines and its indentation rules
 * are decided: at a line (seed modulo the count), insert a comment line, a blank or spaces-only
 * line, `---`, or a copy of another line, each at a depth; or delete the line.
 */
const lineEdit = fc.tuple(fc.nat(), fc.nat(), fc.nat(8), fc.constantFrom('comment', 'blank', 'spaces', 'marker', 'copy', 'delete'));

function applyLineEdits(text: string, edits: [number, number, number, string][]): string {
  const lines = text.split('\n');
  for (const [seed, other, depth, kind] of edits) {
    const at = seed % (lines.length + 1);
    const pad = ' '.repeat(depth);
    if (kind === 'comment') lines.splice(at, 0, `${pad}# note`);
    else if (kind === 'blank') lines.splice(at, 0, '');
    else if (kind === 'spaces') lines.splice(at, 0, pad);
    else if (kind === 'marker') lines.splice(at, 0, '---');
    else if (kind === 'copy') lines.splice(at, 0, pad + (lines[other % lines.length] ?? '').trimStart());
    else lines.splice(at, 1);
  }
  return lines.join('\n');
}

function applyEdits(text: string, edits: [number, number, string][]): string {
  return edits.reduce((current, [seed, deleted, insert]) => {
    const at = seed % (current.length + 1);
    return current.slice(0, at) + insert + current.slice(at + deleted);
  }, text);
}

/** Ways to break a fixture: characters edited, or whole lines changed. */
const FIXTURE_EDITS = [
  { name: 'characters edited', edit: fc.array(mangle, { minLength: 1, maxLength: 4 }).map((edits) => (text: string) => applyEdits(text, edits)) },
  { name: 'lines added, copied and removed', edit: fc.array(lineEdit, { minLength: 1, maxLength: 4 }).map((edits) => (text: string) => applyLineEdits(text, edits)) },
];

/** The texts each composer hands on; both decline these. */
const DECLINED_BY_BOTH = ['a: &x 1\nb: *x\n', 'a: !!str 5\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\na: 2\n', '<<: {a: 1}\n', 'a:\tb\n', '? a\n: b\n', 'a: "\\q"\n', '[a: 1]\n', '{a}\n'];

describe.each([
  {
    name: 'from the CST',
    compose: composeFromCst,
    declines: DECLINED_BY_BOTH,
    declinedFixtures: [
      'fixtures/parsing/alias-bomb.yaml',
      'fixtures/parsing/broken-middle.yaml',
      'fixtures/parsing/helm-template.yaml',
      // JSON with // comments, which YAML does not read.
      'fixtures/real-cases/aks-store-demo-launch-json/src/product-service/.vscode/launch.json',
    ],
    minAcceptedGenerated: 300,
  },
  {
    name: 'from the text',
    compose: composeFromText,
    declines: [
      ...DECLINED_BY_BOTH,
      'a: >\n  folded\n', 'a: |+\n  kept\n', 'a: plain # comment\n  continued\n', 'a: "escaped \\\n  line break"\n', 'a: "line\nnot deeper"\n', 'a: [1,\n2]\n',
      '[a # comment\n]\n', '[a\n  b]\n', 'image: repo/{{ .Values.tag }}\n', '{{ .Values.key }}: 1\n', 'a:\n  # a comment where an empty node is\n', 'a: |\n  x\n   \n  y\n', 'a: 1\r\nb: 2\r\n', '- - nested\n', '... \n',
    ],
    declinedFixtures: [
      // A top-level string, line breaks not yet made LF: the CST composer's.
      'fixtures/parsing/alias-bomb.yaml', 'fixtures/parsing/broken-middle.yaml', 'fixtures/parsing/crlf.yaml', 'fixtures/parsing/empty-documents.yaml',
      'fixtures/parsing/helm-template.yaml',
      // JSON with comments, a NUL, a workflow's ${{ }}, a document indented as a whole.
      'fixtures/real-cases/aks-store-demo-launch-json/src/product-service/.vscode/launch.json',
      'fixtures/real-cases/bank-of-anthos-nul-in-comment/extras/cloudsql/kubernetes-manifests/frontend.yaml',
      'fixtures/real-cases/bank-of-anthos-workflows/bank-of-anthos/.github/workflows/make-release.yaml',
      'fixtures/real-cases/cloud-on-k8s-psp/config/recipes/psp/elastic-psp.yaml',
    ],
    // Fewer random texts fall in the plain block style than in what the CST composer reads.
    minAcceptedGenerated: 100,
  },
])('composing manifests $name', ({ compose, declines, declinedFixtures, minAcceptedGenerated }) => {
  it('reads every fixture and deploy manifest exactly as yaml does, and declines only the unusual ones', () => {
    const accepted = MANIFEST_FILES.filter((path) => expectSameAsYaml(compose, readFileSync(path, 'utf8')));
    expect(MANIFEST_FILES.filter((path) => !accepted.includes(path)).map((path) => path.slice(ROOT.length))).toEqual(declinedFixtures);
  });

  it('composes the whole benchmark corpus itself, large files and small', () => {
    for (const file of [...generateCorpus(600, 50), ...generateCorpus(60, [1, 2, 3])]) expect(expectSameAsYaml(compose, file.text)).toBe(true);
  });

  it('declines what it does not compose, in time for yaml to read it', () => {
    for (const text of declines) expect(compose(text), text).toBeUndefined();
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
        if (expectSameAsYaml(compose, generated)) accepted++;
      }),
      { numRuns: 3000 },
    );
    // The property means little if nearly everything is declined.
    expect(accepted).toBeGreaterThan(minAcceptedGenerated);
  });

  it.each(FIXTURE_EDITS)('agrees with yaml on fixture manifests with $name (property)', ({ edit }) => {
    const manifests = MANIFEST_FILES.map((path) => readFileSync(path, 'utf8'));
    fc.assert(
      fc.property(fc.constantFrom(...manifests), edit, (manifest, apply) => {
        expectSameAsYaml(compose, apply(manifest));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps __proto__ a key, as yaml does', () => {
    const [fast] = compose('__proto__: {polluted: true}\nx:\n  __proto__: 1\n')!;
    expect(Object.getPrototypeOf(fast!.value)).toBe(Object.prototype);
    expect(Object.keys(fast!.value as object)).toEqual(['__proto__', 'x']);
    const [viaYaml] = composedByYaml('a: &x 1\n__proto__: {polluted: *x}\n');
    expect(Object.getPrototypeOf((viaYaml as { value: object }).value)).toBe(Object.prototype);
  });
});

describe('composing manifests from the text', () => {
  // Where yaml ends a collection depends on where it puts the comments and blank lines after
  // its last node: each of these is accepted and must end where yaml ends it.
  it.each([
    ['a comment in the collection\'s column stays with it', 'x: 0\na:\n  b: 1\n  # tail\n'],
    ['a shallower comment goes to the parent', 'x: 0\na:\n  b: 1\n# tail\n'],
    ['deeper comments become part of the scalar before them, blank lines between included', 'x: 0\na:\n  b: 1\n      # deeper\n\n      # again\nc: 2\n'],
    ['a deeper comment after a shallower one is not taken in', 'x: 0\na:\n  b: 1\n# shallow\n      # deeper\n\nc: 2\n'],
    ['a comment kept two levels up', 'x:\n  y:\n    b: 1\n    # t\n  # u\n'],
    ['the next line\'s indentation ends a collection that keeps its comment', 's:\n  a:\n    b:\n      c: 1\n      # t\n  d: 2\n'],
    ['a sequence in its map\'s column', 'list:\n- a\n# c\n- b\nk: v\n'],
    ['a sequence keeping its comment', 'k:\n  - a\n  # c\nz: 1\n'],
    ['a collection in column 0 never keeps its comments', 'k: 1\nlist:\n- a\n# c\n'],
    ['a comment after a block scalar', 'a:\n  s: |\n    text\n  # c\nz: 1\n'],
    ['a block scalar at the end of the text without a line break', 'a: |\n  text'],
    ['blank lines around a stripped block scalar', 'a: |-\n\n  text\n\n\nb: 1\n'],
    ['empty documents', '---\n---\na: 1\n---\n'],
    ['Helm\'s empty map below its key', 'metadata:\n  annotations:\n    {}\n  labels:\n    []\n'],
    ['escapes JSON shares with YAML', 'k: "a\\"b\\u00e9\\/"\n'],
    ['a quoted single quote', "k: 'it''s'\n"],
    ['flow collections in a sequence', '- name: x\n  ports: [80, 443, {a: "b"}, [],]\n- {a: 1, "b":2}\n'],
    ['keys JavaScript reorders', '"80": a\n1: b\n'],
    ['a plain scalar continued on deeper lines, a blank line among them', 'spec:\n  description: A long text\n    `continued` {here}\n\n    - and here.\n  type: object\n'],
    ['quoted scalars continued on deeper lines', 'a:\n  d: "one \\x41\\ two  \n    three\n\n    four"\n  s: \'it\'\'s\n    folded \'\n'],
    ['a block scalar with an indentation indicator', 'a:\n  b: |2-\n\n\n      more indented\n    text\n  c: 1\n'],
    ['JSON', '{\n  "kind": "List",\n  "items": [\n\n    {"a": 1, "b": [true, null, -1.5e3]}\n  ]\n}\n'],
    ['a flow collection over deeper lines', 'a:\n  b: [1,\n    {c: d}\n   ]\n  e: 2\n'],
    ['empty items and an empty value', '- \n-\n- k:\n'],
  ])('%s', (_name, text) => {
    expect(expectSameAsYaml(composeFromText, text)).toBe(true);
  });
});
