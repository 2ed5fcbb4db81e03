/**
 * @nestjs/throttler's storage contract on Redis (ioredis), so that every ledger-api replica counts
 * against the same limit (docs/operations.md, "Rate limits"). The same sliding window as the throttler's
 * in-memory storage without blocking: a sorted set of hit times per key; a hit is recorded only while
 * fewer than `limit` hits are younger than `ttl`; otherwise the answer says when the oldest one expires.
 * One Lua script does the check and the write atomically, on Redis's clock, so replicas whose clocks
 * differ still agree. Keys carry a prefix (REDIS_KEY_PREFIX) and expire with their window.
 */
import { randomUUID } from 'node:crypto';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

interface ThrottlerStorageRecord {
  readonly totalHits: number;
  readonly timeToExpire: number;
  readonly isBlocked: boolean;
  readonly timeToBlockExpire: number;
}

const SLIDING_WINDOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ttl)
  return {count + 1, 0, ttl}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {count + 1, 1, tonumber(oldest[2]) + ttl - now}
`;

export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const reply = (await this.redis.eval(
      SLIDING_WINDOW,
      1,
      `${this.prefix}${throttlerName}:${key}`,
      ttl,
      limit,
      randomUUID(),
    )) as [number, number, number];
    const [totalHits, blocked, waitMs] = reply;
    const seconds = Math.max(1, Math.ceil(Number(waitMs) / 1000));
    return {
      totalHits: Number(totalHits),
      timeToExpire: seconds,
      isBlocked: blocked === 1,
      timeToBlockExpire: blocked === 1 ? seconds : 0,
    };
  }
}
