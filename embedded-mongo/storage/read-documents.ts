// Row sources: pull-based readers of stored documents that hold no open SQLite statement
// between calls, so a cursor can pause between getMores while writes continue.
import { deserialize, type Document } from 'bson';
import type { CollectionHandle, Store } from './open-store.js';
import type { QueryPlan } from './plan-query.js';

export interface Row {
  readonly rid: number;
  /** Decoded lazily and cached: the same object on every access. */
  readonly doc: Document;
  /** Stored BSON size, used to keep reply batches under the message limit. */
  readonly size: number;
  /** The stored BSON bytes: an update that produces the same bytes changes nothing. */
  readonly raw: Buffer;
}

export interface RowSource {
  next(): Row | undefined;
}

/** Rows read per SQLite round trip when scanning. */
const SCAN_CHUNK = 128;

export function emptySource(): RowSource {
  return { next: () => undefined };
}

/** Natural (insertion) order scan, resumable after any rid. */
export function scanSource(store: Store, handle: CollectionHandle): RowSource {
  let lastRid = 0;
  let buffer: Row[] = [];
  let position = 0;
  let exhausted = false;
  return {
    next() {
      if (position >= buffer.length) {
        if (exhausted || !store.collections.has(`${handle.db}.${handle.name}`)) return undefined;
        const rows = store
          .prepare(`SELECT rid, doc FROM ${handle.table} WHERE rid > ? ORDER BY rid LIMIT ${SCAN_CHUNK}`)
          .all(lastRid) as Array<{ rid: number; doc: Buffer }>;
        buffer = rows.map(toRow);
        position = 0;
        exhausted = rows.length < SCAN_CHUNK;
        const last = buffer[buffer.length - 1];
        if (!last) return undefined;
        lastRid = last.rid;
      }
      return buffer[position++];
    },
  };
}

/** Reads the given rids in order; rows deleted meanwhile are skipped. */
export function ridSource(store: Store, handle: CollectionHandle, rids: readonly number[]): RowSource {
  let position = 0;
  return {
    next() {
      while (position < rids.length) {
        if (!store.collections.has(`${handle.db}.${handle.name}`)) return undefined;
        const row = store.prepare(`SELECT rid, doc FROM ${handle.table} WHERE rid = ?`).get(rids[position++]) as
          { rid: number; doc: Buffer } | undefined;
        if (row) return toRow(row);
      }
      return undefined;
    },
  };
}

/** Candidate rows for a plan (a superset of the matches; the caller filters). */
export function planSource(store: Store, handle: CollectionHandle, plan: QueryPlan): RowSource {
  if (plan.kind === 'scan') return scanSource(store, handle);
  const rids = new Set<number>();
  if (plan.kind === 'id') {
    const lookup = store.prepare(`SELECT rid FROM ${handle.table} WHERE idkey = ?`);
    for (const key of plan.keys) {
      const row = lookup.get(key) as { rid: number } | undefined;
      if (row) rids.add(row.rid);
    }
  } else if (plan.kind === 'prefix') {
    // Compound keys are `k1|k2|…`: every key with these leading values lies in [prefix|, prefix}).
    const lookup = store.prepare(`SELECT rid FROM ${plan.index.table} WHERE key >= ? AND key < ?`);
    for (const prefix of plan.prefixes)
      for (const row of lookup.all(`${prefix}|`, `${prefix}}`) as Array<{ rid: number }>) rids.add(row.rid);
  } else {
    const lookup = store.prepare(`SELECT rid FROM ${plan.index.table} WHERE key = ?`);
    for (const key of plan.keys) for (const row of lookup.all(key) as Array<{ rid: number }>) rids.add(row.rid);
  }
  return ridSource(
    store,
    handle,
    [...rids].sort((a, b) => a - b),
  );
}

/**
 * How many documents an exact plan finds, from the index alone (no document is read): a plan is
 * exact when the filter is nothing but the equalities it looks up, so every candidate matches.
 */
export function countExactPlan(
  store: Store,
  handle: CollectionHandle,
  plan: QueryPlan & { kind: 'id' | 'index' },
): number {
  if (plan.keys.length === 0) return 0;
  const marks = plan.keys.map(() => '?').join(', ');
  // DISTINCT: a document with an array holds one index entry per element (multikey).
  const sql =
    plan.kind === 'id'
      ? `SELECT count(*) AS n FROM ${handle.table} WHERE idkey IN (${marks})`
      : `SELECT count(DISTINCT rid) AS n FROM ${plan.index.table} WHERE key IN (${marks})`;
  return (store.prepare(sql).get(...plan.keys) as { n: number }).n;
}

/** The document is decoded on first use: rows that go out unchanged are sent as stored bytes. */
function toRow(row: { rid: number; doc: Buffer }): Row {
  let decoded: Document | undefined;
  return {
    rid: row.rid,
    get doc() {
      decoded ??= deserialize(row.doc);
      return decoded;
    },
    size: row.doc.length,
    raw: row.doc,
  };
}
