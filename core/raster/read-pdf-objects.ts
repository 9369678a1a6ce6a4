import { inflateSync } from 'node:zlib';

/**
 * A minimal reader for top-level PDF objects: enough to reach a page's resources, content stream
 * and image XObjects without decoding the image (pdf.js decodes every JPEG in JavaScript while
 * building the operator list, ≈ 0.4–0.6 s per 300-dpi page; the raw DCT bytes through sharp take
 * ≈ 0.05 s). Objects inside object streams are not reachable: callers fall back to pdf.js then.
 */

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
}

/** Indexes every `N G obj` header; later definitions (incremental updates) win. */
export function indexPdfObjects(bytes: Uint8Array): PdfObjectIndex {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  const offsets = new Map<string, number>();
  const re = /(?:^|[\s>\]])(\d+)\s+(\d+)\s+obj\b/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    offsets.set(`${m[1]} ${m[2]}`, m.index + m[0].length);
  }
  return { bytes, text, offsets };
}

/** Parses the object `ref`; undefined when it is not a top-level object or does not parse. */
export function readPdfObject(index: PdfObjectIndex, ref: PdfRef): PdfValue | undefined {
  const at = index.offsets.get(`${ref.num} ${ref.gen}`);
  if (at === undefined) return undefined;
  try {
    const parser = new Parser(index.text, at);
    const value = parser.value();
    if (isDict(value) && parser.streamFollows()) return { dict: value.dict, streamAt: parser.pos };
    return value;
  } catch {
    return undefined;
  }
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

/** Stream bytes with FlateDecode undone; undefined for other filters or predictors. */
export function decodedStreamBytes(index: PdfObjectIndex, stream: PdfDict): Uint8Array | undefined {
  const raw = streamBytes(index, stream);
  if (raw === undefined) return undefined;
  const filters = filterNames(index, stream);
  if (filters.length === 0) return raw;
  if (filters.length === 1 && filters[0] === 'FlateDecode' && stream.dict.get('DecodeParms') === undefined) {
    try {
      return new Uint8Array(inflateSync(raw));
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
