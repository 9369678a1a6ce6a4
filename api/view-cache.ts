import type { ReviewError } from '../models/index.js';

/** A view younger than this is served as it is. */
const FRESH_MS = 1_000;
/** Older than FRESH_MS but younger than this: served while it is read again in the background. */
const STALE_MS = 5_000;
/** Documents whose views are kept (a few hundred reviewers' documents). */
const MAX_VIEWS = 1_000;

/** A view and the stamp of the records it was made from (read before them). */
type Built = { view: Record<string, unknown>; stamp: string } | ReviewError;

interface Entry {
  readonly generation: number;
  readonly at: number;
  readonly body: string;
  readonly stamp: string;
}

/**
 * Document views serialised once and served as strings to every reader. A write through this server
 * (`invalidate`) makes every view made before it old at once — a decision's view is never served
 * stale, also not a neighbouring year's whose S3 links it moved. A change by another process (a worker
 * reprocessing the document) is looked for after FRESH_MS with two small reads (`stampOf`: the
 * records' updatedAt), while readers are still served the view up to STALE_MS; only a changed stamp
 * makes the view again. A view being made when a write lands is not kept: it may have read the state
 * before the write.
 */
export class ViewCache {
  private generation = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly building = new Map<string, { generation: number; body: Promise<string | ReviewError> }>();
  private readonly looking = new Map<string, Promise<string | ReviewError>>();

  constructor(
    private readonly build: (sha256: string) => Promise<Built>,
    private readonly stampOf: (sha256: string) => Promise<string | null>,
  ) {}

  /** The serialised view, or the error reading it. */
  get(sha256: string): Promise<string | ReviewError> {
    const entry = this.entries.get(sha256);
    if (entry && entry.generation === this.generation) {
      const age = Date.now() - entry.at;
      if (age < FRESH_MS) return Promise.resolve(entry.body);
      if (age < STALE_MS) {
        void this.revalidate(sha256, entry).catch(() => undefined);
        return Promise.resolve(entry.body);
      }
      return this.revalidate(sha256, entry);
    }
    return this.rebuild(sha256);
  }

  /** The view again if its records changed, else the same view, younger. One look at a time per document. */
  private revalidate(sha256: string, entry: Entry): Promise<string | ReviewError> {
    let looking = this.looking.get(sha256);
    if (!looking) {
      looking = this.stampOf(sha256)
        .then((stamp) => {
          if (stamp !== entry.stamp || this.entries.get(sha256) !== entry || entry.generation !== this.generation)
            return this.rebuild(sha256);
          this.entries.set(sha256, { ...entry, at: Date.now() });
          return entry.body;
        })
        .finally(() => this.looking.delete(sha256));
      this.looking.set(sha256, looking);
    }
    return looking;
  }

  /** One build per document at a time; a build from before the last write is not joined. */
  private rebuild(sha256: string): Promise<string | ReviewError> {
    const running = this.building.get(sha256);
    if (running && running.generation === this.generation) return running.body;
    const generation = this.generation;
    const body = this.build(sha256)
      .then((built) => ('code' in built ? built : this.store(sha256, generation, built.view, built.stamp)))
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
  private store(sha256: string, generation: number, view: Record<string, unknown>, stamp: string): string {
    const body = JSON.stringify(view);
    if (generation === this.generation) {
      if (this.entries.size >= MAX_VIEWS && !this.entries.has(sha256))
        this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(sha256, { generation, at: Date.now(), body, stamp });
    }
    return body;
  }
}
