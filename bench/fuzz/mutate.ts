/**
 * Seeded mutations of real documents: each returns new bytes and a name for what it did. A damaged
 * file must end as one document with a status (and, failed, a specific code) — never a stall or a crash.
 */
import { rng } from '../fax-pdf.js';

/** The seeded PRNG the fax bench uses (mulberry32), so a fuzz run can be repeated exactly. */
export { rng };

export type Mutation = (bytes: Uint8Array, random: () => number) => Uint8Array;

const int = (random: () => number, n: number): number => Math.floor(random() * n);

const bitFlips: Mutation = (bytes, random) => {
  const out = new Uint8Array(bytes);
  const flips = 1 + int(random, 64);
  for (let i = 0; i < flips; i++) out[int(random, out.length)]! ^= 1 << int(random, 8);
  return out;
};

const truncate: Mutation = (bytes, random) => bytes.slice(0, Math.max(1, int(random, bytes.length)));

const zeroRun: Mutation = (bytes, random) => {
  const out = new Uint8Array(bytes);
  const at = int(random, out.length);
  out.fill(0, at, Math.min(out.length, at + 1 + int(random, 4096)));
  return out;
};

const duplicateRun: Mutation = (bytes, random) => {
  const at = int(random, bytes.length);
  const run = bytes.slice(at, Math.min(bytes.length, at + 1 + int(random, 8192)));
  const to = int(random, bytes.length);
  return concat([bytes.slice(0, to), run, bytes.slice(to)]);
};

/** Replaces the number after a `keyword` (e.g. `/Length`, `startxref`) at a random occurrence with a lie. */
function lieAbout(keyword: string): Mutation {
  return (bytes, random) => {
    const text = Buffer.from(bytes).toString('latin1');
    const re = new RegExp(`${keyword}\\s+(\\d+)`, 'g');
    const hits = [...text.matchAll(re)];
    if (hits.length === 0) return bitFlips(bytes, random);
    const hit = hits[int(random, hits.length)]!;
    const lies = ['0', '1', '999999999', String(Number(hit[1]) * 2), String(Math.max(0, Number(hit[1]) - 17))];
    const lie = lies[int(random, lies.length)]!;
    const start = hit.index + hit[0].length - hit[1]!.length;
    return concat([bytes.slice(0, start), Buffer.from(lie, 'latin1'), bytes.slice(start + hit[1]!.length)]);
  };
}

const garbageStream: Mutation = (bytes, random) => {
  const text = Buffer.from(bytes).toString('latin1');
  const starts = [...text.matchAll(/stream\r?\n/g)].map((m) => m.index + m[0].length);
  if (starts.length === 0) return bitFlips(bytes, random);
  const from = starts[int(random, starts.length)]!;
  const end = text.indexOf('endstream', from);
  const out = new Uint8Array(bytes);
  for (let i = from; i < (end < 0 ? out.length : end); i++) out[i] = int(random, 256);
  return out;
};

const shuffleBlocks: Mutation = (bytes, random) => {
  const n = 2 + int(random, 8);
  const size = Math.ceil(bytes.length / n);
  const blocks = Array.from({ length: n }, (_, i) => bytes.slice(i * size, (i + 1) * size));
  for (let i = blocks.length - 1; i > 0; i--) {
    const j = int(random, i + 1);
    [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
  }
  return concat(blocks);
};

export const MUTATIONS: Readonly<Record<string, Mutation>> = {
  'bit-flips': bitFlips,
  truncate,
  'zeroed-run': zeroRun,
  'duplicated-run': duplicateRun,
  'lying-length': lieAbout('/Length'),
  'lying-startxref': lieAbout('startxref'),
  'garbage-stream': garbageStream,
  'shuffled-blocks': shuffleBlocks,
};

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
}
