import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectFilesAt } from '../src/cli/changed-since.js';
import { collectFiles } from '../src/cli/files.js';
import { runLint } from '../src/cli/lint.js';
import type { LintOptions } from '../src/cli/lint.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { ROOT } from './helpers.js';

/**
 * `meshready lint --changed-since REF` in real git repositories made here: only what the
 * working tree introduces since REF is reported, matched by identity, not by file.
 */

const scratch = mkdtempSync(join(tmpdir(), 'meshready-changed-since-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const GIT_ENV = { PATH: process.env.PATH ?? '', HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@example.com' };

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: GIT_ENV });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** A repository whose `main` holds these files, checked out with nothing changed yet. */
function repository(files: Record<string, string>, links: Record<string, string> = {}): string {
  const root = mkdtempSync(join(scratch, 'repo-'));
  git(root, 'init', '-q', '-b', 'main');
  write(root, files);
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(target, join(root, path));
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  return root;
}

async function lint(cwd: string, options: Partial<LintOptions> & { changedSince: string }) {
  let stdout = '';
  let stderr = '';
  const code = await runLint(
    { paths: [], format: 'text', ...options },
    { cwd, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), readStdin: async () => Buffer.alloc(0), colour: false, progress: false },
    '0.1.0',
  );
  return { code, stdout, stderr };
}

const namespace = (injection: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: ${injection}\n`;
const deployment = (name: string, gid = 1337) => `apiVersion: apps/v1
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
            runAsGroup: ${gid}
`;
const gidFinding = (file: string, name: string) =>
  `${file}:17:25 error reserved-gid container "${name}" runs with runAsGroup 1337, the Istio sidecar's GID: its traffic bypasses the proxy (no mTLS, no policy, no telemetry) (fix: set runAsGroup to 1000)\n`;
const head = (root: string) => git(root, 'rev-parse', 'HEAD').slice(0, 12);

describe('meshready lint --changed-since', () => {
  it('a moved file adds nothing: its finding was there', async () => {
    const root = repository({ 'k8s/cart.yaml': deployment('cart') });
    mkdirSync(join(root, 'apps'));
    renameSync(join(root, 'k8s/cart.yaml'), join(root, 'apps/cart.yaml'));
    expect(await lint(root, { changedSince: 'main' })).toEqual({
      code: 0,
      stdout: `no problems in 1 file (1 resource)\nsince main (${head(root)}): 1 problem already there, not shown\n`,
      stderr: '',
    });
  });

  it('a Namespace label turned on brings in the finding of the Deployment it did not touch', async () => {
    const root = repository({ 'k8s/namespace.yaml': namespace('disabled'), 'k8s/cart.yaml': deployment('cart') });
    write(root, { 'k8s/namespace.yaml': namespace('enabled') });
    expect(await lint(root, { changedSince: 'main' })).toEqual({
      code: 1,
      stdout: `${gidFinding('k8s/cart.yaml', 'cart')}1 problem (1 error, 0 warnings, 0 notices) in 2 files (2 resources)\nsince main (${head(root)}): 0 problems already there, not shown\n`,
      stderr: '',
    });
  });

  it('reports a new finding and not the one already there, in any format; the exit code follows the new ones only', async () => {
    const root = repository({ 'k8s/cart.yaml': deployment('cart'), 'k8s/billing.yaml': deployment('billing') });
    write(root, { 'k8s/orders.yaml': deployment('orders'), 'k8s/billing.yaml': deployment('billing', 1000) });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'orders');
    expect(await lint(root, { changedSince: 'main~1' })).toEqual({
      code: 1,
      stdout: `${gidFinding('k8s/orders.yaml', 'orders')}1 problem (1 error, 0 warnings, 0 notices) in 3 files (3 resources)\nsince main~1 (${git(root, 'rev-parse', 'main~1').slice(0, 12)}): 1 problem already there, not shown; 1 problem of main~1 gone\n`,
      stderr: '',
    });
    const json = await lint(root, { changedSince: 'main~1', format: 'json' });
    expect(JSON.parse(json.stdout).findings.map((finding: { file: string }) => finding.file)).toEqual(['k8s/orders.yaml']);
    const sarif = await lint(root, { changedSince: 'main~1', format: 'sarif' });
    expect(JSON.parse(sarif.stdout).runs[0].results.map((result: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => result.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(['k8s/orders.yaml']);
    // Nothing new since the last commit: exit 0, whatever was there before.
    expect(await lint(root, { changedSince: 'HEAD' })).toMatchObject({ code: 0, stdout: expect.stringContaining('2 problems already there, not shown') });
  });

  it('reads REF as the working tree is read: symbolic links followed, globs and paths applied, from a subdirectory', async () => {
    const root = repository(
      {
        'k8s/cart.yaml': deployment('cart'),
        'common/orders.yaml': deployment('orders'),
        'k8s/node_modules/x.yaml': deployment('x'),
        'k8s/notes.txt': 'not a manifest',
        'other/billing.yaml': deployment('billing'),
      },
      { 'k8s/alias.yaml': 'cart.yaml', 'k8s/common': '../common', 'k8s/loop': '.', 'k8s/dangling.yaml': 'nothing.yaml' },
    );
    // Unchanged: every finding of the working tree, links and all, is matched at REF.
    const unchanged = await lint(join(root, 'k8s'), { changedSince: 'main' });
    expect(unchanged).toMatchObject({ code: 0, stdout: expect.stringContaining('since main') });
    expect(unchanged.stdout).toContain('3 problems already there, not shown');
    const cwd = join(root, 'k8s');
    const config = DEFAULT_CONFIG;
    const paths = ['.', 'notes.txt', '../other/billing.yaml'];
    const working = await collectFiles(paths, config, cwd, async () => undefined);
    const atMain = collectFilesAt('main', paths, config, cwd);
    expect(atMain.files.map((file) => file.path)).toEqual(working.files.map((file) => file.path));
    expect(atMain.files.map((file) => file.path)).toEqual(['alias.yaml', 'cart.yaml', 'common/orders.yaml', `${root}/other/billing.yaml`]);
    expect(atMain.skipped).toEqual(working.skipped);
    expect(atMain.skipped).toEqual([
      { file: 'dangling.yaml', reason: 'symbolic link to nothing' },
      { file: 'loop', reason: 'symbolic link cycle: links back to a directory that contains it' },
      { file: 'notes.txt', reason: 'not a YAML or JSON file (by its name)' },
    ]);
    expect(atMain.files.map((file) => file.text)).toEqual(working.files.map((file) => file.text));
  });

  it('passes over a file over the size limit at REF by the size git lists', () => {
    const root = repository({ 'k8s/big.yaml': `# ${'x'.repeat(2_000)}\n${deployment('cart')}`, 'k8s/cart.yaml': deployment('cart') });
    const config = { ...DEFAULT_CONFIG, limits: { ...DEFAULT_CONFIG.limits, maxFileBytes: 1_000 } };
    const atMain = collectFilesAt('main', ['.'], config, root);
    expect(atMain.files.map((file) => file.path)).toEqual(['k8s/cart.yaml']);
    expect(atMain.skipped).toEqual([{ file: 'k8s/big.yaml', reason: expect.stringContaining('1000') }]);
    expect(atMain.commit).toBe(git(root, 'rev-parse', 'main'));
  });

  it('refuses, in one line and exit 2: a directory that is no git repository, an unknown REF, standard input, --fix', async () => {
    const plain = mkdtempSync(join(scratch, 'plain-'));
    write(plain, { 'cart.yaml': deployment('cart') });
    expect(await lint(plain, { changedSince: 'main' })).toEqual({ code: 2, stdout: '', stderr: `meshready: --changed-since main: ${plain} is not in a git repository\n` });
    const root = repository({ 'cart.yaml': deployment('cart') });
    expect(await lint(root, { changedSince: 'no-such-branch' })).toEqual({ code: 2, stdout: '', stderr: 'meshready: --changed-since no-such-branch: no such commit in this repository\n' });
    expect(await lint(root, { changedSince: '--output=/tmp/x' })).toMatchObject({ code: 2, stderr: 'meshready: --changed-since --output=/tmp/x: no such commit in this repository\n' });
    expect(await lint(root, { changedSince: 'main', paths: ['-'] })).toMatchObject({ code: 2, stderr: 'meshready: --changed-since compares files with git: it does not read standard input\n' });
    expect(await lint(root, { changedSince: 'main', fix: true })).toMatchObject({ code: 2, stderr: 'meshready: --changed-since does not go with --fix or --fix-dry-run\n' });
  });

  it('runs from the built binary, and --help says what it does', () => {
    const root = repository({ 'k8s/namespace.yaml': namespace('disabled'), 'k8s/cart.yaml': deployment('cart') });
    write(root, { 'k8s/namespace.yaml': namespace('enabled') });
    const run = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { cwd: root, encoding: 'utf8', env: GIT_ENV });
    const result = run(['lint', '--changed-since', 'main', 'k8s']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(`${gidFinding('k8s/cart.yaml', 'cart')}1 problem (1 error, 0 warnings, 0 notices) in 2 files (2 resources)\nsince main (${head(root)}): 0 problems already there, not shown\n`);
    const help = run(['lint', '--help']).stdout;
    expect(help).toContain('--changed-since <ref>');
    expect(help).toContain('meshready lint --changed-since origin/main k8s/');
  });
});
