import { afterAll, describe, expect, it } from 'vitest';
import { runTemplate } from '../src/cli/template.js';
import { CHARTS_DIR, checksGoldens, documentsOf, fixtureGoldens, fixtureRenders, helmArgs, masked, sameModuloMasks } from './support/fixture-charts.js';

/**
 * Every real chart under fixtures/charts/, with its defaults and each of its ci/ values
 * files, rendered by meshready and compared with what helm v4.1.4 printed for the same
 * arguments: document by document, parsed YAML equal, masked only where two runs of helm
 * differ (generated names and certificates).
 */

const renders = fixtureRenders();
const goldens = await fixtureGoldens(renders);
const identical: string[] = [];

function meshready(args: string[]): { stdout: string; stderr: string; code: number } {
  let stdout = '';
  let stderr = '';
  const [name, chart, ...rest] = args;
  const values = rest.filter((_, index) => index % 2 === 1);
  const code = runTemplate([name!, chart!], { values, set: [], setString: [], setJson: [], setFile: [], setLiteral: [], apiVersions: [], includeCrds: false, isUpgrade: false }, {
    cwd: CHARTS_DIR,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { stdout, stderr, code };
}

describe('real charts render as helm template renders them', () => {
  it('has every fixture chart and its ci/ values files to render', () => {
    expect(renders.length).toBeGreaterThanOrEqual(70);
  });

  for (const render of renders) {
    it(render.name, () => {
      const golden = goldens.get(render.name)!;
      const ours = meshready(helmArgs(render));
      if (golden.error !== undefined) {
        expect(ours.code).toBe(1);
        expect(ours.stderr.trim()).toBe(golden.error);
      } else if (Object.keys(golden.masks).length === 0) {
        expect(ours.stderr).toBe('');
        expect(ours.stdout).toBe(golden.stdout);
      } else if (!sameModuloMasks(ours.stdout, golden)) {
        // Show the first document that differs, as parsed YAML.
        const theirs = documentsOf(golden.stdout!);
        const mine = documentsOf(ours.stdout);
        const key = [...theirs.keys()].find((each) => JSON.stringify(masked(mine.get(each), golden.masks[each])) !== JSON.stringify(masked(theirs.get(each), golden.masks[each])));
        expect(key === undefined ? [...mine.keys()] : masked(mine.get(key), golden.masks[key]), key).toEqual(key === undefined ? [...theirs.keys()] : masked(theirs.get(key), golden.masks[key]));
      }
      identical.push(render.name);
    });
  }

  afterAll(() => {
    const against = checksGoldens() ? 'helm v4.1.4, run now (the goldens re-checked)' : 'the goldens of helm v4.1.4 (no helm here to re-check them: scripts/helm.sh)';
    console.log(`helm fidelity: ${identical.length} of ${renders.length} fixture renders identical to ${against} (${renders.length - identical.length} differ)`);
  });
});
