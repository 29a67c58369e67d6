import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
import { GitHubContract } from './support/github-contract.js';

describe('meshready demo (built binary)', () => {
  it('runs the app on the built-in example and writes every API request, each one GitHub would take', () => {
    const requestsFile = join(mkdtempSync(join(tmpdir(), 'meshready-demo-')), 'requests.jsonl');
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'demo', '--requests', requestsFile], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Check run "meshready": completed, conclusion failure');
    expect(result.stdout).toContain('  k8s/ratings.yaml:18 (RIGHT)');
    expect(result.stdout).toContain('```suggestion\n            runAsUser: 1000 # same as the base image\'s user\n    ```');

    const requests = readFileSync(requestsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(requests.map((request: { method: string; path: string }) => `${request.method} ${request.path.split('?')[0]}`)).toEqual([
      'POST /app/installations/1/access_tokens',
      expect.stringMatching(/^GET \/repos\/demo-org\/mesh-app\/commits\/[0-9a-f]{40}\/check-runs$/),
      'POST /repos/demo-org/mesh-app/check-runs',
      'GET /repos/demo-org/mesh-app/contents/.github%2Fmeshready.yml',
      'GET /repos/demo-org/mesh-app/pulls/1/files',
      'POST /graphql',
      'GET /repos/demo-org/mesh-app/pulls/1/comments',
      'POST /repos/demo-org/mesh-app/pulls/1/reviews',
      'PATCH /repos/demo-org/mesh-app/check-runs/1000',
    ]);
    expect(new GitHubContract().checkAll(requests)).toEqual([]);
  });

  it('builds the pull request from --base and --head directories', () => {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'dist/cli/main.js'), 'demo', '--base', join(ROOT, 'fixtures/rules/reserved-uid'), '--head', join(ROOT, 'fixtures/rules/reserved-gid')],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Pull request #1 demo-org/mesh-app: 2 changed files (negative.yaml modified, positive.yaml modified)');
    expect(result.stdout).toContain('conclusion failure');
  });

  it('refuses --base without --head', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'demo', '--base', '.'], { encoding: 'utf8' });
    expect(result).toMatchObject({ status: 2, stderr: 'meshready: --base and --head go together\n' });
  });
});
