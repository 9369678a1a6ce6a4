import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../core/intake/limits.js';
import { isProblem } from '../../../core/intake/is-problem.js';
import { openPdf } from '../../../core/pdf/open-pdf.js';
import { readPage } from '../../../core/pdf/read-page.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Opens, reads and destroys `n` documents, as a job process or reader thread does one after another; weak references to what pdf.js built for each. */
async function readAndDestroy(n: number): Promise<WeakRef<object>[]> {
  const bytes = new Uint8Array(await readFile('../shared/corpus/dev/synth-1-0/digital.pdf'));
  const refs: WeakRef<object>[] = [];
  for (let i = 0; i < n; i++) {
    const pdf = await openPdf(bytes, DEFAULT_LIMITS);
    if (isProblem(pdf)) throw new Error(pdf.message);
    const page = await pdf.getPage(1);
    await readPage(page);
    page.cleanup();
    refs.push(new WeakRef(pdf.proxy), new WeakRef((pdf.proxy as unknown as { _transport: object })._transport));
    await pdf.destroy();
  }
  return refs;
}

describe('pdf.js documents are freed once destroyed (issue 14: job processes read thousands)', () => {
  it('keeps none of 20 destroyed documents reachable', async () => {
    const refs = await readAndDestroy(20);
    // Let pdf.js's fake worker settle its last messages, then collect.
    for (let round = 0; round < 5; round++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
    }
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});
