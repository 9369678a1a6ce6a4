import type { ReviewError } from '../models/index.js';

/** A view younger than this is served as it is. */
const FRESH_MS = 1_000;
/** Older than FRESH_MS but younger than this: served while it is read again in the background. */
const STALE_MS = 5_000;
/** Documents whose views are kept (a few hundred reviewers' documents). */
const MAX_VIEWS = 1_000;

type Built = Record<string, unknown> | ReviewError;

interface Entry {
  readonly generation: number;
  readonly at: number;
  readonly body: string;
}

/**
 * Document views serialised once and served as strings to every reader. A write through this server
 * (`invalidate`) makes every view made before it old at once — a decision's view is never served
 * stale, also not a neighbouring year's whose S3 links it moved. A change by another process (a worker
 * reprocessing the document) shows within FRESH_MS, or STALE_MS for a view read again in the
 * background while twenty readers are served the previous one. A view being made when a write lands
 * is not kept: it may have read the state before the write.
 */
export class ViewCache {
  private generation = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly building = new Map<string, { generation: number; body: Promise<string | ReviewError> }>();

  constructor(private readonly build: (sha256: string) => Promise<Built>) {}

  /** The serialised view, or the error reading it. */
  get(sha256: string): Promise<string | ReviewError> {
    const entry = this.entries.get(sha256);
    if (entry && entry.generation === this.generation) {
      const age = Date.now() - entry.at;
      if (age < FRESH_MS) return Promise.resolve(entry.body);
      if (age < STALE_MS) {
        void this.rebuild(sha256).catch(() => undefined);
        return Promise.resolve(entry.body);
      }
    }
    return this.rebuild(sha256);
  }

  /** One build per document at a time; a build from before the last write is not joined. */
  private rebuild(sha256: string): Promise<string | ReviewError> {
    const running = this.building.get(sha256);
    if (running && running.generation === this.generation) return running.body;
    const generation = this.generation;
    const body = this.build(sha256)
      .then((view) => ('code' in view ? (view as ReviewError) : this.store(sha256, generation, view)))
      .finally(() => {
        if (this.building.get(sha256)?.body === body) this.building.delete(sha256);
      });
    this.building.set(sha256, { generation, body });
    return body;
  }

  /** After a write: every view made or being made before it is old. */
  invalidate(): void {
    this.generation++;
  }

  /** Serialises a view made at `generation`, keeps it if no write came since, and returns it. */
  private store(sha256: string, generation: number, view: Record<string, unknown>): string {
    const body = JSON.stringify(view);
    if (generation === this.generation) {
      if (this.entries.size >= MAX_VIEWS && !this.entries.has(sha256))
        this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(sha256, { generation, at: Date.now(), body });
    }
    return body;
  }
}
