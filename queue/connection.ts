import { Redis } from 'ioredis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['REDIS_URL']?.trim();
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_REDIS_URL;
}

/** Reconnect delays grow to this cap, so a Redis restart is picked up within a few seconds. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Options for BullMQ's own connections. Workers need `maxRetriesPerRequest: null` (blocking commands
 * must wait through a Redis restart instead of failing); producers get the same so a restart during
 * `docq ingest` pauses it rather than aborting it.
 */
export type RedisConnectionOptions = {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
  maxRetriesPerRequest: null;
  retryStrategy: (times: number) => number;
};

export function connectionOptions(url: string = redisUrl()): RedisConnectionOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port !== '' ? Number(parsed.port) : 6379,
    ...(parsed.username !== '' ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password !== '' ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(Number.isInteger(db) ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 200, MAX_RECONNECT_DELAY_MS),
  };
}

/** A client for docq's own commands (status, policy checks). The caller quits it. */
export function createRedis(url: string = redisUrl()): Redis {
  return new Redis(connectionOptions(url));
}
