import { describe, expect, it } from 'vitest';
import { readValues, readYaml } from '../src/core/helm/yaml/index.js';
import { entryOriginOf } from '../src/core/helm/origins.js';
import type { GoValue } from '../src/core/helm/values.js';
import { NestingTooDeepError } from '../src/core/yaml-tree.js';
import { helmGoldens } from './support/helm-goldens.js';
import { MARKER, call, pieces, random, yamlQuote } from './helm-yaml-support.js';
import type { HelmSnippet } from './support/helm-goldens.js';

/**
 * YAML as helm 4.1.4 reads it: documents read by `fromYaml` (sigs.k8s.io/yaml.Unmarshal)
 * and by the chart loader (values.yaml), shown by `toJson`, and their errors; our reader
 * must give the same values and the same messages.
 */

const DOCUMENTS = [
  '',
  '# only a comment',
  'a: 1',
  'a: 1\nb: 2\n',
  'a:\n  b:\n    c: d',
  '- a\n- b',
  'a:\n- x\n- y',
  'a:\n  - x\n  - y\nb: z',
  'bools: [yes, no, on, off, y, n, Y, N, true, false, True, FALSE, YES, Off]',
  'nulls: [~, null, Null, NULL, ]\nempty:\nalso: ""',
  'ints: [0, 7, -7, +7, 0x1F, 0X1f, 0o17, 017, 0b101, -0b11, 1_000, 08, 09, 0x, 1__2]',
  'floats: [1.0, -1.5, .5, -.5, +.5, 1e3, 1E3, 1e+3, 1.5e-3, 6.02e23, .inf, -.inf, +.inf, .nan, .NaN, 1., 1e400, 1e-400, 1_0.5]',
  'big: [9223372036854775807, 9223372036854775808, 18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809, 12345678901234567890123]',
  'times: [2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10, 2001-12-14T21:59:43Z, 12:30:00, 2001-13-40]',
  'strings: [a b, "a\\tb", \'it\'\'s\', "\\u00e9\\x41\\U0001F600", "\\N\\_\\L\\P", "\\0\\a\\b\\e\\f\\v\\r", "\\/", "\\ \\"", plain # comment]',
  'folded: >\n  a\n  b\n\n  c\n   d\nliteral: |\n  a\n   b\n\n  c\nkeep: |+\n  x\n\nstrip: |-\n  y\n\n',
  'indent: |2\n    two\n  one\nlead: >1\n  x\nchomp: >-\n  a\n  b\n',
  'multi: this is\n  a plain\n\n  scalar\nquoted: "a\n  b\n\n  c"\nsingle: \'x\n  y\'',
  'anchors:\n  base: &b {x: 1, y: 2}\n  copy: *b\n  list: &l [1, 2]\n  again: *l\n  scalar: &s hello\n  ref: *s',
  'base: &b {x: 1, y: 2}\nmerged:\n  <<: *b\n  y: 3\nbefore:\n  y: 3\n  <<: *b',
  'a: &a {x: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n  w: 0',
  'merge-inline:\n  <<: {p: 1}\n  q: 2\n"<<": not a merge',
  'dup: 1\ndup: 2',
  '1: one\n2.5: two-and-half\ntrue: yes-key\n0x10: hex\n1e3: thousand\n.inf: infinite\n-1: minus',
  '? complex\n: value\n? [a, b]\n: list-key',
  '? |\n  block key\n: v',
  '{a: 1, b: [1, 2, {c: d}], "e f": g}',
  '[a, [b, c], {d: e}, {f}]',
  '{a: 1} trailing',
  'a: !!str 123\nb: !!int "42"\nc: !!float 1\nd: !!bool "true"\ne: !!null x\nf: !custom tagged\ng: ! nonspecific\nh: !!binary aGVsbG8=',
  'bin: !!binary |\n  aGVs\n  bG8=\nbad: !!binary "\\xff"',
  'a: !!int foo',
  'a: !!float bar',
  '%YAML 1.1\n---\na: 1',
  '%YAML 1.2\n---\na: 1',
  '%TAG !e! tag:example.com,2000:\n---\na: !e!foo bar',
  '---\na: 1\n---\nb: 2',
  'a: 1\n...\nb: 2',
  '--- |\n  root block',
  '--- >-\n  root folded\n  text',
  'key: "unterminated',
  "key: 'unterminated",
  'a: b: c',
  'a:\n  - b\n c: d',
  '- a\nb: c',
  'a: [1, 2',
  'a: {b: 1',
  'a: *missing',
  'a: &x [*x]',
  '\tb: 1',
  'a:\n\tb: 1',
  'a: |\n  x\n\ty',
  'a: "x\\q"',
  'a: "\\xZZ"',
  'a: "\\uD800"',
  '%FOO bar\n---\na: 1',
  'a: 1\nb',
  'b: &a 1\n<<: 3',
  '<<: [1, 2]',
  'x: \u007f',
  '- [a]: b',
  '? [a]\n: 1',
  '? {a: 1}\n: 1',
  '~: 1',
  '18446744073709551615: 1',
  'a: @reserved',
  'a: `tick',
  '[a, b]: c',
  'a: - b',
  'a: b\n  c: d',
  'a:\n  b: 1\n   c: 2',
  'a: >\n x\nb: 1',
  'a: |0\n x',
  'a: |10\n x',
  '"a": "b": "c"',
  '- - - deep',
  '- a: 1\n  b: 2\n- c: 3',
  'a: [b, c]: d',
  'a: "line one\n\n\nline four"',
  "'\"': x",
  'a: b # c\n# d\ne: f  # g',
  'a: b#c',
  'a: -',
  'a: - ',
  'a: ?',
  'a: :',
  'a: :b',
  'key with spaces: value with spaces',
  'unicode: "日本語"\némoji: 😀\n"\\U0001F600": key',
  'crlf: "a"\r\nnext: b\r\n',
  '\ufeffbom: true',
  'a: 1\n\n\n\n',
  '   a: 1',
  'a:\n    deep:\n        deeper: 1\n    back: 2',
  'list:\n- a\n-\n- c',
  'list:\n  -\n    a: 1\n  -   b: 2',
  'a: &anchor\nb: *anchor',
  'a: !!map {x: 1}\nb: !!seq [1]',
  'a: !!str\nb: !!int',
  'flow: {a: {b: {c: [1, {d: e}]}}}',
  'trailing comma: [1, 2, ]',
  'flow map trailing: {a: 1, }',
  'empty flow: [{}, [], {a: }]',
  'k: v\n---\n',
  // Characters outside the BMP are one character each: in marks, columns, the 1024-character
  // limit on simple keys and the reader's 512-byte chunks.
  `${'😀'.repeat(600)}: within the limit`,
  `${'😀'.repeat(1030)}: past the limit`,
  `${'x'.repeat(1030)}: past the limit`,
  `a: 😀\u0001`,
  `a: ${'😀'.repeat(126)}xy\n${'b'.repeat(20)}: \u0007`,
  `a: ${'😀'.repeat(127)}\nb: c\u0007`,
  `a: ${'x'.repeat(505)}😀\u0007`,
  `a: 1\n---\n${'y'.repeat(600)}\u0001`,
  `a: 1\n---\nb: \u0001`,
  `- 😀 x\n- "😀\\U0001F601"\n- '😀''s'\n- |\n  😀\n  😀x\n- >\n  😀\n\n  😀`,
  `😀: {😀: [😀, 😀x]}`,
];

function documentsBatch(): HelmSnippet {
  const values = `docs:\n${DOCUMENTS.map((doc) => `  - ${yamlQuote(doc)}\n`).join('')}`;
  const template = `{{- range $i, $d := .Values.docs }}${MARKER}{{ $i }}${MARKER}{{ toJson (fromYaml $d) }}${MARKER}{{ $i }}a${MARKER}{{ toJson (fromYamlArray $d) }}{{ end }}`;
  return { name: 'yaml-read-documents', values, template };
}

/** Values files that must load (or fail) exactly as in helm's chart loader. */
const VALUES_FILES: Record<string, string> = {
  'plain': 'replicaCount: 1\nimage:\n  repository: nginx\n  tag: "1.25"\n',
  'multi-document merge': 'a: 1\nmap:\n  x: 1\n  y: 1\n---\nb: 2\nmap:\n  y: 2\n  z: 2\n',
  'separator with comment': 'a: 1\n--- # second\nb: 2\n---\n',
  'separator only lines': '---\n---\na: 1\n---\n',
  'empty document between': 'a: 1\n---\n# nothing\n---\nb: 2\n',
  'crlf lines': 'a: 1\r\nb:\r\n  c: "x"\r\n---\r\nd: 4\r\n',
  'bom': '\ufeffa: 1\n',
  'no final newline': 'a: 1\nb: 2',
  'list document': '- a\n',
  'scalar document': 'just text\n',
  'null document': '~\n',
  'invalid separator': 'a: 1\n----\nb: 2\n',
  'separator with text': 'a: 1\n--- b: 2\n',
  'error in second document': 'a: 1\n---\nb: [\n',
  'error line numbers per document': 'a: 1\nb: 2\n---\nc: 3\nd: e: f\n',
  'unknown anchor across documents': 'a: &x 1\n---\nb: *x\n',
  'dot dot dot end': 'a: 1\n...\nb: 2\n',
  'infinite value': 'a: .inf\n',
  'document indicator in block scalar': 'a: |\n  line\n---\nb: 2\n',
  'indented separator': 'a:\n  ---\n',
  'tab separator': 'a: 1\n---\t\nb: 2\n',
  'empty': '',
  'comments only': '# nothing here\n\n',
};

const valuesSnippets: HelmSnippet[] = Object.entries(VALUES_FILES).map(([name, values]) => ({ name: `values ${name}`, values, template: '{{ toJson .Values }}' }));

/** What helm prints for a chart whose values.yaml fails to load, from the reader's error. */
function loaderError(message: string): string {
  return `cannot load values.yaml: ${message}`;
}

describe('YAML documents as helm reads them', async () => {
  const documents = documentsBatch();
  const goldens = await helmGoldens('yaml-read', [documents, ...valuesSnippets]);

  it('reads every document as fromYaml and fromYamlArray do, errors included', () => {
    const expected = pieces(goldens[documents.name]!.output ?? '');
    expect(expected.size).toBe(DOCUMENTS.length * 2);
    DOCUMENTS.forEach((doc, i) => {
      expect({ doc, map: call('toJson', call('fromYaml', doc)) }).toEqual({ doc, map: expected.get(String(i)) });
      expect({ doc, list: call('toJson', call('fromYamlArray', doc)) }).toEqual({ doc, list: expected.get(`${i}a`) });
    });
  });

  for (const [name, text] of Object.entries(VALUES_FILES)) {
    it(`loads values.yaml as helm does: ${name}`, () => {
      const golden = goldens[`values ${name}`]!;
      let ours: { output?: string; error?: string };
      try {
        ours = { output: call('toJson', readValues(text, 'values.yaml')) as string };
      } catch (error) {
        ours = { error: loaderError((error as Error).message) };
      }
      expect(ours).toEqual(golden);
    });
  }
});

describe('origins of values', () => {
  const text = 'image:\n  repository: nginx\n  tag: "1.25"\nports: [80, 443]\nlist:\n  - name: a\n    value: |\n      x\n';

  it('places every entry and item at its node in the file, keys included', () => {
    const values = readValues(text, 'values.yaml');
    const image = values.get('image') as Map<string, GoValue>;
    expect(entryOriginOf(values, 'image')).toEqual({
      key: { file: 'values.yaml', start: 0, end: 5, source: 'image' },
      value: { file: 'values.yaml', start: 9, end: 40, source: 'repository: nginx\n  tag: "1.25"' },
    });
    expect(entryOriginOf(image, 'repository')).toEqual({
      key: { file: 'values.yaml', start: 9, end: 19, source: 'repository' },
      value: { file: 'values.yaml', start: 21, end: 26, source: 'nginx' },
    });
    expect(entryOriginOf(image, 'tag')!.value).toEqual({ file: 'values.yaml', start: 34, end: 40, source: '"1.25"' });
    const ports = values.get('ports') as GoValue[];
    expect(entryOriginOf(values, 'ports')!.value.source).toBe('[80, 443]');
    expect(entryOriginOf(ports, 1)).toEqual({ value: { file: 'values.yaml', start: 53, end: 56, source: '443' } });
    const item = (values.get('list') as GoValue[])[0] as Map<string, GoValue>;
    expect(entryOriginOf(item, 'value')!.value.source).toBe('|\n      x\n');
  });

  it('counts offsets in the whole file across documents, CRLF line ends and a BOM', () => {
    const file = '\ufeffa: 1\r\n---\r\nb: two\r\n';
    const values = readValues(file, 'v.yaml');
    expect(entryOriginOf(values, 'a')!.value).toEqual({ file: 'v.yaml', start: 4, end: 5, source: '1' });
    expect(entryOriginOf(values, 'b')).toEqual({
      key: { file: 'v.yaml', start: 12, end: 13, source: 'b' },
      value: { file: 'v.yaml', start: 15, end: 18, source: 'two' },
    });
  });

  it('counts offsets in UTF-16 units past characters outside the BMP', () => {
    const values = readValues('e: 😀😀\nf: "😀"\n', 'v.yaml');
    expect(entryOriginOf(values, 'e')!.value).toEqual({ file: 'v.yaml', start: 3, end: 7, source: '😀😀' });
    expect(entryOriginOf(values, 'f')).toEqual({
      key: { file: 'v.yaml', start: 8, end: 9, source: 'f' },
      value: { file: 'v.yaml', start: 11, end: 15, source: '"😀"' },
    });
  });

  it('gives a later document\'s entry its own origin and keeps the merged map\'s others', () => {
    const values = readValues('m:\n  p: 1\n  q: 1\n---\nm:\n  q: 2\n', 'v.yaml');
    const m = values.get('m') as Map<string, GoValue>;
    expect(m).toEqual(new Map([['p', 1], ['q', 2]]));
    expect(entryOriginOf(m, 'p')!.value.start).toBe(8);
    expect(entryOriginOf(m, 'q')!.value.start).toBe(29);
  });

  it('gives an alias\'s entry the alias and the aliased map\'s entries their anchor\'s nodes', () => {
    const values = readValues('base: &b\n  k: v\ncopy: *b\n', 'v.yaml');
    expect(entryOriginOf(values, 'copy')!.value.source).toBe('*b');
    expect(entryOriginOf(values.get('copy') as Map<string, GoValue>, 'k')!.value).toEqual({ file: 'v.yaml', start: 14, end: 15, source: 'v' });
  });

  it('records nothing without a file', () => {
    const value = readYaml('a: 1') as Map<string, GoValue>;
    expect(entryOriginOf(value, 'a')).toBeUndefined();
  });
});

describe('limits', () => {
  it('refuses nesting deeper than MAX_NESTING instead of recursing into it', () => {
    expect(() => readValues(`a: ${'['.repeat(600)}${']'.repeat(600)}\n`, 'v.yaml')).toThrow(NestingTooDeepError);
    expect(call('fromYaml', `${'- '.repeat(600)}x`)).toEqual(new Map([['Error', 'YAML nested deeper than 500 levels']]));
  });

  it('refuses an alias bomb with go-yaml\'s own error before expanding it', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(() => readValues(levels.join('\n'), 'v.yaml')).toThrow('cannot unmarshal yaml document: error converting YAML to JSON: yaml: document contains excessive aliasing');
  });
});

const SAFE_WORDS = [
  'a', 'b', 'nginx', 'name', 'image', 'port', 'yes', 'No', 'on', 'OFF', 'null', 'true', '1', '-2', '0x1F', '017', '0o17', '1_000', '3.5', '.5', '1e3', '-.Inf',
  '2001-12-14', '2001-12-14T21:59:43Z', '12:30', '1:20', 'a b c', 'http://x/y?z', 'x#y', 'é日', 'x-y', 'v1.2.3', '500m', '128Mi', 'IfNotPresent',
];
const RISKY_WORDS = ['~', '.inf', '.nan', '*a', '&b', '!t', '%p', '@q', '`r', '9223372036854775808', ': x', '- y', '[z', '{w'];

/** Mostly words that read as a value, now and then one that breaks the document or its conversion to JSON. */
const PLAIN_WORDS = { pick: (next: () => number): string => (next() < 0.03 ? choose(next, RISKY_WORDS) : choose(next, SAFE_WORDS)) };

function choose<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

interface Generator {
  next: () => number;
  anchors: string[];
}

function scalarText(g: Generator, indent: string, inFlow: boolean): string {
  const r = g.next();
  if (g.anchors.length > 0 && r < 0.05) return `*${choose(g.next, g.anchors)}`;
  if (r < 0.45) return PLAIN_WORDS.pick(g.next);
  if (r < 0.6) return `'${PLAIN_WORDS.pick(g.next)} ${choose(g.next, ["it''s", 'x', ''])}'`;
  if (r < 0.75) return `"${choose(g.next, ['\\t', '\\n', '\\u00e9', '\\x41', '\\\\', 'plain', '\\"', '\\U0001F600', '\\N', '\\_', ' '])}${PLAIN_WORDS.pick(g.next)}"`;
  if (inFlow || r < 0.8) return PLAIN_WORDS.pick(g.next);
  const header = `${choose(g.next, ['|', '>'])}${choose(g.next, ['', '-', '+', '2', '1-', '+1'])}`;
  const lines = Array.from({ length: 1 + Math.floor(g.next() * 3) }, () => `${indent}  ${choose(g.next, ['text', ' more', '', 'a: b', '# not a comment'])}`);
  return `${header}\n${lines.join('\n')}`;
}

function flowText(g: Generator, depth: number): string {
  if (depth > 2 || g.next() < 0.5) return scalarText(g, '', true);
  if (g.next() < 0.5) return `[${Array.from({ length: Math.floor(g.next() * 4) }, () => flowText(g, depth + 1)).join(', ')}]`;
  return `{${Array.from({ length: Math.floor(g.next() * 4) }, () => `${PLAIN_WORDS.pick(g.next)}: ${flowText(g, depth + 1)}`).join(', ')}}`;
}

/** A node at this indentation: the text after `key:` or `- ` (starting with a space or a line break). */
function nodeText(g: Generator, indent: string, depth: number): string {
  const r = g.next();
  const anchor = g.next() < 0.1 ? ` &n${g.anchors.push(`n${g.anchors.length}`) - 1}` : '';
  if (depth > 3 || r < 0.5) return `${anchor} ${scalarText(g, indent, false)}`;
  if (r < 0.6) return `${anchor} ${flowText(g, 0)}`;
  const inner = indent + choose(g.next, ['  ', '    ', ' ']);
  if (r < 0.8) {
    const entries = Array.from({ length: 1 + Math.floor(g.next() * 3) }, () => {
      const key = g.next() < 0.03 ? '<<' : g.next() < 0.2 ? `"${PLAIN_WORDS.pick(g.next)}"` : PLAIN_WORDS.pick(g.next);
      return `${inner}${key}:${nodeText(g, inner, depth + 1)}${g.next() < 0.1 ? ' # comment' : ''}`;
    });
    return `${anchor}\n${entries.join('\n')}`;
  }
  const sequenceIndent = g.next() < 0.3 ? indent : inner;
  const items = Array.from({ length: 1 + Math.floor(g.next() * 3) }, () => `${sequenceIndent}-${nodeText(g, sequenceIndent + '  ', depth + 1)}`);
  return `${anchor}\n${items.join('\n')}`;
}

/** A random block document; a fifth of them damaged by one edit, for the errors. */
function randomDocument(next: () => number): string {
  const g: Generator = { next, anchors: [] };
  const keys = Array.from({ length: 1 + Math.floor(next() * 4) }, () => `${PLAIN_WORDS.pick(next)}:${nodeText(g, '', 0)}`);
  let text = `${keys.join('\n')}\n`;
  if (next() < 0.15) {
    const at = Math.floor(next() * text.length);
    const edit = next();
    if (edit < 0.4) text = text.slice(0, at) + text.slice(at + 1);
    else if (edit < 0.8) text = text.slice(0, at) + choose(next, [':', '-', '#', '\t', '"', "'", '[', '{', ' ', '\n', '&', '*', '|']) + text.slice(at);
    else text = text.slice(0, at) + text.slice(at).replace('\n', '\n\n  ');
  }
  return text;
}

describe('a generated corpus of YAML documents, read as helm reads them', async () => {
  const batches = [1, 2].map((seed) => {
    const next = random(seed * 104729);
    const docs = Array.from({ length: 150 }, () => randomDocument(next));
    const values = `docs:\n${docs.map((doc) => `  - ${yamlQuote(doc)}\n`).join('')}`;
    const template = `{{- range $i, $d := .Values.docs }}${MARKER}{{ $i }}${MARKER}{{ toJson (fromYaml $d) }}{{ end }}`;
    return { snippet: { name: `yaml-read-corpus-${seed}`, values, template }, docs };
  });
  const goldens = await helmGoldens(
    'yaml-read-corpus',
    batches.map((b) => b.snippet),
  );
  for (const { snippet, docs } of batches) {
    it(`${snippet.name}: 150 random documents, each read (or refused) as helm does`, () => {
      const expected = pieces(goldens[snippet.name]!.output ?? '');
      expect(expected.size).toBe(docs.length);
      docs.forEach((doc, i) => expect({ doc, json: call('toJson', call('fromYaml', doc)) }).toEqual({ doc, json: expected.get(String(i)) }));
    });
  }
});

const JSON_DOCUMENTS = [
  '', ' ', '{}', '[]', 'null', 'true', '1', '"s"', '{"a": 1}', '[1, 2]', '{"a": {"b": [1, 2.5, -0, 1e400, 1E2, 0.1]}}', '{"a": 1e400, "b": 2}', '[1e400, 3]',
  '{"a": 1, "a": 2}', '{"s": "\\u00e9\\ud83d\\ude00\\ud800x\\n\\t\\/\\b\\f"}', '{"big": 12345678901234567890, "neg": -9007199254740993}',
  '{', '}', '[1,]', '{"a":}', '{"a" 1}', '{a: 1}', "{'a': 1}", '[1 2]', '{"a": 1,}', '[01]', '[-]', '[1.]', '[1e]', '[.5]', '[tru]', '[nul]', '[falsy]',
  '"\\x"', '"\\u12g4"', '"a\tb"', '{"a": 1} x', '{"a": 1}{}', '[1, 2', '"unterminated', 'é', '\u00ff', '{"é": "日本"}', '  [ 1 , { "x" : [ ] } ]  ',
];

describe('JSON documents as helm reads them', async () => {
  const values = `docs:\n${JSON_DOCUMENTS.map((doc) => `  - ${yamlQuote(doc)}\n`).join('')}`;
  const template = `{{- range $i, $d := .Values.docs }}${MARKER}{{ $i }}${MARKER}{{ toJson (fromJson $d) }}${MARKER}{{ $i }}a${MARKER}{{ toJson (fromJsonArray $d) }}{{ end }}`;
  const goldens = await helmGoldens('yaml-read-json', [{ name: 'json-documents', values, template }]);

  it('reads every document as fromJson and fromJsonArray do, errors included', () => {
    const expected = pieces(goldens['json-documents']!.output ?? '');
    expect(expected.size).toBe(JSON_DOCUMENTS.length * 2);
    JSON_DOCUMENTS.forEach((doc, i) => {
      if (doc === 'null') return;
      expect({ doc, map: call('toJson', call('fromJson', doc)) }).toEqual({ doc, map: expected.get(String(i)) });
      expect({ doc, list: call('toJson', call('fromJsonArray', doc)) }).toEqual({ doc, list: expected.get(`${i}a`) });
    });
  });

  it('gives an empty map and list for `null`, where Go has a nil map and slice (which toJson writes as null): the model has no typed nil', () => {
    const i = JSON_DOCUMENTS.indexOf('null');
    expect([pieces(goldens['json-documents']!.output ?? '').get(String(i)), pieces(goldens['json-documents']!.output ?? '').get(`${i}a`)]).toEqual(['null', 'null']);
    expect([call('fromJson', 'null'), call('fromJsonArray', 'null')]).toEqual([new Map(), []]);
  });
});
