import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/**
 * The command as a user gets it: `npm pack`, then `npm install -g` of the tarball into a
 * prefix of its own (from npm's cache, which `npm ci` filled), then `meshready` from its bin.
 */
describe('the installable command', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'meshready-prefix-'));
  const packed = mkdtempSync(join(tmpdir(), 'meshready-pack-'));
  const npm = (args: string[]) => execFileSync('npm', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('npm pack gives a tarball that npm install -g turns into a working meshready', () => {
    // --ignore-scripts: `npm test` has just built dist/, and prepare would build it again.
    npm(['pack', '--ignore-scripts', '--pack-destination', packed]);
    const tarball = join(packed, readdirSync(packed).find((name) => name.endsWith('.tgz'))!);
    npm(['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund']);
    const meshready = join(prefix, 'bin', 'meshready');
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(spawnSync(meshready, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(version);
    const lint = spawnSync(meshready, ['lint', join(ROOT, 'fixtures/rules/reserved-gid/positive.yaml')], { encoding: 'utf8' });
    expect(lint.status).toBe(1);
    expect(lint.stdout).toContain('error reserved-gid');
    // The rule pages travel with it.
    expect(spawnSync(meshready, ['rules', '--format', 'json'], { encoding: 'utf8' }).status).toBe(0);
  }, 120_000);

  it('the pre-commit hook runs that command on the files it selects', () => {
    const [hook] = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; files: string; language: string }[];
    expect(hook).toMatchObject({ id: 'meshready', entry: 'meshready lint', language: 'node' });
    const selected = ['k8s/deploy.yaml', 'README.md', 'svc.json', 'chart/values.yml'].filter((file) => new RegExp(hook!.files).test(file));
    expect(selected).toEqual(['k8s/deploy.yaml', 'svc.json', 'chart/values.yml']);
    const [command, ...args] = hook!.entry.split(' ');
    const run = spawnSync(join(prefix, 'bin', command!), [...args, join(ROOT, 'fixtures/rules/reserved-uid/negative.yaml')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
  });
});
