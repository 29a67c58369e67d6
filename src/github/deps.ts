import { resolveConfig } from '../core/config.js';
import type { ConfigResult } from '../core/config.js';
import { describeError } from './errors.js';
import type { Logger, Octokit } from './types.js';

export interface AnalysisDeps {
  octokit: Octokit;
  log: Logger;
  /** The repo's config object (Probot's loader, with org-wide defaults), or null when there is none. */
  loadConfig: () => Promise<unknown>;
}

/** The repo's config, validated; a loader failure (unreadable YAML, GitHub refusing) is a config error too. */
export async function loadConfig(deps: AnalysisDeps): Promise<ConfigResult> {
  let raw: unknown;
  try {
    raw = await deps.loadConfig();
  } catch (error) {
    return { ok: false, errors: [describeError(error)] };
  }
  return resolveConfig(raw);
}
