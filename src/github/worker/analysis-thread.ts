import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { analyze } from '../../core/analyze.js';
import type { MeshreadyConfig } from '../../core/config.js';
import type { AnalysisReport, SourceFile } from '../../core/types.js';

let pool: Piscina | undefined;

/**
 * The engine on a worker thread, so a 2 MB manifest with thousands of findings never holds
 * up webhook intake or /healthz. Run from TypeScript sources (the tests), where no compiled
 * worker exists, it runs in place.
 */
export async function analyzeOffThread(files: SourceFile[], config: MeshreadyConfig): Promise<AnalysisReport> {
  if (import.meta.url.endsWith('.ts')) return analyze(files, config);
  pool ??= new Piscina({
    filename: fileURLToPath(new URL('./analysis-worker.js', import.meta.url)),
    maxThreads: Math.max(1, availableParallelism() - 1),
    idleTimeout: 60_000,
  });
  return (await pool.run({ files, config })) as AnalysisReport;
}

export async function closeAnalysisThreads(): Promise<void> {
  await pool?.destroy();
  pool = undefined;
}
