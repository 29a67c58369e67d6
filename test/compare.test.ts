import { describe, expect, it } from 'vitest';
import { compareFindings, findingIdentity } from '../src/core/compare.js';
import type { Comparison } from '../src/core/compare.js';
import type { Finding, SourceFile } from '../src/core/types.js';
import { lint } from './helpers.js';

/** What a change introduces, from the findings of its base and its head, as the engine gives them. */

const namespace = (injection: 'enabled' | 'disabled') => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: ${injection}
`;

const deployment = (name: string, uid = 1337) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}, version: v1}
    spec:
      containers:
        - name: ${name}
          image: ${name}:1.0
          securityContext:
            runAsUser: ${uid}
`;

const files = (tree: Record<string, string>): SourceFile[] => Object.entries(tree).map(([path, text]) => ({ path, text }));
const findingsOf = (tree: Record<string, string>) => lint(files(tree)).findings;
/** `rule file:line`, what the assertions compare. */
const shown = (findings: Finding[]) => findings.map((finding) => `${finding.ruleId} ${finding.file}:${finding.span.startLine}`);
const summary = (comparison: Comparison) => ({
  reported: shown(comparison.reported),
  introduced: shown(comparison.introduced),
  existing: shown(comparison.existing),
  gone: shown(comparison.gone),
});

describe('finding identity', () => {
  it('holds the rule, the resource and the node path: not the file, not the line', () => {
    const [before] = findingsOf({ 'k8s/cart.yaml': deployment('cart') });
    const [moved] = findingsOf({ 'apps/shop/cart.yaml': `# moved here\n\n${deployment('cart')}` });
    expect(moved!.span.startLine).not.toBe(before!.span.startLine);
    expect(findingIdentity(moved!)).toBe(findingIdentity(before!));
    expect(findingIdentity(moved!)).toMatch(/^[0-9a-f]{20}$/);
    const [other] = findingsOf({ 'k8s/cart.yaml': deployment('orders') });
    expect(findingIdentity(other!)).not.toBe(findingIdentity(before!));
    const [elsewhere] = findingsOf({ 'k8s/cart.yaml': deployment('cart').replace('namespace: shop', 'namespace: billing') });
    expect(findingIdentity(elsewhere!)).not.toBe(findingIdentity(before!));
  });

  it('is the same for a resource taken out of a List into a document of its own', () => {
    const indented = deployment('cart').replace(/^/gm, '    ').trimStart();
    const [inList] = findingsOf({ 'k8s/all.yaml': `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n  - ${indented}` });
    expect(inList!.nodePath.slice(0, 2)).toEqual(['items', 1]);
    const [alone] = findingsOf({ 'k8s/cart.yaml': deployment('cart') });
    expect(findingIdentity(inList!)).toBe(findingIdentity(alone!));
  });

  it('for a parse error, which names no resource, is the file and the document: a broken file that moves is broken again', () => {
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [oops\n';
    const [here] = findingsOf({ 'k8s/broken.yaml': broken });
    expect(here!.ruleId).toBe('parse-error');
    expect(findingIdentity(findingsOf({ 'k8s/broken.yaml': `# a comment\n${broken}` })[0]!)).toBe(findingIdentity(here!));
    expect(findingIdentity(findingsOf({ 'other/broken.yaml': broken })[0]!)).not.toBe(findingIdentity(here!));
    expect(findingIdentity(findingsOf({ 'k8s/broken.yaml': `kind: ConfigMap\n---\n${broken}` })[0]!)).not.toBe(findingIdentity(here!));
  });
});

describe('compareFindings', () => {
  it('a moved file introduces nothing: its findings were there', () => {
    const base = findingsOf({ 'k8s/cart.yaml': deployment('cart') });
    const head = findingsOf({ 'apps/cart/deployment.yaml': deployment('cart') });
    expect(summary(compareFindings(base, head))).toEqual({
      reported: [],
      introduced: [],
      existing: ['reserved-uid apps/cart/deployment.yaml:17'],
      gone: [],
    });
  });

  it('a Namespace label turned on brings in the finding of a Deployment the change did not touch', () => {
    const base = findingsOf({ 'k8s/namespace.yaml': namespace('disabled'), 'k8s/cart.yaml': deployment('cart') });
    const head = findingsOf({ 'k8s/namespace.yaml': namespace('enabled'), 'k8s/cart.yaml': deployment('cart') });
    expect(base).toEqual([]);
    const changedFiles = new Set(['k8s/namespace.yaml']);
    for (const scope of [{ scope: 'new' as const }, { scope: 'changed-files' as const, changedFiles }, { scope: 'all' as const }]) {
      expect(summary(compareFindings(base, head, scope))).toEqual({
        reported: ['reserved-uid k8s/cart.yaml:17'],
        introduced: ['reserved-uid k8s/cart.yaml:17'],
        existing: [],
        gone: [],
      });
    }
  });

  it('matches as multisets: three alike on the base and four on the head make one new, the one in the file that gained it', () => {
    const tree = (copies: string[]) => Object.fromEntries(copies.map((copy) => [`envs/${copy}/cart.yaml`, deployment('cart')]));
    const base = findingsOf(tree(['dev', 'prod', 'staging']));
    const head = findingsOf(tree(['dev', 'prod', 'qa', 'staging']));
    expect(new Set([...base, ...head].map(findingIdentity)).size).toBe(1);
    const comparison = compareFindings(base, head);
    expect(summary(comparison)).toEqual({
      reported: ['reserved-uid envs/qa/cart.yaml:17'],
      introduced: ['reserved-uid envs/qa/cart.yaml:17'],
      existing: ['reserved-uid envs/dev/cart.yaml:17', 'reserved-uid envs/prod/cart.yaml:17', 'reserved-uid envs/staging/cart.yaml:17'],
      gone: [],
    });
    // Four down to three: one gone, none new.
    expect(summary(compareFindings(head, base))).toMatchObject({ introduced: [], gone: ['reserved-uid envs/qa/cart.yaml:17'] });
  });

  it('scopes: new reports what the change introduces; changed-files adds what was already in the files it touches; all reports everything', () => {
    const base = findingsOf({ 'k8s/cart.yaml': deployment('cart'), 'k8s/orders.yaml': deployment('orders'), 'k8s/billing.yaml': deployment('billing') });
    const head = findingsOf({
      'k8s/cart.yaml': `${deployment('cart')}---\n${deployment('wishlist')}`,
      'k8s/orders.yaml': deployment('orders'),
      'k8s/billing.yaml': deployment('billing', 1000),
    });
    const changedFiles = new Set(['k8s/cart.yaml', 'k8s/billing.yaml']);
    expect(summary(compareFindings(base, head))).toEqual({
      reported: ['reserved-uid k8s/cart.yaml:35'],
      introduced: ['reserved-uid k8s/cart.yaml:35'],
      existing: ['reserved-uid k8s/cart.yaml:17', 'reserved-uid k8s/orders.yaml:17'],
      gone: ['reserved-uid k8s/billing.yaml:17'],
    });
    expect(shown(compareFindings(base, head, { scope: 'changed-files', changedFiles }).reported)).toEqual(['reserved-uid k8s/cart.yaml:17', 'reserved-uid k8s/cart.yaml:35']);
    expect(shown(compareFindings(base, head, { scope: 'all' }).reported)).toEqual(['reserved-uid k8s/cart.yaml:17', 'reserved-uid k8s/cart.yaml:35', 'reserved-uid k8s/orders.yaml:17']);
  });

  it('against an empty base everything is new; with an empty head everything is gone', () => {
    const findings = findingsOf({ 'k8s/cart.yaml': deployment('cart') });
    expect(summary(compareFindings([], findings))).toMatchObject({ introduced: ['reserved-uid k8s/cart.yaml:17'], existing: [], gone: [] });
    expect(summary(compareFindings(findings, []))).toEqual({ reported: [], introduced: [], existing: [], gone: ['reserved-uid k8s/cart.yaml:17'] });
  });
});
