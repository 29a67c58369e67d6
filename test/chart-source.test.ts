import { describe, expect, it } from 'vitest';
import { chartOf } from '../src/core/chart-source.js';
import { pathMatcher } from '../src/core/config.js';
import { RepositoryTree, walkTree } from '../src/core/repository-tree.js';
import type { WalkOutput } from '../src/core/repository-tree.js';

describe('charts among the repository files', () => {
  it('takes each chart directory whole where the walk meets it, its subcharts and stray files part of it, as the CLI does on disk', () => {
    const paths = [
      'Chart.yaml',
      'a/Chart.yaml',
      'a/charts/db/Chart.yaml',
      'a/templates/_helpers.tpl',
      'a/tests/other/Chart.yaml',
      'b/c/Chart.yaml',
      'b/c/README.md',
      'vendor/x/Chart.yaml',
      'k8s/pod.yaml',
    ];
    const leaves = new Map(paths.map((path, index) => [path, { mode: '100644', sha: String(index), size: 1 }]));
    const tree = new RepositoryTree(leaves, new Map());
    const out: Required<WalkOutput> = { files: [], skipped: [], charts: [] };
    walkTree(tree, 'b', { isIncluded: pathMatcher({ include: ['**/*.yaml'], exclude: ['vendor/**'] }) }, out);
    expect(out.charts.map((chart) => [chart.root, chart.files.map((file) => file.shown)])).toEqual([['b/c', ['b/c/Chart.yaml', 'b/c/README.md']]]);

    const whole: Required<WalkOutput> = { files: [], skipped: [], charts: [] };
    walkTree(tree, '', { isIncluded: pathMatcher({ include: ['**/*.yaml'], exclude: ['vendor/**'] }) }, whole);
    // The repository's top is itself a chart: everything is its.
    expect(whole.charts.map((chart) => chart.root)).toEqual(['']);
    expect(whole.charts[0]!.files.map((file) => file.shown)).toEqual([...paths].sort());

    const k8s: Required<WalkOutput> = { files: [], skipped: [], charts: [] };
    walkTree(new RepositoryTree(new Map([...leaves].filter(([path]) => path !== 'Chart.yaml')), new Map()), '', { isIncluded: pathMatcher({ include: ['**/*.yaml'], exclude: ['vendor/**'] }) }, k8s);
    expect(k8s.charts.map((chart) => [chart.root, chart.files.length])).toEqual([
      ['a', 4],
      ['b/c', 2],
    ]);
    // A chart the globs exclude is no chart of the repository's.
    expect(k8s.files.map((file) => file.shown)).toEqual(['k8s/pod.yaml']);
  });

  it('gives a file to the innermost chart holding it', () => {
    expect(chartOf('a/charts/db/values.yaml', ['a', 'b/c'])).toBe('a');
    expect(chartOf('a/tests/other/values.yaml', ['a', 'a/tests/other'])).toBe('a/tests/other');
    expect(chartOf('k8s/x.yaml', ['a'])).toBeUndefined();
    expect(chartOf('k8s/x.yaml', [''])).toBe('');
  });
});
