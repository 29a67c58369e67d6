import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runTemplate } from '../../src/cli/template.js';
import type { TemplateCommandOptions } from '../../src/cli/template.js';
import { ROOT } from '../helpers.js';
import { helmBinary } from './helm-goldens.js';

/**
 * What real helm's `helm template` prints for whole charts, kept as goldens, and what
 * `meshready template` prints for the same arguments in the same directory. A case is a
 * work directory — files written from the case (a chart, values files; a `.tgz` built from
 * nested files) or a directory of the repository copied in (`fixtures/charts/...`) — and
 * the arguments after `template`. `MESHREADY_HELM_GOLDENS=update` runs real helm
 * (scripts/helm.sh) and rewrites the suite's file under test/goldens/helm/charts/;
 * `=check` runs it and fails when the file differs; unset, the file is read as it is.
 */

/** A file of a case: text, or a chart archive built from these files (paths from the archive's root, `mychart/Chart.yaml`). */
export type CaseFile = string | { tgz: Record<string, CaseFile> };

export interface HelmChartCase {
  /** Unique within its suite. */
  name: string;
  /** Files of the work directory by path (`mychart/Chart.yaml`, `prod.yaml`, `mychart/charts/db-1.0.0.tgz`). */
  files?: Record<string, CaseFile>;
  /** A directory of the repository copied into the work directory under its base name. */
  directory?: string;
  /** The arguments after `template` (`['mychart']`, `['rel', 'mychart', '-f', 'prod.yaml', '--set', 'a=1']`). */
  args: string[];
}

export interface HelmChartOutcome {
  stdout: string;
  /** stderr from helm's `Error: ` line on (helm logs other lines before it), work-directory paths made relative. */
  error?: string;
  exitCode: number;
}

/** A chart's files under `root/`: Chart.yaml (apiVersion v2, version 0.1.0, plus `chartYaml`'s lines) and the rest by path from the chart's root. */
export function chartFiles(root: string, files: Record<string, CaseFile> = {}, chartYaml = ''): Record<string, CaseFile> {
  const name = root.split('/').at(-1)!;
  const out: Record<string, CaseFile> = { [`${root}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${chartYaml}` };
  for (const [path, content] of Object.entries(files)) out[`${root}/${path}`] = content;
  return out;
}

/** A ConfigMap manifest whose `data:` is `data` (lines indented by two). */
export function configMap(name: string, data: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}\n`;
}

const HELM_VERSION = 'v4.1.4';
const execFileAsync = promisify(execFile);

/** A tar header block (ustar; a name over 100 bytes split into prefix and name), for `typeflag` ('0' a file, 'x' PAX records, 'L' a GNU long name). */
function tarHeader(name: string, size: number, typeflag: string): Buffer {
  const header = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  header.write(base, 0, 100, 'utf8');
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write(typeflag, 156, 'latin1');
  header.write('ustar\x0000', 257, 'latin1');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

/** One tar entry: its header and its data padded to whole blocks. */
export function tarEntry(name: string, data: Buffer, typeflag = '0'): Buffer {
  return Buffer.concat([tarHeader(name, data.length, typeflag), data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** Entries gzipped into an archive, with the two zero blocks that end a tar. */
export function gzipTar(entries: Buffer[]): Buffer {
  return gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]), { level: 9 });
}

/** A gzipped ustar archive of the files, as `helm package` would write them (deterministic: no times, no owners). */
export function chartArchive(files: Record<string, CaseFile>): Buffer {
  return gzipTar(Object.entries(files).map(([name, content]) => tarEntry(name, typeof content === 'string' ? Buffer.from(content, 'utf8') : chartArchive(content.tgz))));
}

function writeCase(work: string, testCase: HelmChartCase): void {
  if (testCase.directory) cpSync(join(ROOT, testCase.directory), join(work, testCase.directory.split('/').at(-1)!), { recursive: true });
  for (const [path, content] of Object.entries(testCase.files ?? {})) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), typeof content === 'string' ? content : chartArchive(content.tgz));
  }
}

async function inWorkDirectory<T>(testCase: HelmChartCase, run: (work: string) => Promise<T>): Promise<T> {
  const work = mkdtempSync(join(tmpdir(), 'meshready-chart-'));
  try {
    writeCase(work, testCase);
    return await run(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function errorPart(stderr: string, work: string): string | undefined {
  const at = stderr.search(/^Error: /m);
  return at === -1 ? undefined : stderr.slice(at).split(`${work}/`).join('');
}

async function renderWithHelm(helm: string, testCase: HelmChartCase): Promise<HelmChartOutcome> {
  return inWorkDirectory(testCase, async (work) => {
    const home = join(work, '.helm-home');
    const env = { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home, KUBECONFIG: join(home, 'no-kubeconfig') };
    try {
      const { stdout } = await execFileAsync(helm, ['template', ...testCase.args], { cwd: work, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      return { stdout, exitCode: 0 };
    } catch (failure) {
      const { stdout, stderr, code } = failure as { stdout?: string; stderr?: string; code?: number };
      const error = errorPart(stderr ?? '', work);
      return { stdout: stdout ?? '', exitCode: typeof code === 'number' ? code : 1, ...(error !== undefined ? { error } : {}) };
    }
  });
}

/** The options `meshready template` parses from the arguments (the same flags, repeated as commander collects them). */
function commandLine(args: readonly string[]): { names: string[]; options: TemplateCommandOptions } {
  const options: TemplateCommandOptions = { values: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [], apiVersions: [], includeCrds: false, isUpgrade: false };
  const lists: Record<string, keyof TemplateCommandOptions> = {
    '-f': 'values',
    '--values': 'values',
    '--set': 'set',
    '--set-string': 'setString',
    '--set-json': 'setJson',
    '--set-file': 'setFile',
    '--set-literal': 'setLiteral',
    '-a': 'apiVersions',
    '--api-versions': 'apiVersions',
  };
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.startsWith('--') && args[i]!.includes('=') ? [args[i]!.slice(0, args[i]!.indexOf('=')), args[i]!.slice(args[i]!.indexOf('=') + 1)] : [args[i]!, undefined];
    const value = () => inline ?? args[++i]!;
    const list = lists[flag];
    if (list) (options[list] as string[]).push(value());
    else if (flag === '-n' || flag === '--namespace') options.namespace = value();
    else if (flag === '--kube-version') options.kubeVersion = value();
    else if (flag === '--include-crds') options.includeCrds = true;
    else if (flag === '--is-upgrade') options.isUpgrade = true;
    else if (flag.startsWith('-')) throw new Error(`helm-charts: flag ${flag} is not one meshready template takes`);
    else names.push(flag);
  }
  return { names, options };
}

/** What `meshready template` prints for the case, run in a work directory like helm's. */
export async function renderWithMeshready(testCase: HelmChartCase): Promise<HelmChartOutcome> {
  return inWorkDirectory(testCase, async (work) => {
    let stdout = '';
    let stderr = '';
    const { names, options } = commandLine(testCase.args);
    const exitCode = runTemplate(names, options, { cwd: work, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    const error = errorPart(stderr, work);
    return { stdout, exitCode, ...(error !== undefined ? { error } : {}) };
  });
}

/** A digest of a repository directory's files, so that a golden notices the directory changed. */
function directoryDigest(directory: string): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    for (const entry of readdirSync(path).sort()) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(`${relative(ROOT, full)}\0`).update(readFileSync(full)).update('\0');
    }
  };
  walk(join(ROOT, directory));
  return hash.digest('hex');
}

interface StoredCase extends HelmChartCase {
  digest?: string;
  outcome: HelmChartOutcome;
}

interface GoldenFile {
  helm: string;
  cases: Record<string, StoredCase>;
}

function stored(testCase: HelmChartCase, outcome: HelmChartOutcome): StoredCase {
  return { ...testCase, ...(testCase.directory ? { digest: directoryDigest(testCase.directory) } : {}), outcome };
}

async function renderAll(cases: readonly HelmChartCase[]): Promise<Map<string, HelmChartOutcome>> {
  const helm = helmBinary();
  const outcomes = new Map<string, HelmChartOutcome>();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const testCase = cases[next++]!;
      outcomes.set(testCase.name, await renderWithHelm(helm, testCase));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return outcomes;
}

/** What real helm prints for each case of a suite (see the module's comment for the modes). */
export async function helmChartGoldens(suite: string, cases: readonly HelmChartCase[]): Promise<Map<string, HelmChartOutcome>> {
  if (new Set(cases.map((testCase) => testCase.name)).size !== cases.length) throw new Error(`${suite}: case names repeat`);
  const path = join(ROOT, 'test/goldens/helm/charts', `${suite}.json`);
  const mode = process.env.MESHREADY_HELM_GOLDENS;
  const file: GoldenFile | undefined = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as GoldenFile) : undefined;
  if (mode === 'update' || mode === 'check') {
    const outcomes = await renderAll(cases);
    const fresh: GoldenFile = { helm: HELM_VERSION, cases: Object.fromEntries(cases.map((testCase) => [testCase.name, stored(testCase, outcomes.get(testCase.name)!)])) };
    const text = `${JSON.stringify(fresh, null, 1)}\n`;
    if (mode === 'update') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    } else if (!file || `${JSON.stringify(file, null, 1)}\n` !== text) {
      throw new Error(`${path} is not what helm ${HELM_VERSION} prints now: run the suite with MESHREADY_HELM_GOLDENS=update and review the difference`);
    }
    return outcomes;
  }
  if (!file) throw new Error(`${path} is missing: run the suite with MESHREADY_HELM_GOLDENS=update (needs scripts/helm.sh)`);
  const outcomes = new Map<string, HelmChartOutcome>();
  for (const testCase of cases) {
    const golden = file.cases[testCase.name];
    if (!golden || JSON.stringify(stored(testCase, golden.outcome)) !== JSON.stringify(golden)) {
      throw new Error(`${path}: case ${testCase.name} changed or is new: run the suite with MESHREADY_HELM_GOLDENS=update`);
    }
    outcomes.set(testCase.name, golden.outcome);
  }
  return outcomes;
}

/** A suite of cases, each an `it` comparing what `meshready template` prints with what helm printed. */
export function describeChartsAgainstHelm(title: string, suite: string, cases: readonly HelmChartCase[]): void {
  describe(title, async () => {
    const goldens = await helmChartGoldens(suite, cases);
    for (const testCase of cases) {
      it(testCase.name, async () => {
        expect(await renderWithMeshready(testCase)).toEqual(goldens.get(testCase.name));
      });
    }
  });
}
