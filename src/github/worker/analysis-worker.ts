import { analyzeChange } from '../../core/change.js';
import type { ChangeAnalysis, ChangeInput } from '../../core/change.js';
import type { MeshreadyConfig } from '../../core/config.js';

/** Runs in a worker thread (Piscina): the engine over both commits of a change, off the event loop that answers webhooks and probes. */
export default function analyzeInThread({ input, config }: { input: ChangeInput; config: MeshreadyConfig }): ChangeAnalysis {
  return analyzeChange(input, config);
}
