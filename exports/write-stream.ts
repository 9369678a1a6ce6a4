import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes respecting backpressure: memory stays bounded however fast the database reads. */
export async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export interface ExportCounts {
  documents: number;
  cells: number;
}
