import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/** The action's lint step, run as the runner would run it. */
function runLintStep(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'meshready-action-'));
  const output = join(dir, 'output');
  const result = spawnSync('bash', [join(ROOT, 'scripts/action-lint.sh')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: output, MESHREADY_SARIF: join(dir, 'out.sarif'), ...env },
  });
  const sarifText = readFileSync(join(dir, 'out.sarif'), 'utf8');
  return { result, outputs: readFileSync(output, 'utf8'), sarif: sarifText ? JSON.parse(sarifText) : undefined };
}

describe('GitHub Action', () => {
  it('declares a composite action that uploads SARIF from the lint step', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps as { uses?: string; run?: string; id?: string; with?: Record<string, string> }[];
    expect(steps.find((step) => step.id === 'lint')?.run).toBe('bash "$GITHUB_ACTION_PATH/scripts/action-lint.sh"');
    expect(steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'))?.with?.sarif_file).toBe('${{ inputs.sarif-file }}');
  });

  it('writes SARIF and the exit code for findings, and passes on clean manifests', () => {
    const failing = runLintStep({ MESHREADY_PATHS: 'fixtures/rules/reserved-uid fixtures/rules/reserved-gid' });
    expect(failing.result.status).toBe(0);
    expect(failing.outputs).toBe('exit-code=1\n');
    expect(failing.sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId)).toEqual(['reserved-gid', 'reserved-uid', 'reserved-uid']);
    // reserved-uid is a warning (IST0144 is a Warning); reserved-gid, with no Istio message, an error.
    expect(failing.result.stdout).toContain('3 problems (1 error, 2 warnings, 0 notices)');

    const clean = runLintStep({ MESHREADY_PATHS: 'deploy' });
    expect(clean.outputs).toBe('exit-code=0\n');
    expect(clean.sarif.runs[0].results).toEqual([]);
  });

  it('does not let an input run as shell code', () => {
    const { outputs, result } = runLintStep({ MESHREADY_PATHS: 'deploy', MESHREADY_CONFIG: '$(touch /tmp/meshready-pwned)' });
    expect(outputs).toBe('exit-code=2\n');
    expect(result.stderr).toContain('meshready: $(touch /tmp/meshready-pwned): cannot read config (ENOENT)');
    expect(spawnSync('test', ['-e', '/tmp/meshready-pwned']).status).toBe(1);
  });
});
