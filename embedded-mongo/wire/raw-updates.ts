// Update statements keep their `$set` argument as the bytes the client sent. An upsert of a
// report carries ~15 KB in `$set`; decoding it on arrival and encoding it again to store it cost
// more than everything else an upsert does. When those bytes are exactly what decoding and
// re-encoding would produce (checked here: no int64, no integral doubles, no regexes, no
// `$`-keys, valid UTF-8…), the command is decoded without them and `u.$set` becomes a lazily
// decoded property whose bytes `rawSetOf(u)` hands to the storage fast path. Anything else
// is decoded as before.
import { isUtf8 } from 'node:buffer';
import { deserialize, type Document } from 'bson';
import { decodeTyped } from '../storage/typed-values.js';

const rawSets = new WeakMap<object, Buffer>();

/** The client's bytes of `u.$set`, when the statement was decoded lazily and is unchanged. */
export function rawSetOf(update: unknown): Buffer | undefined {
  return typeof update === 'object' && update !== null ? rawSets.get(update) : undefined;
}

interface Cut {
  /** Start offsets of the documents enclosing the $set value (their sizes shrink). */
  readonly ancestors: number[];
  readonly start: number;
  readonly end: number;
  /** Which statement: index in `updates` (body array or document sequence). */
  readonly statement: number;
}

const EMPTY_DOCUMENT = Buffer.from([5, 0, 0, 0, 0]);

/**
 * Decodes a BSON document (an OP_MSG body or one document of the `updates` sequence) with the
 * `$set` of its update statements left as bytes. `statementsAt` says where statements are:
 * 'body' (the `updates` array of an update command) or 'self' (the document is a statement).
 */
export function decodeWithRawSets(
  raw: Buffer,
  statementsAt: 'body' | 'self',
  options: Parameters<typeof deserialize>[1],
  statementOffset = 0,
): Document {
  const cuts: Cut[] = [];
  try {
    if (statementsAt === 'self') findSetCut(raw, 0, [], statementOffset, cuts);
    else if (firstName(raw) === 'update') {
      const updates = findElement(raw, 0, 'updates', 0x04);
      if (updates !== undefined) {
        let index = 0;
        forEach(raw, updates, (type, _name, valueStart) => {
          if (type === 0x03) findSetCut(raw, valueStart, [0, updates], index, cuts);
          index++;
        });
      }
    }
  } catch {
    cuts.length = 0;
  }
  if (cuts.length === 0) return decodeTyped(raw, options);
  const stripped = strip(raw, cuts);
  const doc = decodeTyped(stripped, options);
  for (const cut of cuts) {
    const statement = statementsAt === 'self' ? doc : (doc.updates as Document[] | undefined)?.[cut.statement];
    const update = statement?.u as Document | undefined;
    if (update && typeof update === 'object' && '$set' in update)
      installLazySet(update, raw.subarray(cut.start, cut.end), options);
  }
  return doc;
}

function findSetCut(raw: Buffer, statementStart: number, ancestors: number[], index: number, cuts: Cut[]): void {
  const u = findElement(raw, statementStart, 'u', 0x03);
  if (u === undefined) return;
  const set = findElement(raw, u, '$set', 0x03);
  if (set === undefined) return;
  const end = set + raw.readInt32LE(set);
  if (!stableDocument(raw, set, false)) return;
  cuts.push({ ancestors: [...ancestors, statementStart, u], start: set, end, statement: index });
}

function installLazySet(update: Document, raw: Buffer, options: Parameters<typeof deserialize>[1]): void {
  let decoded: Document | undefined;
  rawSets.set(update, raw);
  Object.defineProperty(update, '$set', {
    enumerable: true,
    configurable: true,
    get: () => (decoded ??= deserialize(raw, options)),
    set: (value: Document) => {
      decoded = value;
      rawSets.delete(update);
    },
  });
}

/** The document with each cut value replaced by an empty document, enclosing sizes adjusted. */
function strip(raw: Buffer, cuts: Cut[]): Buffer {
  const out = Buffer.allocUnsafe(raw.length - cuts.reduce((n, c) => n + (c.end - c.start - 5), 0));
  let from = 0;
  let to = 0;
  for (const cut of cuts) {
    to += raw.copy(out, to, from, cut.start);
    to += EMPTY_DOCUMENT.copy(out, to);
    from = cut.end;
  }
  raw.copy(out, to, from);
  // Ancestors start before their cut, so their offsets in `out` shift by earlier cuts only.
  const shiftBefore = (offset: number): number =>
    cuts.reduce((n, c) => (c.end <= offset ? n + (c.end - c.start - 5) : n), 0);
  const shrink = new Map<number, number>();
  for (const cut of cuts)
    for (const a of new Set(cut.ancestors)) shrink.set(a, (shrink.get(a) ?? 0) + (cut.end - cut.start - 5));
  for (const [a, by] of shrink) {
    const at = a - shiftBefore(a);
    out.writeInt32LE(out.readInt32LE(at) - by, at);
  }
  return out;
}

function firstName(raw: Buffer): string {
  const nameEnd = raw.indexOf(0, 5);
  return raw.toString('utf8', 5, nameEnd);
}

/** The value offset of the named element of the given type in the document at `start`. */
function findElement(raw: Buffer, start: number, wanted: string, wantedType: number): number | undefined {
  let found: number | undefined;
  let count = 0;
  forEach(raw, start, (type, name, valueStart) => {
    if (name === wanted) {
      count++;
      if (type === wantedType) found = valueStart;
    }
  });
  // A duplicated name is decoded as its last occurrence: leave such documents alone.
  return count === 1 ? found : undefined;
}

function forEach(raw: Buffer, start: number, visit: (type: number, name: string, valueStart: number) => void): void {
  const size = raw.readInt32LE(start);
  const end = start + size - 1;
  if (size < 5 || end >= raw.length || raw[end] !== 0) throw new Error('bad document');
  let offset = start + 4;
  while (offset < end) {
    const type = raw[offset] ?? 0;
    const nameEnd = raw.indexOf(0, offset + 1);
    if (nameEnd < 0 || nameEnd >= end) throw new Error('bad name');
    const name = raw.toString('latin1', offset + 1, nameEnd);
    visit(type, name, nameEnd + 1);
    offset = nameEnd + 1 + sizeOf(raw, type, nameEnd + 1);
    if (offset > end) throw new Error('overrun');
  }
}

function sizeOf(raw: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01:
    case 0x09:
    case 0x11:
    case 0x12:
      return 8;
    case 0x02:
      return 4 + raw.readInt32LE(at);
    case 0x03:
    case 0x04:
      return raw.readInt32LE(at);
    case 0x05:
      return 5 + raw.readInt32LE(at);
    case 0x07:
      return 12;
    case 0x08:
      return 1;
    case 0x0a:
    case 0x7f:
    case 0xff:
      return 0;
    case 0x10:
      return 4;
    case 0x13:
      return 16;
    default:
      throw new Error('type not handled');
  }
}

/** Generic, function, UUID, MD5: decoded as Binary and encoded back unchanged. */
const STABLE_BINARY_SUBTYPES = new Set([0, 1, 4, 5]);

/** Bytes [from, to) are all ASCII, or valid UTF-8. */
function validUtf8(raw: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if ((raw[i] as number) >= 0x80) return isUtf8(raw.subarray(from, to));
  return true;
}

const PROTO = Buffer.from('__proto__');
const BSONTYPE = Buffer.from('_bsontype');

function sameBytes(raw: Buffer, from: number, to: number, word: Buffer): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (raw[from + i] !== word[i]) return false;
  return true;
}

/** The array index `index` written in decimal at [from, to). */
function isIndexName(raw: Buffer, from: number, to: number, index: number): boolean {
  let i = to - 1;
  let n = index;
  do {
    if (i < from || raw[i] !== 0x30 + (n % 10)) return false;
    n = Math.floor(n / 10);
    i--;
  } while (n > 0);
  return i === from - 1;
}

/**
 * Whether decoding this document and encoding it again gives the same bytes (and decoding
 * cannot fail). Conservative: false for anything not plainly so — including two names with
 * the same hash in one document (a duplicated name would be dropped by decoding).
 */
function stableDocument(raw: Buffer, start: number, isArray: boolean): boolean {
  const size = raw.readInt32LE(start);
  const end = start + size - 1;
  if (size < 5 || end >= raw.length || raw[end] !== 0) return false;
  let offset = start + 4;
  let index = 0;
  const hashes: number[] = [];
  while (offset < end) {
    const type = raw[offset] as number;
    const nameStart = offset + 1;
    let nameEnd = nameStart;
    let hash = 0x811c9dc5;
    let ascii = true;
    for (; nameEnd < end; nameEnd++) {
      const byte = raw[nameEnd] as number;
      if (byte === 0) break;
      if (byte >= 0x80) ascii = false;
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    if (nameEnd >= end) return false;
    if (isArray) {
      if (!isIndexName(raw, nameStart, nameEnd, index++)) return false;
    } else {
      if (raw[nameStart] === 0x24 /* $ */) return false;
      if (!ascii && !isUtf8(raw.subarray(nameStart, nameEnd))) return false;
      if (sameBytes(raw, nameStart, nameEnd, PROTO) || sameBytes(raw, nameStart, nameEnd, BSONTYPE)) return false;
      if (hashes.includes(hash)) return false;
      hashes.push(hash);
    }
    const at = nameEnd + 1;
    let length: number;
    switch (type) {
      case 0x01: {
        if (at + 8 > end) return false;
        const value = raw.readDoubleLE(at);
        // Integral doubles in int32 range come back as int32; NaN payloads are not kept.
        if (Number.isNaN(value) || (Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff))
          return false;
        length = 8;
        break;
      }
      case 0x02: {
        if (at + 4 > end) return false;
        const n = raw.readInt32LE(at);
        if (n < 1 || at + 4 + n > end || raw[at + 4 + n - 1] !== 0) return false;
        if (!validUtf8(raw, at + 4, at + 4 + n - 1)) return false;
        length = 4 + n;
        break;
      }
      case 0x03:
      case 0x04: {
        if (at + 5 > end) return false;
        length = raw.readInt32LE(at);
        if (at + length > end || !stableDocument(raw, at, type === 0x04)) return false;
        break;
      }
      case 0x05: {
        if (at + 5 > end) return false;
        const n = raw.readInt32LE(at);
        if (n < 0 || at + 5 + n > end || !STABLE_BINARY_SUBTYPES.has(raw[at + 4] ?? -1)) return false;
        length = 5 + n;
        break;
      }
      case 0x07:
        length = 12;
        break;
      case 0x08:
        if (raw[at] !== 0 && raw[at] !== 1) return false;
        length = 1;
        break;
      case 0x09: {
        if (at + 8 > end) return false;
        // |ms| < 2e6 · 2^32 ≈ 8.59e15: inside the Date range (±8.64e15), so decoding keeps it.
        const high = raw.readInt32LE(at + 4);
        if (high >= 2_000_000 || high <= -2_000_000) return false;
        length = 8;
        break;
      }
      case 0x0a:
        length = 0;
        break;
      case 0x10:
        length = 4;
        break;
      case 0x11:
        length = 8;
        break;
      case 0x13:
        length = 16;
        break;
      default:
        return false;
    }
    offset = at + length;
    if (offset > end) return false;
  }
  return offset === end;
}
