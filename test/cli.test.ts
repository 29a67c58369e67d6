import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ROOT, lint } from './helpers.js';
import { applySafeFixes } from '../src/core/fix.js';
import { RULE_METAS } from '../src/core/rules/index.js';

// A CommonJS default export: under NodeNext its class sits on `.default`.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

/** Runs the built binary, as a user or another CI would. `npm test` builds it first. */
function meshready(args: string[], options: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('meshready lint (built binary)', () => {
  it('prints compiler-style lines and exits 1 on errors', () => {
    const { code, stdout, stderr } = meshready(['lint', 'fixtures/rules/reserved-gid/positive.yaml']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toBe(
      'fixtures/rules/reserved-gid/positive.yaml:22:25 error reserved-gid container "store" runs with runAsGroup 1337, the Istio sidecar\'s GID: its traffic bypasses the proxy (no mTLS, no policy, no telemetry) (fix: set runAsGroup to 1000)\n' +
        '1 problem (1 error, 0 warnings, 0 notices) in 1 file (1 resource)\n',
    );
  });

  it('exits 0 when nothing reaches failOn, and colours only when asked', () => {
    const plain = meshready(['lint', 'fixtures/rules/version-label/positive.yaml']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('\u001b[');
    const coloured = meshready(['lint', 'fixtures/rules/port-protocol/positive.yaml'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[33mwarning\u001b[39m');
  });

  it('walks directories, reads standard input, and reports skipped files', () => {
    const { code, stdout } = meshready(['lint', 'fixtures/parsing', '-', '--format', 'json'], {
      input: 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 9000}]}\n',
    });
    expect(code).toBe(1);
    const output = JSON.parse(stdout);
    expect(output.files).toBe(7);
    expect(output.resources).toBe(7);
    expect(output.skipped).toEqual([
      { file: 'fixtures/parsing/alias-bomb.yaml', reason: 'YAML alias expansion over 10000 nodes (alias bomb?)' },
      { file: 'fixtures/parsing/helm-template.yaml', reason: 'Go/Helm template ({{ }}) outside any chart (no Chart.yaml in its folders): render it first (meshready template) and lint the output' },
    ]);
    expect(output.findings.find((finding: { file: string }) => finding.file === '<stdin>')).toEqual({
      ruleId: 'port-protocol',
      severity: 'notice',
      message: 'Service port 9000: has no name and no appProtocol is set, so Istio sniffs the protocol; set appProtocol (or name it <protocol>[-suffix])',
      file: '<stdin>',
      line: 4,
      column: 16,
      endLine: 4,
      endColumn: 28,
      resource: { kind: 'Service', namespace: null, name: 's' },
      rendered: null,
      fingerprint: expect.stringMatching(/^[0-9a-f]{20}$/),
      docsUrl: 'https://github.com/meshready/meshready/blob/v0.1.0/docs/rules/port-protocol.md',
      fix: null,
    });
  });

  it('prints the fix of a finding in JSON', () => {
    const output = JSON.parse(meshready(['lint', 'fixtures/rules/reserved-gid/positive.yaml', '-f', 'json']).stdout);
    expect(output.findings[0].fix).toEqual({
      description: 'set runAsGroup to 1000',
      safe: true,
      edits: [{ file: 'fixtures/rules/reserved-gid/positive.yaml', startOffset: 388, endOffset: 392, newText: '1000' }],
    });
  });

  it('writes SARIF 2.1.0 that validates against the schema, with rules and fixes', () => {
    const { code, stdout } = meshready(['lint', 'fixtures/rules', 'fixtures/parsing', '--format', 'sarif']);
    expect(code).toBe(1);
    const sarif = JSON.parse(stdout);
    const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    // The schema's uri and date-time formats are checked, not ignored with a warning.
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual([
      'parse-error',
      'reserved-uid',
      'reserved-gid',
      'init-capabilities',
      'app-label',
      'version-label',
      'port-protocol',
      'reserved-port',
      'port-protocol-conflict',
      'target-port-conflict',
      'server-first-protocol',
      'external-name-port',
    ]);
    expect(run.tool.driver.rules[1]).toMatchObject({
      helpUri: 'https://github.com/meshready/meshready/blob/v0.1.0/docs/rules/reserved-uid.md',
      properties: { istioCode: 'IST0144', fixable: true },
    });
    const gid = run.results.find((result: { ruleId: string }) => result.ruleId === 'reserved-gid');
    expect(gid.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/rules/reserved-gid/positive.yaml' },
      region: { startLine: 22, startColumn: 25, endLine: 22, endColumn: 29 },
    });
    expect(gid.fixes[0].artifactChanges[0].replacements).toEqual([
      { deletedRegion: { charOffset: 388, charLength: 4 }, insertedContent: { text: '1000' } },
    ]);
    expect(run.invocations[0].toolExecutionNotifications).toHaveLength(2);
  });

  it('reads the config named by --config, and .github/meshready.yml by default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
    writeFileSync(join(dir, 'app.yaml'), readFileSync(join(ROOT, 'fixtures/rules/version-label/positive.yaml')));
    writeFileSync(join(dir, 'strict.yml'), 'failOn: notice\n');
    expect(meshready(['lint', 'app.yaml', '--config', 'strict.yml'], { cwd: dir }).code).toBe(1);
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/meshready.yml'), 'rules: {version-label: off}\nfailOn: notice\n');
    expect(meshready(['lint'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'no problems in 2 files (2 resources)\n' });
  });

  it("matches the globs from the linted directory's repository root, wherever it runs, and leaves vendor trees out", () => {
    const parent = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
    const pod = readFileSync(join(ROOT, 'fixtures/rules/reserved-gid/positive.yaml'));
    const write = (path: string, text: string | Buffer) => {
      mkdirSync(join(parent, path, '..'), { recursive: true });
      writeFileSync(join(parent, path), text);
    };
    // A workflow's ${{ }} would be a template; a Go module's vendored manifests are others'.
    write('repo/.github/workflows/ci.yml', 'on: push\njobs:\n  lint:\n    runs-on: ${{ matrix.os }}\n');
    write('repo/vendor/k8s.io/api/testdata/pod.yaml', pod);
    write('repo/k8s/legacy/pod.yaml', pod);
    write('repo/k8s/pod.yaml', pod);
    // A config's exclude list takes the defaults' place.
    write('strict.yml', 'paths: {exclude: ["**/vendor/**", ".github/**", "k8s/legacy/**"]}\n');
    const linted = (args: string[]) => {
      const { stdout } = meshready(['lint', ...args, '-f', 'json'], { cwd: parent });
      const report = JSON.parse(stdout) as { findings: { file: string }[]; skipped: unknown[] };
      return { files: [...new Set(report.findings.map((finding) => finding.file))], skipped: report.skipped };
    };
    // Not a repository: the directory named is the root.
    expect(linted(['repo'])).toEqual({ files: ['repo/k8s/legacy/pod.yaml', 'repo/k8s/pod.yaml'], skipped: [] });
    mkdirSync(join(parent, 'repo/.git'));
    expect(linted(['repo', '--config', 'strict.yml'])).toEqual({ files: ['repo/k8s/pod.yaml'], skipped: [] });
    // A directory inside the repository: the globs still read from the repository's root.
    expect(linted(['repo/k8s', '--config', 'strict.yml'])).toEqual({ files: ['repo/k8s/pod.yaml'], skipped: [] });
    // A file named is checked whatever the globs say.
    expect(linted(['repo/vendor/k8s.io/api/testdata/pod.yaml']).files).toEqual(['repo/vendor/k8s.io/api/testdata/pod.yaml']);
  });

  it('exits 2 with a message on usage and I/O errors', () => {
    expect(meshready(['lint', 'no/such/file.yaml'])).toMatchObject({ code: 2, stdout: '', stderr: 'meshready: no/such/file.yaml: no such file or directory\n' });
    expect(meshready(['lint', '--format', 'xml', 'fixtures'])).toMatchObject({ code: 2 });
    expect(meshready(['lint', '--frobnicate'])).toMatchObject({ code: 2 });
    const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
    writeFileSync(join(dir, 'bad.yml'), 'failOn: always\n');
    expect(meshready(['lint', '.', '--config', 'bad.yml'], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: 'meshready: bad.yml: invalid config:\n  failOn: must be one of error, warning, notice, never\n',
    });
  });

  it('skips a file over the size limit without reading it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
    writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(50 * 1024 * 1024, 'a'));
    const { code, stdout } = meshready(['lint', 'huge.yaml', '-f', 'json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).skipped).toEqual([{ file: 'huge.yaml', reason: 'file is 50.0 MB, over the 2.0 MB limit' }]);
  });

  describe('reads what kubectl reads', () => {
    const pod = ['apiVersion: v1', 'kind: Pod', 'metadata: {name: app, labels: {app: app, version: v1}}', 'spec:', '  containers:', '    - name: app', '      image: app:1', '      securityContext: {runAsUser: 1337}', ''];
    const findingsOf = (stdout: string) =>
      (JSON.parse(stdout) as { findings: { ruleId: string; file: string; line: number; fix: { safe: boolean } | null }[] }).findings;

    it('UTF-16 and UTF-32 with a byte order mark, CR line endings, and a UTF-8 BOM', () => {
      const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
      const text = pod.join('\n');
      const utf16be = Buffer.from(text, 'utf16le').swap16();
      const utf32le = Buffer.alloc(text.length * 4);
      [...text].forEach((char, index) => utf32le.writeUInt32LE(char.codePointAt(0)!, index * 4));
      writeFileSync(join(dir, 'utf16le.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      writeFileSync(join(dir, 'utf16be.yaml'), Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]));
      writeFileSync(join(dir, 'utf32le.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le]));
      writeFileSync(join(dir, 'cr.yaml'), pod.join('\r'));
      writeFileSync(join(dir, 'bom.yaml'), `\ufeff${text}`);
      const { code, stdout } = meshready(['lint', '.', '-f', 'json'], { cwd: dir });
      // reserved-uid is a warning, as Istio rates IST0144: below the default failOn.
      expect(code).toBe(0);
      expect(findingsOf(stdout).map((finding) => [finding.file, finding.ruleId, finding.line, finding.fix?.safe])).toEqual([
        ['bom.yaml', 'reserved-uid', 8, true],
        ['cr.yaml', 'reserved-uid', 8, true],
        // Writing these back would change their encoding: the fix is offered, not applied unattended.
        ['utf16be.yaml', 'reserved-uid', 8, false],
        ['utf16le.yaml', 'reserved-uid', 8, false],
        ['utf32le.yaml', 'reserved-uid', 8, false],
      ]);
    });

    it('passes over data files that are no manifests, and still reports broken manifests', () => {
      const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
      writeFileSync(join(dir, 'ratings_data.json'), '{rating: 5}\n{rating: 4}\n');
      writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: [x}\n');
      const { stdout } = meshready(['lint', '.', '-f', 'json'], { cwd: dir });
      expect(findingsOf(stdout).map((finding) => [finding.file, finding.ruleId])).toEqual([['broken.yaml', 'parse-error']]);
      expect(JSON.parse(stdout).skipped).toEqual([]);
    });

    it('follows symbolic links, once, and reports a cycle', () => {
      const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
      mkdirSync(join(dir, 'real'));
      writeFileSync(join(dir, 'real/pod.yaml'), pod.join('\n'));
      symlinkSync(join(dir, 'real'), join(dir, 'linked'));
      symlinkSync(join(dir, 'real/pod.yaml'), join(dir, 'real/alias.yaml'));
      symlinkSync(dir, join(dir, 'real/loop'));
      const asArgument = meshready(['lint', 'linked', '-f', 'json'], { cwd: dir });
      expect(asArgument.stderr).toBe('');
      expect(findingsOf(asArgument.stdout).map((finding) => finding.file)).toEqual(['linked/alias.yaml', 'linked/pod.yaml']);
      const walked = JSON.parse(meshready(['lint', 'real', '-f', 'json'], { cwd: dir }).stdout);
      expect(walked.findings.map((finding: { file: string }) => finding.file)).toEqual(['real/alias.yaml', 'real/pod.yaml']);
      expect(walked.skipped).toEqual([
        { file: 'real/loop/linked', reason: 'symbolic link cycle: links back to a directory that contains it' },
        { file: 'real/loop/real', reason: 'symbolic link cycle: links back to a directory that contains it' },
      ]);
    });

    it('reads standard input up to 64 MB, and fails on skipped files when asked', () => {
      const big = Buffer.from(`${pod.join('\n')}# ${'x'.repeat(3 * 1024 * 1024)}\n`);
      const piped = meshready(['lint', '-', '-f', 'json', '--fail-on', 'warning'], { input: big });
      expect(piped.code).toBe(1);
      expect(findingsOf(piped.stdout).map((finding) => finding.ruleId)).toEqual(['reserved-uid']);
      const chart = '{{- if .Values.enabled }}\napiVersion: v1\n{{- end }}\n';
      const lenient = meshready(['lint', '-'], { input: chart });
      expect(lenient).toMatchObject({ code: 0 });
      expect(lenient.stdout).toContain('<stdin> skipped: Go/Helm template');
      expect(meshready(['lint', '-', '--fail-on-skipped'], { input: chart }).code).toBe(1);
    });
  });

  describe('as people use linters', () => {
    const guessedAndSafe = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: api}',
      'spec:',
      '  template:',
      '    metadata:',
      '      labels: {app: api}',
      '    spec:',
      '      containers:',
      '        - name: api',
      '          image: api:2.0',
      '          securityContext:',
      '            runAsUser: 1337',
      '',
    ].join('\n');

    it('--fix writes every safe fix, leaves the guesses, and reports what is left; byte-exact as "Apply fixes"', () => {
      const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
      writeFileSync(join(dir, 'api.yaml'), guessedAndSafe);
      const { code, stdout, stderr } = meshready(['lint', '--fix', 'api.yaml'], { cwd: dir });
      expect(readFileSync(join(dir, 'api.yaml'), 'utf8')).toBe(guessedAndSafe.replace('runAsUser: 1337', 'runAsUser: 1000'));
      expect(stderr).toBe('meshready: fixed 1 problem in 1 file; 1 problem left\n');
      expect(stdout).toContain('notice version-label');
      expect(stdout).toContain('(suggested fix, a guess: add label version: "2.0")');
      expect(code).toBe(0);
    });

    it('--fix on standard input prints the fixed text; --fix-dry-run prints a diff and writes nothing', () => {
      const piped = meshready(['lint', '--fix', '-'], { input: guessedAndSafe });
      expect(piped.stdout).toBe(guessedAndSafe.replace('runAsUser: 1337', 'runAsUser: 1000'));
      const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
      writeFileSync(join(dir, 'api.yaml'), guessedAndSafe);
      const dry = meshready(['lint', '--fix-dry-run', 'api.yaml'], { cwd: dir });
      expect(readFileSync(join(dir, 'api.yaml'), 'utf8')).toBe(guessedAndSafe);
      expect(dry.stdout).toContain('--- a/api.yaml\n+++ b/api.yaml\n');
      expect(dry.stdout).toContain('-            runAsUser: 1337\n+            runAsUser: 1000\n');
      expect(dry.stderr).toBe('meshready: would fix 1 problem in 1 file; 1 problem left\n');
    });

    it('--fix gives, on every fixture, byte for byte the text "Apply fixes" commits', () => {
      const fixtures = ['rules', 'parsing', 'istio-samples', 'istio-analyzers'].flatMap((directory) =>
        readdirSync(join(ROOT, 'fixtures', directory), { recursive: true, encoding: 'utf8' })
          .filter((name) => /\.(ya?ml|json)$/.test(name))
          .map((name) => `fixtures/${directory}/${name}`),
      );
      expect(fixtures.length).toBeGreaterThan(30);
      let changed = 0;
      for (const path of fixtures) {
        const text = readFileSync(join(ROOT, path), 'utf8');
        const committed = applySafeFixes(lint([{ path: '<stdin>', text }]).findings, new Map([['<stdin>', text]])).files.get('<stdin>') ?? text;
        if (committed !== text) changed++;
        expect(meshready(['lint', '--fix', '-'], { input: text }).stdout, path).toBe(committed);
      }
      expect(changed).toBeGreaterThan(5);
      // A process for each of some seventy fixtures: on a busy two-core machine that takes a while.
    }, 180_000);

    it('--fail-on and --rule override the config from the command line', () => {
      const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
      writeFileSync(join(dir, 'api.yaml'), guessedAndSafe);
      expect(meshready(['lint', 'api.yaml', '--rule', 'reserved-uid=off'], { cwd: dir }).code).toBe(0);
      expect(meshready(['lint', 'api.yaml', '--rule', 'reserved-uid=off', '--fail-on', 'notice'], { cwd: dir }).code).toBe(1);
      expect(meshready(['lint', 'api.yaml', '--rule', 'reserved-uid=loud'], { cwd: dir })).toMatchObject({
        code: 2,
        stderr: 'meshready: --rule reserved-uid=loud: expected <rule>=<error|warning|notice|off>\n',
      });
      expect(meshready(['lint', 'api.yaml', '--rule', 'no-such=off'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'meshready: --rule no-such=off: unknown rule "no-such" (meshready rules lists them)\n' });
    });

    it('meshready rules lists every rule, in text and JSON', () => {
      const text = meshready(['rules']).stdout;
      expect(text).toContain('reserved-uid            warning  fixable  IST0144  Warning  Application runs as the sidecar UID 1337');
      expect(text).toContain('port-protocol           notice   fixable  IST0118  Info     Service port declares no protocol Istio knows');
      const json = JSON.parse(meshready(['rules', '--format', 'json']).stdout) as {
        rules: { id: string; severity: string; fixable: boolean; istioCode: string | null; istioLevel: string | null; docsUrl: string }[];
      };
      expect(json.rules.map((rule) => rule.id)).toEqual(RULE_METAS.map((meta) => meta.id));
      expect(json.rules.find((rule) => rule.id === 'external-name-port')).toMatchObject({ severity: 'warning', fixable: false, istioCode: 'IST0150', istioLevel: 'Warning' });
      expect(json.rules.find((rule) => rule.id === 'server-first-protocol')).toMatchObject({ severity: 'warning', istioCode: null, istioLevel: null });
    });

    it('says so when the paths hold no manifest, and names a file that is not YAML or JSON', () => {
      const dir = mkdtempSync(join(tmpdir(), 'meshready-cli-'));
      expect(meshready(['lint'], { cwd: dir })).toMatchObject({ code: 0, stderr: 'meshready: no YAML or JSON files in .\n' });
      expect(meshready(['lint', '--error-on-unmatched-pattern'], { cwd: dir }).code).toBe(2);
      writeFileSync(join(dir, 'README.md'), '# hello\n');
      expect(meshready(['lint', 'README.md'], { cwd: dir }).stdout).toBe('README.md skipped: not a YAML or JSON file (by its name)\nno problems in 1 file (0 resources), 1 skipped\n');
    });

    it('help names the default path, exit codes, config and environment; errors are one line', () => {
      const help = meshready(['lint', '--help']).stdout;
      for (const text of ['With no path, the current directory is linted', 'Exit codes:', '.github/meshready.yml', 'NO_COLOR', '--fail-on <level>', '--rule <id=level>', '--fix', 'up to 64 MB']) expect(help).toContain(text);
      expect(meshready(['demo', '--base', '/nope', '--head', 'fixtures'])).toMatchObject({ code: 2, stderr: 'meshready: --base /nope: no such directory\n' });
      expect(meshready(['demo', '--base', 'fixtures', '--head', 'README.md'])).toMatchObject({ code: 2, stderr: 'meshready: --head README.md: not a directory\n' });
    });
  });
});
