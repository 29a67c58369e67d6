#!/usr/bin/env node
// First: it sets how V8 optimises, before the other modules load and run.
import './tiering.js';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { CONFIG_PATH } from '../core/config.js';
import { STDIN_MAX_BYTES } from './files.js';
import { EXIT_USAGE, runLint } from './lint.js';
import type { LintOptions, OutputFormat } from './lint.js';
import { formatRules } from './formats/rules.js';
import type { TemplateCommandOptions } from './template.js';

// yaml's parser reads process.env.LOG_TOKENS for every token, and each read of the real
// process.env is a call into the C++ environment: on a plain copy a lint is ~15% faster.
// The CLI never changes its environment, so nothing is lost.
process.env = { ...process.env };

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

async function readStdin(maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function colourWanted(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

const EXIT_CODES = `
Exit codes:
  0  nothing reaches failOn (after --fix: nothing left reaches it; with --changed-since: nothing new reaches it)
  1  a finding reaches failOn (with --changed-since: a new one; or, with failOnSkipped / --fail-on-skipped, a file was skipped)
  2  a usage error, an unreadable file or config, or (with --error-on-unmatched-pattern) no file found`;

const LINT_HELP = `
With no path, the current directory is linted, recursively: the files the config's
paths globs include (default **/*.yaml, **/*.yml, **/*.json; not node_modules, vendor, or
.github), matched from the root of the directory's repository (or the directory itself).
A file named on the command line is checked whatever the globs say. "-" reads standard
input (up to ${STDIN_MAX_BYTES / (1024 * 1024)} MB: a whole kustomize build or helm template).

Config: ${CONFIG_PATH} in the current directory when present, or --config FILE
(rules and their levels, failOn, failOnSkipped, paths, kubernetesVersion: the target
cluster's, default v1.35.0, mesh facts, fixes: see the README).
--fail-on and --rule override it.

Helm charts (a directory holding Chart.yaml, met in a walk or holding a file named) are
rendered in-process as helm template v4.1.4 renders them, with their values.yaml and the
renders the config's helm.charts names (values files, --set, release name, namespace);
their files are not linted as manifests, and each finding is placed on the template or
values line that produced it. A chart that does not render is skipped with helm's error.
meshready template prints what was rendered.

--changed-since REF (in a git working tree; for pre-commit hooks and CI) lints the same
paths at REF too, read with git, with the same config, and reports only the findings
the working tree introduces: matched by rule, resource (kind, namespace, name) and place
in the object, not by file or line, so a moved file adds nothing, and a Namespace label
changed in one file reports the workload it breaks in another. The text output says how
many findings were already there. Not a git repository, or no such REF: exit 2.
${EXIT_CODES}

Environment:
  NO_COLOR     no colours in text output
  FORCE_COLOR  colours even when stdout is not a terminal

Examples:
  meshready lint k8s/
  kubectl kustomize overlays/prod | meshready lint -
  meshready lint --fix --rule version-label=off deploy/
  meshready lint --format sarif . > meshready.sarif
  meshready lint --changed-since origin/main k8s/`;

const TEMPLATE_HELP = `
Renders a Helm chart (a directory or a .tgz) as \`helm template\` v4.1.4 does and prints the
same output: no helm is run, nothing is executed, nothing talks to a cluster. Values come
from the chart, then -f files in order, then --set-json, --set, --set-string, --set-file
and --set-literal (helm's order). Capabilities are helm's offline defaults (Kubernetes
v1.35.0 and its API versions) unless --kube-version / --api-versions say otherwise.
On failure helm's error is printed as "Error: ..." on stderr and the exit code is 1.

Examples:
  meshready template ./charts/app
  meshready template prod ./charts/app -f values-prod.yaml --set image.tag=1.2.3 -n shop
  meshready template ./app-1.0.0.tgz --include-crds | meshready lint -`;

const program = new Command()
  .name('meshready')
  .description('Checks Kubernetes manifests for Istio service-mesh readiness')
  .version(version)
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  .addHelpText('after', `\nCommands: lint (the linter), rules (what it checks), template (a Helm chart rendered as helm template renders it), demo (the GitHub App against a fake GitHub).${EXIT_CODES}`);

program
  .command('lint')
  .description('lint manifest files, directories (recursively) or standard input (-)')
  .argument('[paths...]', `files, directories, or - for standard input (up to ${STDIN_MAX_BYTES / (1024 * 1024)} MB); none: the current directory`)
  .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
  .option('-c, --config <file>', `config file (default: ${CONFIG_PATH} when present)`)
  .addOption(new Option('--fail-on <level>', "the least severity that makes the exit code 1 (default: the config's failOn, error)").choices(['error', 'warning', 'notice', 'never']))
  .option('--rule <id=level>', 'a rule\'s level (error, warning, notice, off); repeatable (default: the config\'s)', (value: string, previous: string[]) => [...previous, value], [] as string[])
  .option('--fail-on-skipped', 'exit 1 when a file could not be checked (a template, binary, or over the size limit)', false)
  .option('--fix', 'write every safe fix to the files (for -: print the fixed text), then report what is left', false)
  .option('--fix-dry-run', 'print the safe fixes as a unified diff, write nothing', false)
  .option('--error-on-unmatched-pattern', 'exit 2 when the paths hold no YAML or JSON file (default: a notice, exit 0)', false)
  .option('--changed-since <ref>', 'report only the findings new since this git revision (a branch, tag or commit)')
  .option('--chart-ci-values', "render each Helm chart with each of its ci/*values.yaml too (default: the config's helm.ciValues)", false)
  .addHelpText('after', LINT_HELP)
  .action(
    async (
      paths: string[],
      options: {
        format: OutputFormat;
        config?: string;
        failOn?: LintOptions['failOn'];
        rule: string[];
        failOnSkipped: boolean;
        fix: boolean;
        fixDryRun: boolean;
        errorOnUnmatchedPattern: boolean;
        changedSince?: string;
        chartCiValues: boolean;
      },
    ) => {
      process.exitCode = await runLint(
        {
          paths,
          format: options.format,
          failOnSkipped: options.failOnSkipped,
          rules: options.rule,
          fix: options.fix,
          fixDryRun: options.fixDryRun,
          errorOnUnmatchedPattern: options.errorOnUnmatchedPattern,
          chartCiValues: options.chartCiValues,
          ...(options.config ? { config: options.config } : {}),
          ...(options.failOn ? { failOn: options.failOn } : {}),
          ...(options.changedSince !== undefined ? { changedSince: options.changedSince } : {}),
        },
        {
          cwd: process.cwd(),
          stdout: (text) => process.stdout.write(text),
          stderr: (text) => process.stderr.write(text),
          readStdin,
          colour: colourWanted(),
          progress: process.stderr.isTTY === true,
        },
        version,
      );
    },
  );

program
  .command('rules')
  .description('list the rules: id, default severity, whether fixable, the closest istioctl analyzer and the level Istio gives it, and the page that explains it')
  .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
  .action((options: { format: 'text' | 'json' }) => {
    process.stdout.write(formatRules(options.format, version));
  });

const collect = (value: string, previous: string[] = []) => [...previous, value];

program
  .command('template')
  .description('render a Helm chart as `helm template` v4.1.4 does, in-process (no helm is run)')
  .argument('<args...>', '[NAME] CHART: the release name (default release-name) and the chart, a directory or a .tgz')
  .option('-f, --values <file>', 'a values file (repeatable, or comma-separated)', collect)
  .option('--set <key=value>', 'set values on the command line (repeatable; key1=val1,key2=val2)', collect)
  .option('--set-string <key=value>', 'set STRING values on the command line (repeatable)', collect)
  .option('--set-json <key=json>', 'set JSON values on the command line (repeatable)', collect)
  .option('--set-file <key=path>', 'set values from files (repeatable)', collect)
  .option('--set-literal <key=value>', 'set a literal STRING value (repeatable)', collect)
  .option('-n, --namespace <namespace>', 'the release namespace (default: default)')
  .option('--kube-version <version>', 'Kubernetes version for Capabilities.KubeVersion (default: v1.35.0)')
  .option('-a, --api-versions <group/version>', 'API versions added to Capabilities.APIVersions (repeatable, or comma-separated)', collect)
  .option('--include-crds', 'include the CRDs of crds/ directories in the output')
  .option('--is-upgrade', 'set .Release.IsUpgrade instead of .Release.IsInstall')
  .addHelpText('after', TEMPLATE_HELP)
  .action(async (names: string[], given: Partial<TemplateCommandOptions>) => {
    // Loaded for this command alone: the Helm engine is most of the CLI's start-up.
    const { runTemplate } = await import('./template.js');
    const options: TemplateCommandOptions = {
      values: given.values ?? [],
      set: given.set ?? [],
      setString: given.setString ?? [],
      setJson: given.setJson ?? [],
      setFile: given.setFile ?? [],
      setLiteral: given.setLiteral ?? [],
      apiVersions: given.apiVersions ?? [],
      includeCrds: given.includeCrds === true,
      isUpgrade: given.isUpgrade === true,
      ...(given.namespace !== undefined ? { namespace: given.namespace } : {}),
      ...(given.kubeVersion !== undefined ? { kubeVersion: given.kubeVersion } : {}),
    };
    process.exitCode = runTemplate(names, options, {
      cwd: process.cwd(),
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
  });

function directoryOrExit(option: string, path: string | undefined): boolean {
  if (path === undefined) return true;
  const info = statSync(path, { throwIfNoEntry: false });
  if (info?.isDirectory()) return true;
  process.stderr.write(`meshready: ${option} ${path}: ${info ? 'not a directory' : 'no such directory'}\n`);
  process.exitCode = EXIT_USAGE;
  return false;
}

program
  .command('demo')
  .description('run the GitHub App against a loopback fake GitHub: a pull request from --base to --head (a built-in example by default)')
  .option('--base <dir>', "the pull request's base tree (default: a built-in example)")
  .option('--head <dir>', "the pull request's head tree (default: a built-in example)")
  .option('--requests <file>', 'write every API request the app made, as JSON lines')
  .addHelpText('after', '\nExit codes:\n  0  the check run completed\n  1  it did not complete in time\n  2  a usage error (a missing or unreadable directory)')
  .action(async (options: { base?: string; head?: string; requests?: string }) => {
    if ((options.base === undefined) !== (options.head === undefined)) {
      process.stderr.write('meshready: --base and --head go together\n');
      process.exitCode = EXIT_USAGE;
      return;
    }
    if (!directoryOrExit('--base', options.base) || !directoryOrExit('--head', options.head)) return;
    const { runDemo } = await import('../demo/run-demo.js');
    const example = (side: string) => fileURLToPath(new URL(`../../fixtures/demo/${side}`, import.meta.url));
    const result = await runDemo({
      baseDir: options.base ?? example('base'),
      headDir: options.head ?? example('head'),
      ...(options.requests ? { requestsFile: options.requests } : {}),
    });
    process.stdout.write(`${result.account}\n`);
    process.exitCode = result.checkRun ? 0 : 1;
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors; everything else commander refuses is a usage error.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    // One line, no stack: a person reads this, and the cause is in the message.
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`meshready: ${code ? '' : 'internal error: '}${(error as Error).message ?? String(error)}\n`);
    process.exitCode = EXIT_USAGE;
  }
}
