import { analyze } from '../../core/analyze.js';
import type { MeshreadyConfig } from '../../core/config.js';
import type { AnalysisReport, SourceFile } from '../../core/types.js';

/** Runs in a worker thread (Piscina): the engine, off the event loop that answers webhooks and probes. */
export default function analyzeInThread({ files, config }: { files: SourceFile[]; config: MeshreadyConfig }): AnalysisReport {
  return analyze(files, config);
}
