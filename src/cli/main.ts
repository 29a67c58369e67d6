#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { EXIT_USAGE, runLint } from './lint.js';
import type { OutputFormat } from './lint.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function colourWanted(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

const program = new Command()
  .name('meshready')
  .description('Checks Kubernetes manifests for Istio service-mesh readiness')
  .version(version)
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

program
  .command('lint')
  .description('lint manifest files, directories (recursively) or standard input (-)')
  .argument('[paths...]', 'files, directories or - for standard input', [])
  .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
  .option('-c, --config <file>', `config file (default: ${'.github/meshready.yml'} when present)`)
  .action(async (paths: string[], options: { format: OutputFormat; config?: string }) => {
    process.exitCode = await runLint(
      { paths, format: options.format, ...(options.config ? { config: options.config } : {}) },
      {
        cwd: process.cwd(),
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        readStdin,
        colour: colourWanted(),
      },
      version,
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors; everything else commander refuses is a usage error.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    process.stderr.write(`meshready: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT_USAGE;
  }
}
