import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/** The built binary, as a user runs it (`npm test` builds it first). */
function meshready(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CHART = 'fixtures/lint-charts/web';

describe('meshready lint renders the charts it finds', () => {
  it('reports on the template and values lines behind the render, not on the render', () => {
    const { code, stdout, stderr } = meshready(['lint', CHART]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toBe(
      `${CHART}/templates/deployment.yaml:13:7 notice version-label pod template has no version label (service.istio.io/canonical-revision, app.kubernetes.io/version, version): Istio reports every version of it as "latest" (suggested fix, a guess: add label version: 2.4.1)\n` +
        `${CHART}/templates/service.yaml:11:7 notice port-protocol Service port 80: has no name and no appProtocol is set, so Istio sniffs the protocol; set appProtocol (or name it <protocol>[-suffix]) (fix: add appProtocol: http (container port name "http"))\n` +
        `${CHART}/values.yaml:7:15 error reserved-gid pod runAsGroup 1337 is the Istio sidecar's GID: traffic of container "web" bypasses the proxy (no mTLS, no policy, no telemetry) (fix: set runAsGroup to 1000)\n` +
        '3 problems (1 error, 0 warnings, 2 notices) in 5 files (2 resources)\n',
    );
  });

  it('renders the chart of a values file or template named on the command line', () => {
    expect(meshready(['lint', `${CHART}/values.yaml`]).stdout).toContain(`${CHART}/values.yaml:7:15 error reserved-gid`);
  });

  it('carries the render a finding was found in, in JSON and SARIF', () => {
    const json = JSON.parse(meshready(['lint', '--format', 'json', CHART]).stdout) as { findings: { ruleId: string; file: string; rendered: unknown }[] };
    expect(json.findings.find((finding) => finding.ruleId === 'reserved-gid')).toMatchObject({
      file: `${CHART}/values.yaml`,
      rendered: { chart: CHART, values: null, template: 'web/templates/deployment.yaml', line: 21, column: 21 },
    });
    const sarif = JSON.parse(meshready(['lint', '--format', 'sarif', CHART]).stdout) as { runs: { results: { ruleId: string; properties?: unknown }[] }[] };
    expect(sarif.runs[0]!.results.find((result) => result.ruleId === 'reserved-gid')?.properties).toEqual({
      rendered: { chart: CHART, template: 'web/templates/deployment.yaml', line: 21, column: 21 },
    });
  });

  it('--fix edits the values file and the template, and the chart renders clean of what it fixed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshready-chart-'));
    cpSync(join(ROOT, CHART), join(dir, 'web'), { recursive: true });
    const fixed = meshready(['lint', '--fix', 'web'], dir);
    expect(fixed.stderr).toBe('meshready: fixed 2 problems in 2 files; 1 problem left\n');
    expect(readFileSync(join(dir, 'web/values.yaml'), 'utf8')).toContain('  runAsGroup: 1000\n');
    expect(readFileSync(join(dir, 'web/templates/service.yaml'), 'utf8')).toContain('      targetPort: http\n      appProtocol: http\n');
    expect(meshready(['lint', 'web'], dir)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^web\/templates\/deployment\.yaml:13:7 notice version-label .*\n1 problem \(0 errors, 0 warnings, 1 notice\)/) });
  });

  it("skips a chart that does not render with helm's reason, and fails only when asked to", () => {
    const collector = meshready(['lint', 'fixtures/charts/opentelemetry-collector']);
    expect(collector.stdout).toContain(
      "fixtures/charts/opentelemetry-collector/Chart.yaml skipped: chart not rendered: execution error at (opentelemetry-collector/templates/NOTES.txt:2:3): [ERROR] 'image.repository' must be set.",
    );
    expect(meshready(['lint', '--fail-on-skipped', 'fixtures/charts/opentelemetry-collector']).code).toBe(1);
  });
});
