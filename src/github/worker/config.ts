import { CONFIG_PATH, resolveConfig } from '../../core/config.js';
import type { ConfigResult } from '../../core/config.js';
import { failureOf } from '../failures.js';
import type { Octokit, PullRequestTarget } from '../types.js';

/**
 * The repo's config, read with Probot's loader (the repo's file, `_extends`, the org's
 * `.github` repo) and validated. A loader that fails for good (unreadable YAML, GitHub
 * refusing, a hostile file the client turned away) is a config error too; one GitHub may
 * cure is thrown, for the job's next try.
 */
export async function readConfig(octokit: Octokit, target: PullRequestTarget): Promise<ConfigResult> {
  let raw: unknown;
  try {
    const { config, files } = await octokit.config.get({ owner: target.owner, repo: target.repo, path: CONFIG_PATH });
    raw = files.some((file) => file.config !== null) ? config : null;
  } catch (error) {
    const failure = failureOf(error);
    if (failure.kind === 'transient') throw error;
    return { ok: false, errors: [failure.reason] };
  }
  return resolveConfig(raw);
}
