import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/** `meshready template` as a user runs it: the built binary (`npm test` builds it first), in a directory holding a chart. */
const work = mkdtempSync(join(tmpdir(), 'meshready-template-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(work, path, '..'), { recursive: true });
    writeFileSync(join(work, path), text);
  }
}

function meshready(args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

write({
  'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'app/values.yaml': 'replicas: 1\n',
  'app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n',
  'prod.yaml': 'replicas: 3\n',
});

describe('meshready template (built binary)', () => {
  it('prints what helm template prints, with the release name, namespace, values files and --set', () => {
    const { code, stdout, stderr } = meshready(['template', 'web', 'app', '-n', 'shop', '-f', 'prod.yaml', '--set', 'replicas=5']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: shop\ndata:\n  replicas: "5"\n');
  });

  it("prints helm's error on stderr and exits 1, as helm does", () => {
    const missing = meshready(['template', 'app', '-f', 'nope.yaml']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'Error: open nope.yaml: no such file or directory\n' });
    const required = meshready(['template', 'app', '--set', 'replicas']);
    expect(required).toEqual({ code: 1, stdout: '', stderr: 'Error: failed parsing --set data: key "replicas" has no value\n' });
  });

  it('reads the chart directory as helm walks it: links followed, a FIFO refused (outputs from helm v4.1.4)', () => {
    write({
      'linked/Chart.yaml': 'apiVersion: v2\nname: linked\nversion: 0.1.0\n',
      'linked/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n{{- range $p, $_ := .Files }}\n  {{ $p | replace "/" "_" }}: {{ $.Files.Get $p | quote }}\n{{- end }}\n',
      'shared/b.txt': 'b\n',
      'shared/files/a.txt': 'x: 1\n',
    });
    symlinkSync('../shared/b.txt', join(work, 'linked/b.txt'));
    symlinkSync('../shared/files', join(work, 'linked/files'));
    expect(meshready(['template', 'linked'])).toEqual({
      code: 0,
      stdout: '---\n# Source: linked/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  b.txt: "b\\n"\n  files_a.txt: "x: 1\\n"\n',
      stderr: '',
    });
    spawnSync('mkfifo', [join(work, 'linked/fifo')]);
    expect(meshready(['template', 'linked'])).toEqual({ code: 1, stdout: '', stderr: `Error: cannot load irregular file ${join(work, 'linked/fifo')} as it has file mode type bits set\n` });
  });

  it('says in its help that no helm is run, and lists its options', () => {
    const { code, stdout } = meshready(['template', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('no helm is run');
    for (const option of ['--values', '--set', '--set-string', '--set-json', '--set-file', '--set-literal', '--namespace', '--kube-version', '--api-versions', '--include-crds']) expect(stdout).toContain(option);
    expect(meshready(['--help']).stdout).toContain('template (a Helm chart rendered as helm template renders it)');
  });
});
