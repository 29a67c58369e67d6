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
      expect.stringMatching(/^GET \/repos\/demo-org\/mesh-app\/compare\/[0-9a-f]{40}\.\.\.[0-9a-f]{40}$/),
      expect.stringMatching(/^GET \/repos\/demo-org\/mesh-app\/git\/trees\/[0-9a-f]{40}$/),
      expect.stringMatching(/^GET \/repos\/demo-org\/mesh-app\/git\/trees\/[0-9a-f]{40}$/),
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

  const demo = (name: string) =>
    spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'demo', '--base', join(ROOT, `fixtures/pull-requests/${name}/base`), '--head', join(ROOT, `fixtures/pull-requests/${name}/head`)], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });

  it('passes the pull request that sets runAsUser 1337 in a namespace Istio never injects', () => {
    const result = demo('disabled-namespace');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('1 changed files (k8s/cart.yaml modified)');
    expect(result.stdout).toContain('Check run "meshready": completed, conclusion success\n  No mesh readiness problems');
    expect(result.stdout).toContain('No review: no finding on the changed lines.');
  });

  it('fails the pull request that adopts Istio, naming the unchanged Deployment it breaks elsewhere', () => {
    const result = demo('adopt-istio');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('1 changed files (k8s/namespace.yaml modified)');
    // The repository gates on warnings (its .github/meshready.yml): Istio rates IST0144 a warning.
    expect(result.stdout).toContain('Check run "meshready": completed, conclusion failure\n  1 warning');
    expect(result.stdout).toContain('**What this change breaks elsewhere** (1 new finding outside the changed lines, each an annotation on its own file and line):\n  - `k8s/cart.yaml:17` **warning** `reserved-uid`');
    expect(result.stdout).toContain('Annotations (1):\n  k8s/cart.yaml:17 warning reserved-uid: Application runs as the sidecar UID 1337');
  });

  it('refuses --base without --head', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'demo', '--base', '.'], { encoding: 'utf8' });
    expect(result).toMatchObject({ status: 2, stderr: 'meshready: --base and --head go together\n' });
  });
});
