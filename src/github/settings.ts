import { getPrivateKey } from '@probot/get-private-key';
import type { Options as ProbotOptions } from 'probot';
import { WRITES_PER_HOUR, WRITES_PER_MINUTE } from './budgets.js';

/** GitHub caps a webhook payload at 25 MB: a larger body is no delivery of GitHub's. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/**
 * Everything the service takes from its environment, read once at start (`readSettings`)
 * and passed down: no module below reads the environment.
 */
export interface Settings {
  /** Probot's own: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL, LOG_*, SENTRY_DSN, REDIS_URL. */
  probot: ProbotOptions;
  server: { port: number; host: string };
  intake: IntakeSettings;
  /** Jobs, locks and budgets shared by every replica through Redis; a queue in the process without it. */
  redisUrl: string | undefined;
  /** `intake` answers webhooks and queues jobs but runs none (MESHREADY_ROLE=intake, with REDIS_URL). */
  role: 'all' | 'intake';
  queue: QueueSettings;
  /** How long SIGTERM waits for running jobs: inside the pod's grace period in deploy/ (60 s). */
  drainMs: number;
  github: GitHubSettings;
  reading: ReadingSettings;
  /** Off when the app is installed without `contents: write` (MESHREADY_APPLY_FIXES=off): no button, the review's suggestions remain. */
  applyFixes: boolean;
}

export interface IntakeSettings {
  webhookSecret: string;
  maxBytes: number;
  /** How long a delivery's body may take to arrive (MESHREADY_WEBHOOK_BODY_TIMEOUT_MS). */
  bodyTimeMs: number;
}

export interface QueueSettings {
  /** Jobs a replica runs at once. */
  concurrency: number;
  /** Tries of a job whose failure may pass (GitHub's 5xx, rate limits, dropped connections). */
  attempts: number;
  /** First retry delay; it doubles with each attempt. */
  backoffMs: number;
  /** How long a lock outlives a worker that stopped renewing it (killed, frozen). */
  lockTtlMs: number;
}

export interface GitHubSettings {
  /** How long one request may take once sent: a hung request must not hang a check run. */
  timeoutMs: number;
  /**
   * Content-creating requests an installation may make (MESHREADY_WRITES_PER_MINUTE,
   * MESHREADY_WRITES_PER_HOUR): GitHub.com's secondary limits by default; a GitHub Enterprise
   * Server's administrator sets its own.
   */
  writesPerMinute: number;
  writesPerHour: number;
}

/** The blob cache's bounds (worker/blob-cache.ts). */
export interface BlobCacheSettings {
  /** Bytes the process keeps (MESHREADY_BLOB_CACHE_MB). */
  memoryBytes: number;
  /** Bytes kept in Redis for every replica (MESHREADY_REDIS_BLOB_CACHE_MB), with REDIS_URL. */
  redisBytes: number;
  /** How long a blob stays in Redis after it was last used (MESHREADY_BLOB_CACHE_TTL_S). */
  redisTtlMs: number;
}

/** How much of a repository an analysis reads, and the blob cache's bounds. */
export interface ReadingSettings {
  /** The most files and bytes read of a head (MESHREADY_MAX_REPOSITORY_FILES, MESHREADY_MAX_REPOSITORY_MB); the base is read at the same paths. */
  budget: { files: number; bytes: number };
  cache: BlobCacheSettings;
}

type Environment = Record<string, string | undefined>;

const MB = 1024 * 1024;

/** A positive number from the environment, or the default when it is unset or not one. */
function positiveNumber(env: Environment, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

function logLevelOf(value: string | undefined): NonNullable<ProbotOptions['logLevel']> {
  return LOG_LEVELS.find((level) => level === value) ?? 'warn';
}

/** Probot's options from its variables, as `probot run` and `createProbot` read them. */
function probotOptions(env: Environment, webhookSecret: string, redisUrl: string | undefined): ProbotOptions {
  let privateKey: string | undefined;
  try {
    privateKey = getPrivateKey({ env })?.toString();
  } catch {
    // Probot's constructor names the missing key.
  }
  return {
    appId: env.APP_ID ?? '',
    privateKey,
    secret: webhookSecret,
    baseUrl: env.GHE_HOST ? `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}/api/v3` : 'https://api.github.com',
    logLevel: logLevelOf(env.LOG_LEVEL),
    logFormat: env.LOG_FORMAT === 'json' ? 'json' : 'pretty',
    logLevelInString: env.LOG_LEVEL_IN_STRING === 'true',
    logMessageKey: env.LOG_MESSAGE_KEY || 'msg',
    sentryDsn: env.SENTRY_DSN || undefined,
    redisConfig: redisUrl,
  };
}

/**
 * Reads the settings. Refuses to start in production without a webhook secret (anyone
 * could post events), and an intake-only replica without Redis (its jobs would reach no worker).
 */
export function readSettings(env: Environment): Settings {
  if (env.NODE_ENV === 'production' && !env.WEBHOOK_SECRET) {
    throw new Error('WEBHOOK_SECRET must be set when NODE_ENV=production: unsigned webhooks would be accepted otherwise');
  }
  const role = env.MESHREADY_ROLE === 'intake' ? 'intake' : 'all';
  const redisUrl = env.REDIS_URL || undefined;
  if (role === 'intake' && !redisUrl) throw new Error('MESHREADY_ROLE=intake needs REDIS_URL: the jobs it queues must reach the workers of other replicas');
  const webhookSecret = env.WEBHOOK_SECRET || 'development';
  return {
    probot: probotOptions(env, webhookSecret, redisUrl),
    server: { port: positiveNumber(env, 'PORT', 3000), host: env.HOST ?? '0.0.0.0' },
    intake: { webhookSecret, maxBytes: MAX_WEBHOOK_BYTES, bodyTimeMs: positiveNumber(env, 'MESHREADY_WEBHOOK_BODY_TIMEOUT_MS', 10_000) },
    redisUrl,
    role,
    queue: {
      concurrency: positiveNumber(env, 'MESHREADY_CONCURRENCY', 4),
      attempts: positiveNumber(env, 'MESHREADY_JOB_ATTEMPTS', 5),
      backoffMs: positiveNumber(env, 'MESHREADY_RETRY_DELAY_MS', 2_000),
      lockTtlMs: positiveNumber(env, 'MESHREADY_LOCK_TTL_MS', 30_000),
    },
    drainMs: positiveNumber(env, 'MESHREADY_DRAIN_MS', 45_000),
    github: {
      timeoutMs: positiveNumber(env, 'MESHREADY_GITHUB_TIMEOUT_MS', 30_000),
      writesPerMinute: positiveNumber(env, 'MESHREADY_WRITES_PER_MINUTE', WRITES_PER_MINUTE),
      writesPerHour: positiveNumber(env, 'MESHREADY_WRITES_PER_HOUR', WRITES_PER_HOUR),
    },
    reading: {
      budget: { files: positiveNumber(env, 'MESHREADY_MAX_REPOSITORY_FILES', 20_000), bytes: positiveNumber(env, 'MESHREADY_MAX_REPOSITORY_MB', 100) * MB },
      cache: {
        memoryBytes: positiveNumber(env, 'MESHREADY_BLOB_CACHE_MB', 128) * MB,
        redisBytes: positiveNumber(env, 'MESHREADY_REDIS_BLOB_CACHE_MB', 512) * MB,
        redisTtlMs: positiveNumber(env, 'MESHREADY_BLOB_CACHE_TTL_S', 24 * 3600) * 1000,
      },
    },
    applyFixes: env.MESHREADY_APPLY_FIXES !== 'off',
  };
}
