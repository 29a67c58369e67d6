import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ChangeAnalysis, ChangeInput } from '../../core/change.js';
import type { MeshreadyConfig } from '../../core/config.js';
import analyzeInThread from './analysis-worker.js';

let pool: Piscina | undefined;

/**
 * The engine on a worker thread, both commits of a change in one task (and its findings
 * compared there: the answer holds the head's report and what the change introduces, each
 * finding cloned once), so that two analyses of a 3,000-file repository never hold up
 * webhook intake or /healthz. Run from TypeScript sources (the tests), where no compiled
 * worker exists, it runs in place.
 */
export async function analyzeOffThread(input: ChangeInput, config: MeshreadyConfig): Promise<ChangeAnalysis> {
  if (import.meta.url.endsWith('.ts')) return analyzeInThread({ input, config });
  pool ??= new Piscina({
    filename: fileURLToPath(new URL('./analysis-worker.js', import.meta.url)),
    maxThreads: Math.max(1, availableParallelism() - 1),
    idleTimeout: 60_000,
  });
  return (await pool.run({ input, config })) as ChangeAnalysis;
}

export async function closeAnalysisThreads(): Promise<void> {
  await pool?.destroy();
  pool = undefined;
}
