import { analyzeChange } from '../../core/change.js';
import type { ChangeAnalysis, ChangeInput } from '../../core/change.js';
import type { MeshreadyConfig } from '../../core/config.js';
import { ParseCache } from '../../core/parse-cache.js';

/**
 * The thread's parses, kept from one analysis to the next: a pull request's base and head
 * share most files, and a repository's next pull request most of them again. 32 M units of
 * text (a few times that in memory once parsed): ten 3,000-manifest repositories.
 */
const parseCache = new ParseCache(32 * 1024 * 1024);

/** Runs in a worker thread (Piscina): the engine over both commits of a change, off the event loop that answers webhooks and probes. */
export default function analyzeInThread({ input, config }: { input: ChangeInput; config: MeshreadyConfig }): ChangeAnalysis {
  return analyzeChange(input, config, parseCache);
}
