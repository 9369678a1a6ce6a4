// Server-side cursors: a paused row source per cursor id, handed out batch by batch through
// getMore, closed by killCursors, exhaustion, or after sitting idle.
import { Long, type Document } from 'bson';
import type { Row, RowSource } from '../storage/read-documents.js';
import { buildPathTrie, decodeFields, type PathTrie } from '../storage/decode-fields.js';
import { decodeTyped } from '../storage/typed-values.js';
import { projectDocuments } from './project-documents.js';
import { rawProjection, type RawProjection } from './project-raw.js';
import { bsonOf } from '../wire/encode-cursor-reply.js';

/** The driver's default first batch. */
export const DEFAULT_FIRST_BATCH = 101;
/** Replies stay under maxBsonObjectSize minus room for the envelope, as MongoDB does. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024;
/** MongoDB's cursorTimeoutMillis default. */
const CURSOR_IDLE_MS = 10 * 60 * 1000;

export interface OpenCursor {
  readonly id: bigint;
  readonly ns: string;
  readonly source: RowSource;
  readonly projection: Projection | undefined;
  /** The projection cut from the stored bytes, when it keeps or drops whole top-level fields. */
  readonly cut: RawProjection | null;
  pending: Row | undefined;
  lastUsed: number;
}

/** A find projection, with the filter that positional (`field.$`) projections refer to. */
export interface Projection {
  readonly spec: Document;
  readonly filter: Document;
  /** The paths to decode, when the projection only includes fields (null: decode whole documents). */
  trie?: PathTrie | null;
}

/**
 * The paths of a projection that only includes plain fields (`{a: 1, 'b.c': 1, _id: 0}`), with `_id`
 * unless excluded; undefined for anything else (exclusions, `$slice`, positional, expressions).
 * The projection itself still runs on what is decoded, so the result is the same.
 */
function inclusionTrie(spec: Document): PathTrie | undefined {
  const paths: string[] = [];
  let keepId = true;
  for (const [path, value] of Object.entries(spec)) {
    if (path === '_id' && (value === 0 || value === false)) keepId = false;
    else if ((value === 1 || value === true) && !path.includes('$')) paths.push(path);
    else return undefined;
  }
  if (paths.length === 0) return undefined;
  return buildPathTrie(keepId ? [...paths, '_id'] : paths);
}

export interface Batch {
  readonly cursorId: Long;
  /** BSON bytes of each document of the batch. */
  readonly docs: Buffer[];
}

export class CursorRegistry {
  readonly #cursors = new Map<bigint, OpenCursor>();
  #nextId = 1n;
  readonly #sweeper: NodeJS.Timeout;

  constructor() {
    this.#sweeper = setInterval(() => this.sweep(Date.now()), 60_000);
    this.#sweeper.unref();
  }

  /** Takes the first batch; registers a cursor only when rows remain. */
  open(
    ns: string,
    source: RowSource,
    projection: Projection | undefined,
    batchSize: number,
    singleBatch = false,
  ): Batch {
    const cursor: OpenCursor = {
      id: this.#nextId++,
      ns,
      source,
      projection,
      cut: projection ? rawProjection(projection.spec) : null,
      pending: undefined,
      lastUsed: Date.now(),
    };
    const docs = takeBatch(cursor, batchSize);
    if (singleBatch || !hasMore(cursor)) return { cursorId: Long.ZERO, docs };
    this.#cursors.set(cursor.id, cursor);
    return { cursorId: Long.fromBigInt(cursor.id), docs };
  }

  more(id: bigint, ns: string, batchSize: number): Batch | 'not-found' {
    const cursor = this.#cursors.get(id);
    if (!cursor || cursor.ns !== ns) return 'not-found';
    cursor.lastUsed = Date.now();
    const docs = takeBatch(cursor, batchSize);
    if (hasMore(cursor)) return { cursorId: Long.fromBigInt(id), docs };
    this.#cursors.delete(id);
    return { cursorId: Long.ZERO, docs };
  }

  kill(id: bigint): boolean {
    return this.#cursors.delete(id);
  }

  /** Drops cursors over a namespace that was dropped or renamed. */
  killNamespace(ns: string): void {
    for (const [id, cursor] of this.#cursors)
      if (cursor.ns === ns || cursor.ns.startsWith(`${ns}.`)) this.#cursors.delete(id);
  }

  sweep(now: number): void {
    for (const [id, cursor] of this.#cursors) if (now - cursor.lastUsed > CURSOR_IDLE_MS) this.#cursors.delete(id);
  }

  get size(): number {
    return this.#cursors.size;
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.#cursors.clear();
  }
}

function hasMore(cursor: OpenCursor): boolean {
  cursor.pending ??= cursor.source.next();
  return cursor.pending !== undefined;
}

/** batchSize 0 means "no count limit" (bytes still apply), as for getMore. */
function takeBatch(cursor: OpenCursor, batchSize: number): Buffer[] {
  const rows: Row[] = [];
  let bytes = 0;
  while (batchSize <= 0 || rows.length < batchSize) {
    const row = cursor.pending ?? cursor.source.next();
    cursor.pending = undefined;
    if (!row) break;
    if (rows.length > 0 && bytes + row.size > MAX_BATCH_BYTES) {
      cursor.pending = row;
      break;
    }
    bytes += row.size;
    rows.push(row);
  }
  const { projection, cut } = cursor;
  // Rows of an aggregation have no stored bytes (raw is empty): those go through mingo.
  if (cut && rows.every((row) => row.raw.length > 0)) return rows.map((row) => cut(row.raw));
  if (projection) {
    // An inclusion projection decodes only the paths it keeps (a report's few fields, not its 120 KB).
    projection.trie ??= inclusionTrie(projection.spec) ?? null;
    const trie = projection.trie;
    const docs = rows.map((row) =>
      row.raw.length === 0 ? row.doc : trie ? decodeFields(row.raw, trie, decodeTyped) : decodeTyped(row.raw),
    );
    // The filter matters to positional projections only, which decode whole documents.
    return projectDocuments(docs, trie ? {} : projection.filter, projection.spec).map(bsonOf);
  }
  return rows.map((row) => (row.raw.length > 0 ? row.raw : bsonOf(row.doc)));
}
