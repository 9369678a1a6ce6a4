import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { indexPdfObjects, loadPageRaster, readPageImage } from '../../../core/pdf/page-image.js';
import { findRasterTables } from '../../../core/raster/find-raster-tables.js';
import { prepareScan } from '../../../core/raster/prepare-scan.js';

/** A one-page PDF whose page is one JPEG (img2pdf style): 400 × 600 px on a 4 × 6 in page, i.e. 100 dpi. */
async function imagePdf(opts: {
  objectStreams: boolean;
  rotate?: number;
  margin?: number;
  colour?: boolean;
  /** Page size without margins (default 4 × 6 in: 100 dpi). */
  inches?: readonly [number, number];
}): Promise<Uint8Array> {
  const raw = new Uint8Array(400 * 600).fill(240);
  for (let x = 50; x < 350; x++) raw[100 * 400 + x] = 0; // a black rule at y = 100
  const grey = sharp(raw, { raw: { width: 400, height: 600, channels: 1 } });
  const jpeg = await grey
    .toColourspace(opts.colour ? 'srgb' : 'b-w')
    .jpeg({ quality: 95 })
    .toBuffer();
  const doc = await PDFDocument.create();
  const img = await doc.embedJpg(jpeg);
  const m = opts.margin ?? 0;
  const [w, h] = (opts.inches ?? [4, 6]).map((i) => i * 72) as [number, number];
  const page = doc.addPage([w, h + 2 * m]);
  page.drawImage(img, { x: 0, y: m, width: w, height: h });
  if (opts.rotate) page.setRotation({ type: 'degrees', angle: opts.rotate } as never);
  return doc.save({ useObjectStreams: opts.objectStreams });
}

async function openPage(bytes: Uint8Array, n = 1) {
  const doc = await getDocument({ data: bytes.slice(), verbosity: 0 }).promise;
  return { doc, page: await doc.getPage(n) };
}

describe('readPageImage / loadPageRaster', () => {
  it('takes the embedded JPEG of an image-only page with dpi from page size', async () => {
    const bytes = await imagePdf({ objectStreams: false, inches: [2, 3] });
    const { doc, page } = await openPage(bytes);
    try {
      const r = await readPageImage(indexPdfObjects(bytes), page);
      expect(r).not.toBeNull();
      expect([r!.width, r!.height, r!.dpi]).toEqual([400, 600, 200]);
      expect(r!.data[100 * 400 + 200]).toBeLessThan(40);
      expect(r!.data[300 * 400 + 200]).toBeGreaterThan(220);
    } finally {
      await doc.destroy();
    }
  });

  it('pads a page with margins so pixel → point geometry holds, and applies /Rotate', async () => {
    const bytes = await imagePdf({ objectStreams: false, margin: 9, rotate: 90, inches: [2, 3] });
    const { doc, page } = await openPage(bytes);
    try {
      const r = (await readPageImage(indexPdfObjects(bytes), page))!;
      // 2 × 3.25 in page at 200 dpi, turned 90° clockwise → 650 × 400
      expect([r.width, r.height]).toEqual([650, 400]);
      // the rule at image row 100 sits 25 px (9 pt) lower on the padded page: x = 650 − 1 − 125 after turning
      expect(r.data[200 * 650 + (650 - 1 - 125)]).toBeLessThan(40);
    } finally {
      await doc.destroy();
    }
  });

  it('reads the embedded image when the page objects sit in object streams (pdf-lib, PDF 1.5 scanners)', async () => {
    const bytes = await imagePdf({ objectStreams: true, margin: 9, rotate: 90, inches: [2, 3] });
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/Type\s*\/ObjStm/);
    const { doc, page } = await openPage(bytes);
    try {
      const index = indexPdfObjects(bytes);
      expect(index.compressed.size).toBeGreaterThan(0);
      const out = await loadPageRaster(index, page, 1);
      expect(out.status === 'ok' && [out.source, out.raster.width, out.raster.height, out.raster.dpi]).toEqual([
        'embedded',
        650,
        400,
        200,
      ]);
      if (out.status === 'ok') expect(out.raster.data[200 * 650 + (650 - 1 - 125)]).toBeLessThan(40);
    } finally {
      await doc.destroy();
    }
  });

  it('reads grey images below 200 dpi at 300 dpi and leaves colour ones below 300 to the 300-dpi render', async () => {
    // 400 × 600 px on a 2 × 3 in page is 200 dpi: kept; on the 4 × 6 in page 100 dpi: upsampled.
    const grey200 = await imagePdf({ objectStreams: true, inches: [2, 3] });
    const grey100 = await imagePdf({ objectStreams: true });
    const colour100 = await imagePdf({ objectStreams: true, colour: true });
    const read = async (bytes: Uint8Array) => {
      const { doc, page } = await openPage(bytes);
      try {
        const index = indexPdfObjects(bytes);
        return { image: await readPageImage(index, page), loaded: await loadPageRaster(index, page, 1) };
      } finally {
        await doc.destroy();
      }
    };
    const a = (await read(grey200)).image!;
    expect([a.width, a.height, a.dpi]).toEqual([400, 600, 200]);
    const b = (await read(grey100)).image!;
    expect([b.width, b.height, b.dpi]).toEqual([1200, 1800, 300]);
    // The one-pixel rule at y = 100 of 100 dpi, three rows tall now.
    expect(Math.min(...[298, 299, 300, 301, 302, 303].map((y) => b.data[y * 1200 + 600]!))).toBeLessThan(80);
    expect(b.data[900 * 1200 + 600]).toBeGreaterThan(220);
    const c = await read(colour100);
    expect(c.image).toBeNull();
    expect(c.loaded.status === 'ok' && [c.loaded.source, c.loaded.raster.width, c.loaded.raster.dpi]).toEqual([
      'rendered',
      1200,
      300,
    ]);
  });

  it('survives object streams with hostile headers: no throw, no image from a broken one', async () => {
    const good = Buffer.from(await imagePdf({ objectStreams: true })).toString('latin1');
    const dict = /<<([^>]*\/Type\s*\/ObjStm[^>]*)>>/;
    const header = dict.exec(good)![1]!;
    const variants = [
      header.replace(/\/N\s+\d+/, '/N 1000000000'),
      header.replace(/\/N\s+\d+/, '/N -3'),
      header.replace(/\/First\s+\d+/, '/First 1000000000'),
      header.replace(/\/First\s+\d+/, '/First -5'),
      header.replace(/\/Length\s+\d+/, '/Length 1000000000'),
      header.replace(/\/Filter\s*\/FlateDecode/, '/Filter /LZWDecode'),
      header.replace(/\/Type\s*\/ObjStm/, '/Type /ObjStm /Type /ObjStm ['),
    ];
    for (const v of variants) {
      const bytes = new Uint8Array(Buffer.from(good.replace(dict, `<<${v}>>`), 'latin1'));
      const index = indexPdfObjects(bytes);
      const { doc, page } = await openPage(new Uint8Array(Buffer.from(good, 'latin1')));
      try {
        const r = await readPageImage(index, page);
        // Either the stream still reads (a bound it kept) and the image is whole, or nothing is taken.
        if (r !== null) expect([r.width, r.height]).toEqual([1200, 1800]);
      } finally {
        await doc.destroy();
      }
    }
  });

  it('falls back to rendering when an object stream inflates past its bound (a zip bomb)', async () => {
    const good = Buffer.from(await imagePdf({ objectStreams: true })).toString('latin1');
    // Every object stream replaced by one that inflates to 64 MB of spaces: its objects are unreachable.
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20)).toString('latin1');
    const hostile = good.replace(
      /<<[^>]*\/Type\s*\/ObjStm[^>]*>>\s*stream\r?\n[\s\S]*?endstream/g,
      `<< /Type /ObjStm /N 3 /First 12 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n${bomb}\nendstream`,
    );
    expect(hostile).not.toBe(good);
    const bytes = new Uint8Array(Buffer.from(hostile, 'latin1'));
    const index = indexPdfObjects(bytes);
    expect(index.compressed.size).toBe(0);
    const { doc, page } = await openPage(new Uint8Array(Buffer.from(good, 'latin1')));
    try {
      // The page proxy of the good file, the index of the hostile one: no page dictionary, so no image.
      expect(await readPageImage(index, page)).toBeNull();
    } finally {
      await doc.destroy();
    }
  });
});

describe('dev corpus scan page', () => {
  it('reads the 表三 page of a heavy scan into the same grid as the digital PDF (16 × 10, 117 cells)', async () => {
    const bytes = new Uint8Array(
      readFileSync(new URL('../../../../shared/corpus/dev/synth-21x-3/scan-heavy.pdf', import.meta.url)),
    );
    const { doc, page } = await openPage(bytes, 2);
    try {
      const out = await loadPageRaster(indexPdfObjects(bytes), page, 2);
      expect(out.status === 'ok' && out.source).toBe('embedded');
      if (out.status !== 'ok') return;
      const prepared = await prepareScan(out.raster);
      expect(prepared.rotation).toBe(0);
      expect(Math.abs(prepared.skewDeg)).toBeGreaterThan(1);
      const { tables } = findRasterTables(prepared, 2);
      expect(tables.map((t) => [t.rows, t.cols, t.cells.length])).toEqual([
        [13, 4, 29],
        [16, 10, 117],
      ]);
    } finally {
      await doc.destroy();
    }
  });
});
