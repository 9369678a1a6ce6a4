import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createOcrEngine } from '../../core/index.js';
import { pdftotextMissing } from '../../workers/probe-scan.js';

const CLI = fileURLToPath(new URL('../../cli/docq.ts', import.meta.url));
const DIGITAL = '/work/shared/corpus/dev/synth-1-0/digital.pdf';

describe('no silent deployment gaps', () => {
  it('a missing pdftotext is named at worker start', () => {
    const path = process.env['PATH'];
    try {
      process.env['PATH'] = '/nonexistent';
      expect(pdftotextMissing()).toMatch(/pdftotext .*poppler-utils.* not installed/);
    } finally {
      process.env['PATH'] = path;
    }
    expect(pdftotextMissing()).toBeNull(); // installed here (scripts/setup.sh)
  });

  it('TESSDATA_PREFIX is honoured, and a wrong one is named', async () => {
    await expect(createOcrEngine({ tessdata: '/nonexistent/tessdata' })).rejects.toThrow(
      /traineddata not found: \/nonexistent\/tessdata\/.*TESSDATA_PREFIX/,
    );
    const engine = await createOcrEngine({ tessdata: '/usr/share/tesseract-ocr/5/tessdata', workers: 1 });
    await engine.terminate();
  });

  it('docq extract reads a born-digital PDF on a machine without traineddata (the engine is built only when a page needs it)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', CLI, 'extract', '--json', DIGITAL],
      {
        env: { ...process.env, TESSDATA_PREFIX: '/nonexistent/tessdata' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const doc = JSON.parse(stdout) as { status: string };
    expect(doc.status).toBe('ok');
  }, 120_000);
});
