import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { applyEdits, planFixes, renderScalar } from '../src/core/fix.js';
import type { Fix } from '../src/core/types.js';
import { lint } from './helpers.js';

function fixedText(text: string, ruleId: string): string {
  const finding = lint([{ path: 'x.yaml', text }]).findings.find((candidate) => candidate.ruleId === ruleId);
  if (!finding?.fix) throw new Error(`no ${ruleId} fix`);
  return applyEdits(text, finding.fix.edits);
}

const service = (ports: string) => `apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  selector: {app: s}
  ports:
${ports}`;

describe('fix edits', () => {
  it('adds a key to a flow map before its brace', () => {
    expect(fixedText(service('    - {name: smtp-relay, port: 2525}\n'), 'server-first-protocol')).toBe(
      service('    - {name: smtp-relay, port: 2525, appProtocol: tcp}\n'),
    );
  });

  it('adds a key under the last entry of a block map, whatever comes after it', () => {
    const before = service("    - name: nats # the broker\n      port: 4222\n\n    # next: monitoring\n    - name: http-monitor\n      port: 8222\n");
    expect(fixedText(before, 'server-first-protocol')).toBe(
      service("    - name: nats # the broker\n      port: 4222\n      appProtocol: tcp\n\n    # next: monitoring\n    - name: http-monitor\n      port: 8222\n"),
    );
  });

  it('adds a labels map to pod metadata that has none, quoting a version that would read as a number', () => {
    const deployment = (metadata: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    metadata:
${metadata}    spec:
      containers:
        - name: api
          image: api:1.10
`;
    const before = deployment('      annotations: {a: b}\n');
    const afterApp = fixedText(before, 'app-label');
    expect(afterApp).toBe(deployment('      annotations: {a: b}\n      labels:\n        app: api\n'));
    expect(fixedText(afterApp, 'version-label')).toBe(deployment('      annotations: {a: b}\n      labels:\n        app: api\n        version: "1.10"\n'));
  });

  it('replaces only the value, keeping the comment after it', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: p, version: v1}}
spec:
  securityContext:
    runAsGroup:   1337   # keep
  containers: [{name: p, image: p}]
`;
    expect(fixedText(text, 'reserved-gid')).toBe(text.replace('1337   # keep', '1000   # keep'));
  });
});

describe('planning fixes', () => {
  const fix = (start: number, end: number, newText: string): { fix: Fix } => ({
    fix: { description: newText, safe: true, edits: [{ file: 'f', startOffset: start, endOffset: end, newText }] },
  });

  it('drops a fix that overlaps one before it, and an insertion where another replaces', () => {
    const first = fix(0, 3, 'A');
    const overlapping = fix(2, 5, 'B');
    const sameInsertion = fix(0, 0, 'C');
    const apart = fix(5, 6, 'D');
    expect(planFixes([first, overlapping, sameInsertion, apart])).toEqual({ accepted: [first, apart], dropped: [overlapping, sameInsertion] });
  });

  it('keeps insertions at one point, in the order of their findings', () => {
    const app = fix(3, 3, '+app');
    const version = fix(3, 3, '+version');
    expect(planFixes([app, version])).toEqual({ accepted: [app, version], dropped: [] });
    expect(applyEdits('abcdef', [...app.fix.edits, ...version.fix.edits])).toBe('abc+app+versiondef');
  });

  it('applies edits in offset order whatever order they come in', () => {
    expect(applyEdits('abcdef', [fix(4, 5, 'E').fix.edits[0]!, fix(0, 1, 'A').fix.edits[0]!])).toBe('AbcdEf');
  });
});

describe('renderScalar', () => {
  const yamlWrites = (value: string | number | boolean) => stringify(value, { lineWidth: 0 }).trimEnd();

  it("writes every scalar as yaml's stringify does", () => {
    const words = fc.constantFrom('null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'yes', 'No', 'on', 'y', '~', '.inf', '.NaN', '0x1F', '0o17', '1e3', '-', '?', '---', '...');
    const text = fc.string({ unit: fc.constantFrom(...'aZ09_./-: #\'"\n\t{}[],&*!|>%@`?\u0085é'.split('')), maxLength: 12 });
    const plainShaped = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_./-]{0,10}$/);
    const scalars = fc.oneof(words, plainShaped, text, fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constantFrom(-0, 2 ** 53, -(2 ** 53), 1e21));
    fc.assert(
      fc.property(scalars, (value) => renderScalar(value) === yamlWrites(value)),
      { numRuns: 5_000 },
    );
  });

  it('quotes what the core schema would read as another type, and what YAML would read otherwise', () => {
    expect(['web', 'app.kubernetes.io/name', 'v1.2.3', 'True', 'null', '1.0', 'a: b', '-x', 1000, -0, true].map(renderScalar)).toEqual([
      'web',
      'app.kubernetes.io/name',
      'v1.2.3',
      '"True"',
      '"null"',
      '"1.0"',
      '"a: b"',
      '-x',
      '1000',
      '-0',
      'true',
    ]);
  });
});
