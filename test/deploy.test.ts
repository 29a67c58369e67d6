import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, lint } from './helpers.js';

describe('deploy/ manifests of meshready itself', () => {
  it('pass meshready lint with no finding at all', () => {
    const files = readdirSync(join(ROOT, 'deploy')).map((name) => ({ path: `deploy/${name}`, text: readFileSync(join(ROOT, 'deploy', name), 'utf8') }));
    const report = lint(files);
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.stats.resources).toBe(8);
  });
});
