import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A cache key from any JSON-able parts: their sha256. */
export function hashOf(...parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** A content-addressed file cache bounded in size: past the bound the oldest files go. */
export class DiskCache {
  private bytes: number | null = null;
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  async get(key: string): Promise<Buffer | null> {
    return readFile(join(this.dir, `${key}.png`)).catch(() => null);
  }

  async has(key: string): Promise<boolean> {
    return stat(join(this.dir, `${key}.png`)).then(
      () => true,
      () => false,
    );
  }

  async put(key: string, data: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${key}.${process.pid}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, join(this.dir, `${key}.png`));
    this.bytes = (this.bytes ?? (await this.measure())) + data.length;
    if (this.bytes > this.maxBytes) await this.trim();
  }

  private async entries(): Promise<{ path: string; size: number; mtime: number }[]> {
    const names = (await readdir(this.dir).catch(() => [])).filter((n) => n.endsWith('.png'));
    const out = await Promise.all(
      names.map(async (n) => {
        const s = await stat(join(this.dir, n)).catch(() => null);
        return s ? { path: join(this.dir, n), size: s.size, mtime: s.mtimeMs } : null;
      }),
    );
    return out.filter((e) => e !== null);
  }

  private async measure(): Promise<number> {
    return (await this.entries()).reduce((sum, e) => sum + e.size, 0);
  }

  private async trim(): Promise<void> {
    const entries = (await this.entries()).sort((a, b) => a.mtime - b.mtime);
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    for (const e of entries) {
      if (total <= this.maxBytes * 0.8) break;
      await unlink(e.path).catch(() => undefined);
      total -= e.size;
    }
    this.bytes = total;
  }
}

/**
 * Reads that are never older than their caller: every `get` is answered by a read that started
 * after it was called, yet callers arriving together share one — a read already running (it may
 * predate them) is followed by one more that all of them wait for. Under twenty clients asking for
 * one document's crops this is one small database read per batch instead of one per request, and
 * a reprocessed document is seen by the first request after its record changed. Hand-written: the
 * well-known coalescers (p-memoize, dataloader) share a running read with late callers, which is
 * exactly the stale answer this must not give.
 */
export class FreshReads<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly next = new Map<string, Promise<T>>();
  constructor(private readonly read: (key: string) => Promise<T>) {}

  get(key: string): Promise<T> {
    const queued = this.next.get(key);
    if (queued) return queued;
    const running = this.running.get(key);
    if (!running) return this.start(key);
    const after = running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.next.delete(key);
        return this.start(key);
      });
    this.next.set(key, after);
    return after;
  }

  private start(key: string): Promise<T> {
    const read = this.read(key).finally(() => {
      if (this.running.get(key) === read) this.running.delete(key);
    });
    this.running.set(key, read);
    return read;
  }
}
