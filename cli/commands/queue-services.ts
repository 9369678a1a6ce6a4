import { connectModels, type ModelsConnection } from '../../models/index.js';
import {
  createExtractQueue,
  ensureRedis,
  isRedisUnavailable,
  privateRedisDir,
  type ExtractQueue,
  type RedisHandle,
} from '../../queue/index.js';
import { startReaper } from '../../queue/start-reaper.js';

export interface QueueServices {
  readonly db: ModelsConnection;
  readonly redis: RedisHandle;
  readonly queue: ExtractQueue;
  close(): Promise<void>;
}

/**
 * Zero-config plumbing for the queue commands: Redis at REDIS_URL or a private one (`.docq/redis`),
 * MongoDB at MONGODB_URI or the embedded server. Returns a one-line message when Redis is unavailable.
 */
export async function openQueueServices(): Promise<QueueServices | string> {
  // Whatever way this command ends, kill -9 included, the private Redis it starts or joins is stopped
  // or handed over: the reaper starts first, so no moment is left in which a server runs unwatched.
  // (The embedded server started by connectModels watches this process itself.)
  startReaper({ redisDir: privateRedisDir() });
  const redis = await ensureRedis();
  if (isRedisUnavailable(redis)) return redis.message;
  if (redis.owned)
    process.stderr.write(
      `started a private Redis at ${redis.url} (data in ${redis.privateDir ?? '.docq/redis'}; stopped when the last docq command using it ends)\n`,
    );
  let db: ModelsConnection;
  try {
    db = await connectModels();
  } catch (error) {
    await redis.stop();
    return `cannot reach MongoDB: ${error instanceof Error ? error.message : String(error)}`;
  }
  const queue = createExtractQueue({ url: redis.url });
  return {
    db,
    redis,
    queue,
    close: async () => {
      await queue.close();
      await db.close();
      await redis.stop();
    },
  };
}

/** Opens the services, runs `action`, closes them; when they cannot open, prints the one-line reason and sets exit code 2. */
export async function withQueueServices(action: (services: QueueServices) => Promise<void>): Promise<void> {
  const services = await openQueueServices();
  if (typeof services === 'string') {
    process.stderr.write(`${services}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await action(services);
  } finally {
    await services.close();
  }
}
