import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLog, type MemorySample } from '../../workers/memory-log.js';

describe('the job process memory log (DOCQ_MEMORY_LOG)', () => {
  it('is off unless a file is named', () => {
    expect(memoryLog({})).toBeNull();
  });

  it('writes a baseline, then one sample every N jobs with the reader threads’ heaps', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docq-memlog-'));
    try {
      const file = join(dir, 'mem.jsonl');
      const after = memoryLog({ DOCQ_MEMORY_LOG: file, DOCQ_MEMORY_LOG_EVERY: '2' });
      for (let i = 0; i < 5; i++) after?.([64 * 1048576]);
      const rows = (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as MemorySample);
      expect(rows.map((r) => r.jobs)).toEqual([0, 2, 4]);
      expect(rows.every((r) => r.pid === process.pid && r.rssMb > r.heapUsedMb && r.heapUsedMb > 0)).toBe(true);
      expect(rows[1]?.readerHeapsMb).toEqual([64]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
