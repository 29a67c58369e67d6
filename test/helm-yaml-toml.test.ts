import { describe, expect, it } from 'vitest';
import { readValues } from '../src/core/helm/yaml/index.js';
import type { GoValue } from '../src/core/helm/values.js';
import { helmGoldens } from './support/helm-goldens.js';
import { MARKER, call, pieces } from './helm-yaml-support.js';

/** toToml and fromToml against real helm 4.1.4 (BurntSushi/toml v1.6.0 inside). */

const TO_TOML_VALUES = [
  `{}`,
  `{"a": 1, "b": 1.5, "c": "x", "d": true, "e": null}`,
  `{"s": "quote \\" backslash \\\\ tab \\t newline \\n del \\u007f bell \\u0007 é 😀"}`,
  `{"list": [1, 2, 3], "empty": [], "strings": ["a", "b"], "mixed": [1, "a", true]}`,
  `{"table": {"x": 1, "y": {"z": 2}}, "top": "t"}`,
  `{"a": {"b": {"c": {"d": 1}}}}`,
  `{"arr": [{"name": "a", "v": 1}, {"name": "b", "sub": {"k": "v"}}]}`,
  `{"mixedTables": [{"a": 1}, 2]}`,
  `{"nested": [[1, 2], [3]], "inline": [{"a": [1, 2]}, "x"]}`,
  `{"withNil": [1, null]}`,
  `{"bare-key_1": 1, "needs quotes": 2, "dot.key": 3, "": 4, "é": 5}`,
  `{"floats": [0, -0.0, 1e6, 1e21, 1.5e-7, 100, 0.1, 123456789.5]}`,
  `{"b": {"x": 1}, "a": {"y": 2}, "c": 3, "d": [{"e": 1}]}`,
  `{"t": {"inner": [{"a": {"deep": 1}}, {"b": [1, {"c": 2}]}]}}`,
  `{"nilOnly": null}`,
  `{"emptyTable": {}, "after": 1}`,
  `[1, 2]`,
  `[{"a": 1}]`,
  `"scalar"`,
  `1.5`,
];

const FROM_TOML_DOCUMENTS = [
  '',
  'a = 1',
  'a = 1\nb = "two"\nc = 3.5\nd = true\ne = false',
  'int = +99\nneg = -17\nzero = 0\nhex = 0xDEADBEEF\noct = 0o755\nbin = 0b1101\nunder = 1_000_000',
  'f1 = 1.0\nf2 = 3.1415\nf3 = -0.01\nf4 = 5e+22\nf5 = 1e06\nf6 = -2E-2\nf7 = 6.626e-34\nf8 = 224_617.445_991',
  'infs = [inf, +inf, -inf]\nnans = [nan, +nan]',
  'basic = "I\'m a string. \\"You can quote me\\". Name\\tJos\\u00E9\\nLocation\\tSF."',
  "literal = 'C:\\Users\\nodejs\\templates'\nregex = '<\\i\\c*\\s*>'",
  'multi = """\nRoses are red\nViolets are blue"""',
  'ml = """\nThe quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog."""',
  "raw = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''",
  '[table]\nkey = "value"\n\n[table.sub]\nk = 1\n\n[other]\nx = [1, 2, 3]',
  '[[products]]\nname = "Hammer"\nsku = 738594937\n\n[[products]]\n\n[[products]]\nname = "Nail"\nsku = 284758393\ncolor = "gray"',
  'name = { first = "Tom", last = "Preston-Werner" }\npoint = { x = 1, y = 2 }\nanimal = { type.name = "pug" }',
  'a.b.c = 1\na.d = 2\n"quoted key" = 3\n\'single\' = 4\n"" = 5',
  'nested = [[1, 2], ["a", "b"], [{ x = 1 }]]\nmultiline = [\n  1,\n  2, # comment\n]',
  'odt1 = 1979-05-27T07:32:00Z\nodt2 = 1979-05-27T00:32:00-07:00\nodt3 = 1979-05-27T00:32:00.999999-07:00\nodt4 = 1979-05-27 07:32:00Z',
  'ldt1 = 1979-05-27T07:32:00\nldt2 = 1979-05-27T00:32:00.999999\nld1 = 1979-05-27\nlt1 = 07:32:00\nlt2 = 00:32:00.999999',
  '# only a comment\n\n',
  'a = 1\na = 2',
  'a = ',
  '= 1',
  'a = "unterminated',
  'a = 01',
  'a = 1__0',
  'a = 1.',
  'a = .5',
  'a = 0x',
  'a = -0x10',
  'a = nope',
  'a = 99999999999999999999',
  'a = 1e400',
  'a = 1979-13-27',
  'a = 1 b = 2',
  '[a]\nx = 1\n[a]\ny = 2',
  '[[a]]\n[a]',
  'a = [1, 2',
  'a = { x = 1, }',
  'a = { x = 1\n}',
  'a = "\\q"',
  'a = "x\ny"',
  'a = "\u0007"',
  '[table\nkey = 1',
  '[]',
  'a.b = 1\na = 2',
  'x = 1\n[x.y]',
  'a = "\\uD800"',
];

function tomlBatch(): { template: string; values: string } {
  const values = [
    ...TO_TOML_VALUES.map((value, i) => `t${String(i).padStart(2, '0')}: ${value}\n`),
    `docs:\n${FROM_TOML_DOCUMENTS.map((doc) => `  - ${JSON.stringify(doc)}\n`).join('')}`,
  ].join('');
  const template =
    `{{- range $k, $v := .Values }}{{ if ne $k "docs" }}${MARKER}{{ $k }}${MARKER}{{ toToml $v }}{{ end }}{{ end }}` +
    `{{- range $i, $d := .Values.docs }}${MARKER}doc{{ $i }}${MARKER}{{ toJson (fromToml $d) }}{{ end }}`;
  return { template, values };
}

describe('toToml and fromToml as helm has them', async () => {
  const { template, values } = tomlBatch();
  const goldens = await helmGoldens('yaml-toml', [
    { name: 'toml-values', values, template },
    { name: 'toml-nil', template: '{{ toToml .Values.missing }}' },
    { name: 'toml-ints', template: '{{ toToml (dict "i" 1 "list" (list 1 2 (int64 3)) "big" 9223372036854775807 "neg" -5) }}' },
  ]);

  it('writes and reads every TOML value as helm does', () => {
    const expected = pieces(goldens['toml-values']!.output ?? '');
    const read = readValues(values, 'values.yaml');
    const actual = new Map<string, string>();
    for (const [key, value] of read) if (key !== 'docs') actual.set(key, call('toToml', value) as string);
    (read.get('docs') as string[]).forEach((doc, i) => actual.set(`doc${i}`, call('toJson', call('fromToml', doc)) as string));
    expect(expected.size).toBe(TO_TOML_VALUES.length + FROM_TOML_DOCUMENTS.length);
    for (const [key, text] of expected) expect({ key, text: actual.get(key) }).toEqual({ key, text });
  });

  it('writes template integers as TOML integers', () => {
    const value = new Map<string, GoValue>([
      ['i', 1n],
      ['list', [1n, 2n, 3n]],
      ['big', 9223372036854775807n],
      ['neg', -5n],
    ]);
    expect(call('toToml', value)).toBe(goldens['toml-ints']!.output);
  });

  it('fails on nil as Go does: the template call errors', () => {
    expect(goldens['toml-nil']!.error).toContain('error calling toToml: reflect: call of reflect.Value.Type on zero Value');
    expect(() => call('toToml', null)).toThrow('reflect: call of reflect.Value.Type on zero Value');
  });
});
