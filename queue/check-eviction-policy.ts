import type { Redis } from 'ioredis';

/**
 * BullMQ keeps job state in ordinary keys; any eviction policy but `noeviction` lets Redis silently
 * drop jobs under memory pressure. Returns a warning line, or null when the policy is safe.
 */
export async function checkEvictionPolicy(client: Redis): Promise<string | null> {
  try {
    const reply = (await client.call('CONFIG', 'GET', 'maxmemory-policy')) as unknown;
    const policy = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
    if (policy === null) return 'could not read Redis maxmemory-policy; make sure it is noeviction';
    if (policy === 'noeviction') return null;
    return `Redis maxmemory-policy is "${policy}": queued jobs can be evicted; set it to noeviction (CONFIG SET maxmemory-policy noeviction)`;
  } catch (err) {
    // Managed Redis often disables CONFIG; that is not an error, only unverifiable.
    return `could not check Redis maxmemory-policy (${err instanceof Error ? err.message : String(err)}); make sure it is noeviction`;
  }
}
