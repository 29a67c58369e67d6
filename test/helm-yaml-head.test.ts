import { describe, expect, it } from 'vitest';
import { decodeYamlStruct } from '../src/core/helm/chart/chart-yaml.js';
import { decodeStruct, namesField } from '../src/core/helm/chart/go-json-struct.js';
import type { StructType, StructValue } from '../src/core/helm/chart/go-json-struct.js';
import { formatHelmTemplateOutput, renderChart } from '../src/core/helm/render.js';
import { Decoder, composeFirstDocument, readFields } from '../src/core/helm/yaml/decode.js';
import { readYaml } from '../src/core/helm/yaml/read.js';
import { CHART_NAME, helmGoldens, snippetChart } from './support/helm-goldens.js';
import type { HelmOutcome, HelmSnippet } from './support/helm-goldens.js';

/**
 * A manifest's head (apiVersion, kind, metadata's name and annotations) as helm's
 * SortManifests reads it, through readFields: only the root's field entries decoded, the
 * rest of the document checked from its events. Every document must print, or fail with
 * the message, as in helm 4.1.4; and readFields must give what decoding the whole document
 * gives, reading the documents it can read itself and leaving the others to the whole decode.
 */

const SOURCE = `${CHART_NAME}/templates/snippet.yaml`;

interface HeadCase {
  name: string;
  document: string;
  /** readFields reads it (no alias, tag or merge, a mapping at the root, every part convertible to JSON). */
  read: boolean;
}

const CASES: HeadCase[] = [
  { name: 'plain', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    x: "1"\ndata:\n  k: v\n' },
  { name: 'anchor and alias past the head', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: &d\n  k: v\nbinaryData: *d\n' },
  { name: 'metadata by alias', read: false, document: 'spec: &m\n  name: a\nkind: ConfigMap\napiVersion: v1\nmetadata: *m\n' },
  { name: 'anchor without alias', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: a\ndata: &d {k: v}\n' },
  { name: 'merge in metadata', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: {name: merged}\n  annotations: {a: b}\n' },
  { name: 'kind from a merge at the root', read: false, document: 'spec: &b {kind: ConfigMap}\n<<: *b\napiVersion: v1\nmetadata: {name: m}\n' },
  { name: 'merge past the head', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  <<: {a: b}\n  c: d\n' },
  { name: 'merge of a scalar past the head', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  <<: 3\n' },
  { name: 'tags', read: false, document: 'apiVersion: v1\nkind: !!str ConfigMap\nmetadata: {name: t}\ndata: {n: !!str 42}\n' },
  { name: 'a tag that does not decode past the head', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\ndata: {n: !!int x}\n' },
  { name: 'bad base64 past the head', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\ndata: {b: !!binary "@@"}\n' },
  { name: 'unknown anchor past the head', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\ndata: *nope\n' },
  {
    name: 'multi-line plain scalars',
    read: true,
    document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    d: this is\n      a long\n\n      text\ndata:\n  k: multi\n    line\n',
  },
  { name: 'flow collections', read: true, document: '{apiVersion: v1, kind: ConfigMap, metadata: {name: f, annotations: {a: "1"}}, data: {k: "[1, 2]", l: "{x: y}"}}\n' },
  { name: 'a syntax error after the head', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n  bad: [1, 2\n' },
  { name: 'a wrongly typed kind', read: true, document: 'apiVersion: v1\nkind: [ConfigMap]\nmetadata: {name: a}\n' },
  { name: 'a kind that is a number', read: true, document: 'apiVersion: v1\nkind: 1.10\nmetadata: {name: a}\n' },
  { name: 'a block scalar kind', read: true, document: 'apiVersion: v1\nkind: |\n  ConfigMap\nmetadata: {name: a}\n' },
  { name: 'kind twice, in two cases', read: true, document: 'apiVersion: v1\nkind: Secret\nKind: ConfigMap\nkind: Service\nmetadata: {name: a}\n' },
  { name: 'quoted keys', read: true, document: '"apiVersion": v1\n\'kind\': ConfigMap\n"metadata": {"name": q}\n' },
  { name: 'a collection as a key past the head', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  ? [a, b]\n  : c\n' },
  { name: 'a collection as a key, then a syntax error', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  ? {x: [y]}\n  : c\nbad: "open\n' },
  { name: 'a collection as a key in metadata', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  [x]: y\n' },
  { name: 'a null key past the head', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  ~: x\n' },
  { name: 'a null key in metadata', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  null: x\n' },
  { name: 'a uint64 key past the head', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  18446744073709551615: x\n' },
  { name: 'a uint64 key at the root', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n18446744073709551615: [x]\n' },
  { name: 'a uint64 key in metadata', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  18446744073709551615: {x: 1}\n' },
  { name: 'a NaN past the head', read: false, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  n: .nan\n' },
  { name: 'an infinite kind', read: true, document: 'apiVersion: v1\nkind: -.inf\nmetadata: {name: a}\n' },
  { name: 'a hook', read: true, document: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: h\n  annotations:\n    helm.sh/hook: pre-install,test\n' },
  { name: 'an unknown hook', read: true, document: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: h\n  annotations:\n    helm.sh/hook: pre-install,bogus\n' },
  { name: 'annotations that are not strings', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    a: 1\n    b: true\n    c: ~\n    d: 1e3\n' },
  { name: 'annotations as a list', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: [x]\n' },
  { name: 'a list at the root', read: false, document: '- apiVersion: v1\n- kind: ConfigMap\n' },
  { name: 'a scalar at the root', read: false, document: 'just text\n' },
  { name: 'keys that are not strings', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n1: one\ntrue: yes\n2.5: x\n' },
  { name: 'a second document that fails', read: true, document: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: [b]\n' },
];

const SIMPLE_HEAD: StructType = {
  name: 'SimpleHead',
  qualifiedName: 'util.SimpleHead',
  fields: {
    apiVersion: { kind: 'string' },
    kind: { kind: 'string' },
    metadata: {
      kind: 'struct',
      struct: {
        name: '',
        qualifiedName: 'struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }',
        fields: { name: { kind: 'string' }, annotations: { kind: 'stringMap' } },
      },
    },
  },
};

const snippets: HelmSnippet[] = CASES.map((c) => ({ name: c.name, template: c.document, mode: 'file' }));

/** `helm template release snippet/` in process: the first document printed from the snippet's template, or the error. */
function renderOurs(snippet: HelmSnippet): HelmOutcome {
  const files = Object.entries(snippetChart(snippet)).map(([path, text]) => ({ path, bytes: new TextEncoder().encode(text) }));
  const result = renderChart({ kind: 'directory', files, root: CHART_NAME, source: CHART_NAME }, { releaseName: 'release' });
  if (!result.ok) return { error: result.error };
  const stdout = formatHelmTemplateOutput(result);
  const marker = `# Source: ${SOURCE}\n`;
  const at = stdout.indexOf(marker);
  if (at === -1) return { output: '' };
  const next = stdout.indexOf('\n---\n', at);
  return { output: stdout.slice(at + marker.length, next === -1 ? undefined : next + 1) };
}

/** The head as the whole document decodes into it: composed, decoded whole, then into the struct; a YAML error worded as helm words it. */
function wholeHead(document: string): StructValue | string {
  try {
    let value = null;
    try {
      const root = composeFirstDocument(document);
      value = root ? new Decoder().decodeDocument(root) : null;
    } catch (error) {
      readYaml(document);
      throw error;
    }
    const fields: StructValue = new Map();
    decodeStruct(value, SIMPLE_HEAD, fields);
    return fields;
  } catch (error) {
    return (error as Error).message;
  }
}

function head(document: string): StructValue | string {
  try {
    return decodeYamlStruct(document, SIMPLE_HEAD);
  } catch (error) {
    return (error as Error).message;
  }
}

/** SplitManifests' documents, of each of which SortManifests reads a head. */
function documents(text: string): string[] {
  return text
    .split(/(?:^|\s*\n)---\s*/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

describe("a manifest's head, read as helm's SortManifests reads it", async () => {
  const goldens = await helmGoldens('yaml-head', snippets);

  for (const snippet of snippets) {
    it(`prints or refuses the document as helm does: ${snippet.name}`, () => {
      expect(renderOurs(snippet)).toEqual(goldens[snippet.name]);
    });
  }

  for (const { name, document, read } of CASES) {
    it(`gives the whole decode's head or error, ${read ? 'reading the document itself' : 'leaving it to the whole decode'}: ${name}`, () => {
      for (const text of documents(document)) {
        expect(head(text)).toEqual(wholeHead(text));
        let fields;
        try {
          fields = readFields(text, (key) => namesField(SIMPLE_HEAD, key));
        } catch {
          fields = 'an error';
        }
        expect(fields !== undefined).toBe(read);
      }
    });
  }

  it('reads only the fields: a head of one entry for a document of many', () => {
    const fields = readFields('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: v\n  l: [1, 2]\n', (key) => key === 'kind');
    expect(fields && [...fields.entries.values()].map((entry) => [entry.key, entry.value])).toEqual([['kind', 'ConfigMap']]);
  });
});
