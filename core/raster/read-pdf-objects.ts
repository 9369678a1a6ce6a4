import { inflateSync } from 'node:zlib';

/**
 * A minimal reader for top-level PDF objects: enough to reach a page's resources, content stream
 * and image XObjects without decoding the image (pdf.js decodes every JPEG in JavaScript while
 * building the operator list, ≈ 0.4–0.6 s per 300-dpi page; the raw DCT bytes through sharp take
 * ≈ 0.05 s). Objects inside object streams (PDF 1.5 /ObjStm, which pdf-lib and many scanners write
 * for every non-stream object, page dictionaries and resources included) are read too, within
 * OBJECT_STREAM_LIMITS; the streams themselves (images, contents) are always top-level objects.
 *
 * Written by hand rather than through pdf-lib (a dependency already): its parser reads and copies
 * every object of the file up front and inflates object streams without an output limit, where this
 * reader indexes headers and parses only the few objects a page needs, each inflation bounded.
 */

/** Bounds on what a hostile file can make the object-stream reader do. */
export const OBJECT_STREAM_LIMITS = {
  /** Object streams read per file. */
  maxStreams: 1_000,
  /** Objects one object stream may declare. */
  maxObjectsPerStream: 100_000,
  /** Inflated bytes of all object streams together. */
  maxInflatedBytes: 32 * 1024 * 1024,
} as const;
/** Largest inflated content stream (a page's drawing operators; a scan's is a few dozen bytes). */
const MAX_INFLATED_STREAM = 64 * 1024 * 1024;

export interface PdfRef {
  readonly num: number;
  readonly gen: number;
}
export type PdfValue =
  number | boolean | null | string | { readonly name: string } | PdfRef | readonly PdfValue[] | PdfDict;
export interface PdfDict {
  readonly dict: ReadonlyMap<string, PdfValue>;
  /** Byte offset of the stream data when the object is a stream. */
  readonly streamAt?: number;
}

export interface PdfObjectIndex {
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly offsets: ReadonlyMap<string, number>;
  /** Objects inside object streams: their source text and the offset of the stream holding them. */
  readonly compressed: ReadonlyMap<string, { readonly text: string; readonly at: number }>;
}

/** Indexes every `N G obj` header and the objects of every object stream; later definitions (incremental updates) win. */
export function indexPdfObjects(bytes: Uint8Array): PdfObjectIndex {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  const offsets = new Map<string, number>();
  const re = /(?:^|[\s>\]])(\d+)\s+(\d+)\s+obj\b/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    offsets.set(`${m[1]} ${m[2]}`, m.index + m[0].length);
  }
  const top: PdfObjectIndex = { bytes, text, offsets, compressed: new Map() };
  return { ...top, compressed: readObjectStreams(top) };
}

/**
 * The objects of every top-level object stream (/Type /ObjStm, Flate or unfiltered): the stream's
 * header lists `N` pairs of object number and offset from `/First`. Objects in object streams have
 * generation 0. A stream that breaks a bound or does not parse is skipped: its objects stay
 * unreachable and the caller renders the page instead.
 */
function readObjectStreams(index: PdfObjectIndex): Map<string, { text: string; at: number }> {
  const out = new Map<string, { text: string; at: number }>();
  const starts = [...index.offsets.values()].sort((a, b) => a - b);
  const re = /\/Type\s*\/ObjStm\b/g;
  let budget = OBJECT_STREAM_LIMITS.maxInflatedBytes;
  let streams = 0;
  const seen = new Set<number>();
  for (let m = re.exec(index.text); m !== null && streams < OBJECT_STREAM_LIMITS.maxStreams; m = re.exec(index.text)) {
    const at = lastAtOrBefore(starts, m.index);
    if (at === undefined || seen.has(at)) continue;
    seen.add(at);
    streams++;
    const stream = parseAt(index.text, at);
    if (!isDict(stream) || stream.streamAt === undefined) continue;
    const n = stream.dict.get('N');
    const first = stream.dict.get('First');
    if (
      typeof n !== 'number' ||
      typeof first !== 'number' ||
      !(n >= 0 && n <= OBJECT_STREAM_LIMITS.maxObjectsPerStream)
    )
      continue;
    const data = decodedStreamBytes(index, stream, budget);
    if (data === undefined) continue;
    budget -= data.length;
    const body = Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1');
    const header = body.slice(0, first).trim().split(/\s+/).map(Number);
    for (let i = 0; i < n; i++) {
      const num = header[2 * i];
      const from = header[2 * i + 1];
      if (!Number.isInteger(num) || !Number.isInteger(from) || from! < 0 || first + from! > body.length) break;
      const to = i + 1 < n ? (header[2 * i + 3] ?? body.length - first) : body.length - first;
      const key = `${num} 0`;
      const previous = out.get(key)?.at ?? index.offsets.get(key) ?? -1;
      if (previous < at) out.set(key, { text: body.slice(first + from!, first + Math.max(from!, to)), at });
    }
  }
  return out;
}

/** The largest sorted value ≤ x (binary search). */
function lastAtOrBefore(sorted: readonly number[], x: number): number | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  let best: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) {
      best = sorted[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function parseAt(text: string, at: number): PdfValue | undefined {
  try {
    const parser = new Parser(text, at);
    const value = parser.value();
    if (isDict(value) && parser.streamFollows()) return { dict: value.dict, streamAt: parser.pos };
    return value;
  } catch {
    return undefined;
  }
}

/** Parses the object `ref` (top-level or in an object stream); undefined when it is absent or does not parse. */
export function readPdfObject(index: PdfObjectIndex, ref: PdfRef): PdfValue | undefined {
  const key = `${ref.num} ${ref.gen}`;
  const at = index.offsets.get(key);
  const packed = index.compressed.get(key);
  if (packed !== undefined && (at === undefined || packed.at > at)) {
    const value = parseAt(packed.text, 0);
    // A stream cannot sit in an object stream: its offset would point into the wrong text.
    return isDict(value) ? { dict: value.dict } : value;
  }
  return at === undefined ? undefined : parseAt(index.text, at);
}

/** Follows indirect references (a bounded number of hops). */
export function resolvePdfValue(index: PdfObjectIndex, value: PdfValue | undefined): PdfValue | undefined {
  let v = value;
  for (let hops = 0; hops < 8 && isRef(v); hops++) v = readPdfObject(index, v);
  return isRef(v) ? undefined : v;
}

/** The raw (still encoded) bytes of a stream object. */
export function streamBytes(index: PdfObjectIndex, stream: PdfDict): Uint8Array | undefined {
  if (stream.streamAt === undefined) return undefined;
  const declared = resolvePdfValue(index, stream.dict.get('Length'));
  const start = stream.streamAt;
  let end = typeof declared === 'number' ? start + declared : -1;
  if (end < start || end > index.bytes.length || !index.text.startsWith('endstream', skipWhite(index.text, end))) {
    end = index.text.indexOf('endstream', start);
    if (end < 0) return undefined;
    while (end > start && (index.text[end - 1] === '\n' || index.text[end - 1] === '\r')) end--;
  }
  return index.bytes.subarray(start, end);
}

/** Stream bytes with FlateDecode undone, at most `limit` of them; undefined for other filters, predictors or more bytes. */
export function decodedStreamBytes(
  index: PdfObjectIndex,
  stream: PdfDict,
  limit = MAX_INFLATED_STREAM,
): Uint8Array | undefined {
  const raw = streamBytes(index, stream);
  if (raw === undefined) return undefined;
  const filters = filterNames(index, stream);
  if (filters.length === 0) return raw.length <= limit ? raw : undefined;
  if (filters.length === 1 && filters[0] === 'FlateDecode' && stream.dict.get('DecodeParms') === undefined) {
    try {
      // Past the limit zlib throws (ERR_BUFFER_TOO_LARGE): a bomb stops here.
      return new Uint8Array(inflateSync(raw, { maxOutputLength: Math.max(1, limit) }));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function filterNames(index: PdfObjectIndex, stream: PdfDict): string[] {
  const f = resolvePdfValue(index, stream.dict.get('Filter'));
  if (f === undefined || f === null) return [];
  const list = Array.isArray(f) ? (f as readonly PdfValue[]) : [f];
  return list.map((v) => (isName(v) ? v.name : '?'));
}

export function isRef(v: PdfValue | undefined): v is PdfRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'num' in v;
}
export function isDict(v: PdfValue | undefined): v is PdfDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'dict' in v;
}
export function isName(v: PdfValue | undefined): v is { readonly name: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'name' in v;
}

const DELIMS = '()<>[]{}/%';
function isWhite(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\f' || c === '\0';
}
function skipWhite(s: string, at: number): number {
  let i = at;
  while (i < s.length && isWhite(s[i])) i++;
  return i;
}

class Parser {
  constructor(
    private readonly s: string,
    public pos: number,
  ) {}

  value(): PdfValue {
    this.skip();
    const c = this.s[this.pos];
    if (c === '/') return { name: this.word(1) };
    if (c === '[') {
      this.pos++;
      const items: PdfValue[] = [];
      for (this.skip(); this.s[this.pos] !== ']'; this.skip()) {
        if (this.pos >= this.s.length) throw new Error('unterminated array');
        items.push(this.value());
      }
      this.pos++;
      return items;
    }
    if (c === '<' && this.s[this.pos + 1] === '<') {
      this.pos += 2;
      const dict = new Map<string, PdfValue>();
      for (this.skip(); !this.s.startsWith('>>', this.pos); this.skip()) {
        if (this.s[this.pos] !== '/') throw new Error('dictionary key expected');
        const key = this.word(1);
        dict.set(key, this.value());
      }
      this.pos += 2;
      return { dict };
    }
    if (c === '<') {
      const end = this.s.indexOf('>', this.pos);
      const hex = this.s.slice(this.pos + 1, end);
      this.pos = end + 1;
      return hex;
    }
    if (c === '(') return this.literalString();
    const word = this.word(0);
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    const num = Number(word);
    if (word === '' || Number.isNaN(num)) throw new Error(`unexpected token ${word}`);
    // `N G R` is a reference: look ahead without consuming when it is not.
    const save = this.pos;
    if (Number.isInteger(num)) {
      this.skip();
      const gen = this.word(0);
      this.skip();
      if (
        /^\d+$/.test(gen) &&
        this.s[this.pos] === 'R' &&
        (isWhite(this.s[this.pos + 1]) || DELIMS.includes(this.s[this.pos + 1] ?? ' '))
      ) {
        this.pos++;
        return { num, gen: Number(gen) };
      }
    }
    this.pos = save;
    return num;
  }

  streamFollows(): boolean {
    this.skip();
    if (!this.s.startsWith('stream', this.pos)) return false;
    this.pos += 6;
    if (this.s[this.pos] === '\r') this.pos++;
    if (this.s[this.pos] === '\n') this.pos++;
    return true;
  }

  private literalString(): string {
    let depth = 0;
    const start = this.pos;
    for (; this.pos < this.s.length; this.pos++) {
      const ch = this.s[this.pos];
      if (ch === '\\') this.pos++;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) break;
    }
    this.pos++;
    return this.s.slice(start + 1, this.pos - 1);
  }

  private word(skipFirst: number): string {
    const start = this.pos + skipFirst;
    let i = start;
    while (i < this.s.length && !isWhite(this.s[i]) && !DELIMS.includes(this.s[i]!)) i++;
    this.pos = i;
    return this.s.slice(start, i);
  }

  private skip(): void {
    for (;;) {
      this.pos = skipWhite(this.s, this.pos);
      if (this.s[this.pos] !== '%') return;
      while (this.pos < this.s.length && this.s[this.pos] !== '\n' && this.s[this.pos] !== '\r') this.pos++;
    }
  }
}
