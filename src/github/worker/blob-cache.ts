import { Redis } from 'ioredis';
import { blobCacheLookups } from '../metrics.js';
import type { BlobCacheSettings } from '../settings.js';

/**
 * Blob bytes by git SHA. A blob's SHA is the hash of its bytes, so an entry never goes
 * stale and is shared by every commit, branch, fork and installation that holds the same
 * file: a repository's next pull request reads from GitHub only the blobs it has not seen.
 * Only blob bytes are kept here: what the engine makes of them depends on more than the bytes
 * (the path, the config's limits) and is kept by the analysis thread (core/parse-cache.ts).
 */
export interface BlobCache {
  /** The blobs of `shas` the cache holds, and where each was found. */
  getMany(shas: readonly string[]): Promise<{ found: Map<string, Buffer>; fromMemory: number; fromRedis: number }>;
  /** Keeps blobs just read from GitHub. */
  setMany(blobs: ReadonlyMap<string, Buffer>): Promise<void>;
  close(): Promise<void>;
}

/** A bounded least-recently-used cache of blob bytes in this process. */
export class MemoryBlobCache implements BlobCache {
  /** In order of last use, oldest first. */
  private readonly blobs = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): { blobs: number; bytes: number } {
    return { blobs: this.blobs.size, bytes: this.bytes };
  }

  take(sha: string): Buffer | undefined {
    const blob = this.blobs.get(sha);
    if (blob === undefined) return undefined;
    this.blobs.delete(sha);
    this.blobs.set(sha, blob);
    return blob;
  }

  put(sha: string, blob: Buffer): void {
    // One blob may not push out a quarter of everything else.
    if (blob.byteLength > this.maxBytes / 4) return;
    const held = this.blobs.get(sha);
    if (held !== undefined) {
      this.blobs.delete(sha);
      this.bytes -= held.byteLength;
    }
    this.blobs.set(sha, blob);
    this.bytes += blob.byteLength;
    for (const [oldest, value] of this.blobs) {
      if (this.bytes <= this.maxBytes) break;
      this.blobs.delete(oldest);
      this.bytes -= value.byteLength;
    }
  }

  async getMany(shas: readonly string[]): Promise<{ found: Map<string, Buffer>; fromMemory: number; fromRedis: number }> {
    const found = new Map<string, Buffer>();
    for (const sha of shas) {
      const blob = this.take(sha);
      if (blob !== undefined) found.set(sha, blob);
    }
    blobCacheLookups.inc({ result: 'memory' }, found.size);
    blobCacheLookups.inc({ result: 'miss' }, shas.length - found.size);
    return { found, fromMemory: found.size, fromRedis: 0 };
  }

  async setMany(blobs: ReadonlyMap<string, Buffer>): Promise<void> {
    for (const [sha, blob] of blobs) this.put(sha, blob);
  }

  async close(): Promise<void> {
    this.blobs.clear();
    this.bytes = 0;
  }
}

/**
 * Keeps blobs in Redis within a bound of bytes, each for a time after its last use. BullMQ
 * needs Redis never to evict keys on its own (`noeviction`), so the cache bounds itself: an
 * index of blobs by last use, their sizes and their total, kept in one script so that
 * replicas storing at once never overshoot. Blobs whose time lapsed leave the index on the
 * next store; past the bound the least recently used go.
 */
const STORE = `local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local bound = tonumber(ARGV[3])
local prefix = ARGV[4]
local function forget(sha)
  local size = redis.call('hget', KEYS[2], sha)
  if size then redis.call('decrby', KEYS[3], tonumber(size)) end
  redis.call('hdel', KEYS[2], sha)
  redis.call('zrem', KEYS[1], sha)
end
for _, sha in ipairs(redis.call('zrangebyscore', KEYS[1], '-inf', now - ttl, 'LIMIT', 0, 1000)) do forget(sha) end
for index = 5, #ARGV, 2 do
  local sha = ARGV[index]
  local blob = ARGV[index + 1]
  forget(sha)
  redis.call('set', prefix .. sha, blob, 'PX', ttl)
  redis.call('zadd', KEYS[1], now, sha)
  redis.call('hset', KEYS[2], sha, #blob)
  redis.call('incrby', KEYS[3], #blob)
end
while tonumber(redis.call('get', KEYS[3]) or '0') > bound do
  local oldest = redis.call('zrange', KEYS[1], 0, 0)
  if #oldest == 0 then break end
  forget(oldest[1])
  redis.call('del', prefix .. oldest[1])
end
return redis.call('get', KEYS[3])`;

/** A use of blobs found: they are the most recent again, their time starts over. */
const TOUCH = `local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local prefix = ARGV[3]
for index = 4, #ARGV do
  if redis.call('pexpire', prefix .. ARGV[index], ttl) == 1 then redis.call('zadd', KEYS[1], 'XX', now, ARGV[index]) end
end
return 0`;

/** Blobs stored in one script call at most: a script holds Redis while it runs. */
const BLOBS_PER_STORE = 200;

/**
 * The process's cache in front of one in Redis that every replica shares (REDIS_URL). A
 * Redis that fails is passed over (logged by the caller's client): the blobs are read from
 * GitHub instead, as without Redis.
 */
export class RedisBlobCache implements BlobCache {
  private readonly memory: MemoryBlobCache;
  private readonly client: Redis;
  private readonly keys: { index: string; sizes: string; total: string; blob: string };

  constructor(
    redisUrl: string,
    private readonly settings: BlobCacheSettings,
    private readonly onError: (error: Error) => void,
    prefix = 'meshready-blobs',
  ) {
    this.memory = new MemoryBlobCache(settings.memoryBytes);
    this.client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    this.client.on('error', onError);
    this.keys = { index: `${prefix}:index`, sizes: `${prefix}:sizes`, total: `${prefix}:bytes`, blob: `${prefix}:blob:` };
  }

  async getMany(shas: readonly string[]): Promise<{ found: Map<string, Buffer>; fromMemory: number; fromRedis: number }> {
    const found = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const sha of shas) {
      const blob = this.memory.take(sha);
      if (blob !== undefined) found.set(sha, blob);
      else missing.push(sha);
    }
    const fromMemory = found.size;
    let fromRedis = 0;
    if (missing.length > 0) {
      try {
        const stored = await this.client.mgetBuffer(...missing.map((sha) => `${this.keys.blob}${sha}`));
        const hits = missing.filter((sha, index) => {
          const blob = stored[index];
          if (!blob) return false;
          found.set(sha, blob);
          this.memory.put(sha, blob);
          return true;
        });
        fromRedis = hits.length;
        if (hits.length > 0) await this.client.eval(TOUCH, 1, this.keys.index, String(Date.now()), String(this.settings.redisTtlMs), this.keys.blob, ...hits);
      } catch (error) {
        this.onError(error as Error);
      }
    }
    blobCacheLookups.inc({ result: 'memory' }, fromMemory);
    blobCacheLookups.inc({ result: 'redis' }, fromRedis);
    blobCacheLookups.inc({ result: 'miss' }, shas.length - found.size);
    return { found, fromMemory, fromRedis };
  }

  async setMany(blobs: ReadonlyMap<string, Buffer>): Promise<void> {
    await this.memory.setMany(blobs);
    const entries = [...blobs].filter(([, blob]) => blob.byteLength <= this.settings.redisBytes / 4);
    try {
      for (let start = 0; start < entries.length; start += BLOBS_PER_STORE) {
        const batch = entries.slice(start, start + BLOBS_PER_STORE).flatMap(([sha, blob]) => [sha, blob]);
        await this.client.eval(
          STORE,
          3,
          this.keys.index,
          this.keys.sizes,
          this.keys.total,
          String(Date.now()),
          String(this.settings.redisTtlMs),
          String(this.settings.redisBytes),
          this.keys.blob,
          ...batch,
        );
      }
    } catch (error) {
      this.onError(error as Error);
    }
  }

  async close(): Promise<void> {
    await this.memory.close();
    this.client.disconnect();
  }
}
