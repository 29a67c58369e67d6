import { describe, expect, it } from 'vitest';
import { analyzeChange } from '../src/core/change.js';
import type { ChangeInput } from '../src/core/change.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { ParseCache } from '../src/core/parse-cache.js';
import { fixture } from './helpers.js';

const deployment = { path: 'k8s/cart.yaml', text: fixture('rules/reserved-uid/positive.yaml').text.replace('  name: ratings\n', '  name: ratings\n  namespace: shop\n') };
const namespace = (injection: string) => ({ path: 'k8s/namespace.yaml', text: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: ${injection}\n` });

function change(injection: string): ChangeInput {
  return {
    base: { files: [deployment, namespace('disabled')], charts: [], skipped: [] },
    head: { files: [deployment, namespace(injection)], charts: [], skipped: [] },
    changedPaths: ['k8s/namespace.yaml'],
  };
}

describe('parses kept across analyses', () => {
  it('parses a file the base and the head share once, and the next pull request parses only what it has not seen; the findings are those of no cache', () => {
    const cache = new ParseCache(1024 * 1024);
    const first = analyzeChange(change('enabled'), DEFAULT_CONFIG, cache);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 3 });
    expect(first).toEqual(analyzeChange(change('enabled'), DEFAULT_CONFIG));
    expect(first.reported.map((finding) => finding.ruleId)).toContain('reserved-uid');

    const next = analyzeChange(change('disabled'), DEFAULT_CONFIG, cache);
    // Both its commits hold only files seen before: nothing is parsed.
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 5, misses: 3 });
    expect(next).toEqual(analyzeChange(change('disabled'), DEFAULT_CONFIG));
  });

  it('keeps no more text than it is given room for, dropping the least recently used', () => {
    const cache = new ParseCache(deployment.text.length + 10);
    cache.parse(deployment, DEFAULT_CONFIG.limits);
    cache.parse(namespace('enabled'), DEFAULT_CONFIG.limits);
    cache.parse(deployment, DEFAULT_CONFIG.limits);
    // The Namespace pushed the Deployment out: it is parsed again.
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 0, misses: 3 });
    cache.parse(deployment, DEFAULT_CONFIG.limits);
    expect(cache.hits).toBe(1);
  });
});
