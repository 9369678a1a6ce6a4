// A projection of whole top-level fields (`{cells: 1, corrections: 1}`, `{sections: 0}`: no dotted
// paths, no operators) cut out of the stored BSON: the kept elements are copied byte for byte,
// nothing is decoded or re-encoded. Through mingo a 100 KB report read for its cells cost a decode
// and an encode of the whole document on the server (bench/export: more server time than the
// export's own work); cut, it costs a walk over its ~25 element headers. Anything else goes through
// mingo (project-documents.ts). Hand-written because no BSON library slices a document by field.
import type { Document } from 'bson';
import { valueSize } from '../storage/decode-fields.js';
import { promoteNumbers } from '../storage/typed-values.js';

/** Stored BSON in, projected BSON out. */
export type RawProjection = (raw: Buffer) => Buffer;

/** The cutter for a projection of whole top-level fields, or null when the projection is anything else. */
export function rawProjection(spec: Document): RawProjection | null {
  const entries = Object.entries(promoteNumbers(spec));
  if (entries.length === 0) return null;
  const fields = new Map<string, boolean>();
  for (const [name, value] of entries) {
    if (name.includes('.') || name.startsWith('$')) return null;
    if (typeof value !== 'number' && typeof value !== 'boolean') return null;
    fields.set(name, value !== 0 && value !== false);
  }
  const others = [...fields].filter(([name]) => name !== '_id');
  const including = others.length > 0 ? others[0]![1] : fields.get('_id') === true;
  // MongoDB refuses a mix of inclusions and exclusions (except _id): mingo says how.
  if (others.some(([, on]) => on !== including)) return null;
  const keep = including
    ? (name: string): boolean => fields.get(name) ?? name === '_id'
    : (name: string): boolean => fields.get(name) ?? true;
  return (raw) => cut(raw, keep);
}

function cut(raw: Buffer, keep: (name: string) => boolean): Buffer {
  const end = raw.readInt32LE(0) - 1;
  const spans: number[] = [];
  let kept = 0;
  let offset = 4;
  while (offset < end) {
    const type = raw[offset] ?? 0;
    const nameEnd = raw.indexOf(0, offset + 1);
    const valueEnd = nameEnd + 1 + valueSize(raw, type, nameEnd + 1);
    if (keep(raw.toString('utf8', offset + 1, nameEnd))) {
      spans.push(offset, valueEnd);
      kept += valueEnd - offset;
    }
    offset = valueEnd;
  }
  if (kept === end - 4) return raw;
  const out = Buffer.allocUnsafe(4 + kept + 1);
  out.writeInt32LE(out.length, 0);
  let at = 4;
  for (let i = 0; i < spans.length; i += 2) at += raw.copy(out, at, spans[i], spans[i + 1]);
  out[at] = 0;
  return out;
}
