import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * tesseract prints its own messages from the wasm worker thread straight to the process's stderr
 * ("Estimating resolution as 313" for an image read without a resolution, "Detected 90 diacritics"
 * on a specked page). They belong in the debug log (workers/tesseract-log.ts), not the terminal: a
 * real process reads such an image through the real OCR engine, once without DOCQ_DEBUG (nothing on
 * stderr) and once with it (the messages, marked).
 */
describe('tesseract messages go to the debug log, not stderr', () => {
  let dir: string;
  let script: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docq-tess-messages-'));
    script = join(dir, 'read.mts');
    await writeFile(
      script,
      `import { createOcrEngine } from '${ROOT}core/ocr/create-ocr-engine.ts';
import { tesseractLog } from '${ROOT}workers/tesseract-log.ts';
const engine = await createOcrEngine({ workers: 1, onMessage: tesseractLog() });
const width = 400, height = 200, data = new Uint8Array(width * height).fill(255);
let seed = 7;
for (let i = 0; i < 4000; i++) data[(seed = (seed * 48271) % 2147483647) % (width * height)] = 0;
for (let x = 20; x < 380; x++) for (let y = 85; y < 105; y++) if ((x >> 2) % 3) data[y * width + x] = 0;
// dpi 0: tesseract has to estimate the resolution, and says so.
await engine.readPage({ width, height, data }, 0);
await engine.terminate();
// The same page through the tesseract.js workers (the cell reads' pool, whose messages take their own route).
const wasm = await createOcrEngine({ workers: 1, onMessage: tesseractLog(), nativePage: false });
await wasm.readPage({ width, height, data }, 0);
await wasm.terminate();
process.stdout.write('read\\n');
`,
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function run(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('prints nothing of tesseract without DOCQ_DEBUG, and the messages marked with it', async () => {
    const { DOCQ_DEBUG: _unset, ...env } = process.env;
    const quiet = await run(env);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('read\n');
    expect(quiet.stderr).not.toMatch(/resolution|diacritics|Warning/i);
    const debug = await run({ ...env, DOCQ_DEBUG: '1' });
    expect(debug.code).toBe(0);
    // Once from the native CLI, once from the tesseract.js worker.
    expect(debug.stderr.match(/^\[tesseract\] Estimating resolution as \d+$/gm)).toHaveLength(2);
    // Every line of tesseract's comes through the debug log, none bare.
    expect(debug.stderr.split('\n').filter((l) => /resolution/i.test(l) && !l.startsWith('[tesseract] '))).toEqual([]);
  }, 120_000);
});
