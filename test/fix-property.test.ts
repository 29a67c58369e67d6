import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyEdits, planFixes } from '../src/core/fix.js';
import type { Finding, SourceFile } from '../src/core/types.js';
import { ROOT, lint, withConfig } from './helpers.js';

/** Every fixture file the engine reads, a directory of them as one change. */
function fixtureSets(): SourceFile[][] {
  const sets: SourceFile[][] = [];
  const walk = (directory: string): SourceFile[] =>
    readdirSync(join(ROOT, 'fixtures', directory), { withFileTypes: true }).flatMap((entry) => {
      const path = `${directory}/${entry.name}`;
      if (entry.isDirectory()) return walk(path);
      return /\.(ya?ml|json)$/.test(entry.name) ? [{ path, text: readFileSync(join(ROOT, 'fixtures', path), 'utf8') }] : [];
    });
  for (const entry of readdirSync(join(ROOT, 'fixtures'), { withFileTypes: true })) {
    if (entry.name === 'demo') sets.push(walk('demo/base'), walk('demo/head'));
    // Helm charts are rendered before they are fixed: the Helm tests hold their fixes.
    else if (entry.name === 'charts' || entry.name === 'lint-charts') continue;
    else if (entry.isDirectory()) for (const file of walk(entry.name)) sets.push([file]);
  }
  return sets;
}

function parsesAs(path: string, text: string): string[] {
  if (path.endsWith('.json')) {
    // A .json manifest may hold one JSON value, or several YAML-style documents of JSON.
    return parseAllDocuments(text).flatMap((doc) => doc.errors.map((error) => error.message)).concat(
      parseAllDocuments(text).length === 1 ? jsonErrors(text) : [],
    );
  }
  return parseAllDocuments(text).flatMap((doc) => doc.errors.map((error) => error.message));
}

function jsonErrors(text: string): string[] {
  try {
    JSON.parse(text);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/**
 * Every fix of one run, applied at once: none collides with another, the files still parse
 * (as JSON where they were JSON), and the findings fixed are gone.
 */
function checkAllFixesTogether(files: SourceFile[], config = withConfig({ labels: { jobs: true } })): void {
  const report = lint(files, config);
  const fixable = report.findings.filter((finding): finding is Finding & { fix: NonNullable<Finding['fix']> } => finding.fix !== undefined);
  const { dropped } = planFixes(fixable);
  expect(dropped.map((finding) => `${finding.ruleId} ${finding.file}:${finding.span.startLine}`)).toEqual([]);
  const fixedFiles = files.map((file) => {
    const edits = fixable.flatMap((finding) => finding.fix.edits).filter((edit) => edit.file === file.path);
    return { ...file, text: applyEdits(file.text, edits) };
  });
  files.forEach((file, index) => {
    // Files that did not parse (a template, a broken document) may not parse after either.
    expect(parsesAs(file.path, fixedFiles[index]!.text).length, `${file.path}\n${fixedFiles[index]!.text}`).toBeLessThanOrEqual(parsesAs(file.path, file.text).length);
  });
  const left = new Set(lint(fixedFiles, config).findings.map((finding) => finding.fingerprint));
  expect(fixable.filter((finding) => left.has(finding.fingerprint)).map((finding) => `${finding.ruleId} ${finding.file}`)).toEqual([]);
}

describe('every fix of a run, applied at once', () => {
  for (const files of fixtureSets()) {
    it(`on ${files.map((file) => file.path).join(', ')}`, () => checkAllFixesTogether(files));
  }

  it('on generated workloads and Services, as block YAML, flow YAML and JSON', () => {
    const labels = fc.option(fc.dictionary(fc.constantFrom('app', 'version', 'tier', 'team'), fc.constantFrom('web', 'v1', 'db', 'a-b')), { nil: undefined });
    const container = fc.record({
      name: fc.constantFrom('web', 'db', 'worker'),
      image: fc.constantFrom('web:1.2', 'mysql:8', 'alpine', 'nats:2', 'registry.example.com/x/y@sha256:abc'),
      securityContext: fc.option(fc.record({ runAsUser: fc.constantFrom(1337, 1000), runAsGroup: fc.constantFrom(1337, 2000) }), { nil: undefined }),
      ports: fc.option(fc.array(fc.record({ containerPort: fc.constantFrom(80, 3306, 4222, 8080), name: fc.option(fc.constantFrom('http', 'mysql', 'web'), { nil: undefined }) }), { maxLength: 2 }), { nil: undefined }),
    });
    const workload = fc.record({
      kind: fc.constantFrom('Deployment', 'StatefulSet', 'Job'),
      podLabels: labels,
      podSecurity: fc.option(fc.record({ runAsUser: fc.constantFrom(1337, 1000) }), { nil: undefined }),
      containers: fc.array(container, { minLength: 1, maxLength: 2 }),
    });
    const servicePort = fc.record({
      port: fc.constantFrom(80, 3306, 4222, 8080, 9000, 25),
      name: fc.option(fc.constantFrom('http', 'web', 'tcp-db', 'mysql', 'nats', 'grpc-api'), { nil: undefined }),
      appProtocol: fc.option(fc.constantFrom('http', 'thrift', 'tcp'), { nil: undefined }),
      targetPort: fc.option(fc.constantFrom(80, 3306, 8080, 'http'), { nil: undefined }),
    });
    const style = fc.constantFrom('block', 'flow', 'json');
    fc.assert(
      fc.property(workload, fc.array(servicePort, { minLength: 1, maxLength: 3 }), style, (generated, ports, format) => {
        const podTemplate = {
          metadata: generated.podLabels ? { labels: { ...generated.podLabels } } : { annotations: { note: 'x' } },
          spec: { ...(generated.podSecurity ? { securityContext: generated.podSecurity } : {}), containers: generated.containers.map((c) => stripUndefined(c)) },
        };
        const resources = [
          { apiVersion: generated.kind === 'Job' ? 'batch/v1' : 'apps/v1', kind: generated.kind, metadata: { name: 'app' }, spec: { template: podTemplate } },
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app' }, spec: { selector: { ...(generated.podLabels ?? { none: 'x' }) }, ports: ports.map((port) => stripUndefined(port)) } },
        ];
        const files: SourceFile[] =
          format === 'json'
            ? resources.map((resource, index) => ({ path: `r${index}.json`, text: `${JSON.stringify(resource, null, index === 0 ? 2 : undefined)}\n` }))
            : [{ path: 'all.yaml', text: resources.map((resource) => stringify(resource, { collectionStyle: format === 'flow' ? 'flow' : 'block' })).join('---\n') }];
        checkAllFixesTogether(files);
      }),
      { numRuns: 300 },
    );
  });
});

function stripUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
