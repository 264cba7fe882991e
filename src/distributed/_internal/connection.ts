import type { ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { InvalidHyperparameter } from '../../errors.js';

/**
 * ioredis options from a `redis://[user:password@]host[:port][/db]` (or `rediss://`) URL, as BullMQ needs them:
 * `maxRetriesPerRequest: null`, so that commands wait through a Redis restart instead of failing.
 *
 * @throws InvalidHyperparameter naming `redis` when the URL is not a Redis URL
 */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidHyperparameter('redis', url, 'must be a Redis URL such as redis://127.0.0.1:6379');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new InvalidHyperparameter('redis', url, 'must start with redis:// or rediss:// (e.g. redis://127.0.0.1:6379)');
  }
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new InvalidHyperparameter('redis', url, 'must name a database number after the host, e.g. redis://127.0.0.1:6379/0');
  const port = u.port === '' ? 6379 : Number(u.port);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port,
    db,
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    // Reconnect forever, quickly at first: a restarted Redis is picked up within half a second.
    retryStrategy: (times: number) => Math.min(50 * times, 500),
  };
}

/** Checks a queue name: non-empty, without ':' (BullMQ's key separator). */
export function queueName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.includes(':')) {
    throw new InvalidHyperparameter('queue', name, "must be a non-empty string without ':' (e.g. 'tuning')");
  }
  return name;
}

/** The same options, typed for BullMQ's constructors. */
export function bullConnection(url: string): ConnectionOptions {
  return redisOptions(url) as ConnectionOptions;
}
