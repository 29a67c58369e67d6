import { describe, expect, it } from 'vitest';
import { chartOf, chartRoots } from '../src/core/chart-source.js';

describe('charts among the repository files', () => {
  it('finds each chart directory, its subcharts part of it', () => {
    expect(chartRoots(['a/Chart.yaml', 'a/charts/db/Chart.yaml', 'a/templates/x.yaml', 'b/c/Chart.yaml', 'Chart.yaml'].sort())).toEqual(['', 'a', 'b/c']);
    expect(chartRoots(['a/Chart.yaml', 'a/charts/db/Chart.yaml', 'a/tests/other/Chart.yaml'])).toEqual(['a', 'a/tests/other']);
  });

  it('gives a file to the innermost chart holding it', () => {
    expect(chartOf('a/charts/db/values.yaml', ['a', 'b/c'])).toBe('a');
    expect(chartOf('a/tests/other/values.yaml', ['a', 'a/tests/other'])).toBe('a/tests/other');
    expect(chartOf('k8s/x.yaml', ['a'])).toBeUndefined();
    expect(chartOf('k8s/x.yaml', [''])).toBe('');
  });
});
