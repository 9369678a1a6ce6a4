/**
 * What a device paints on a page before the scanner's own noise: a red official seal stamped over
 * table cells, and the geometry and light of a phone photo (perspective, slight page curl, warm paper,
 * uneven light and a shadow, the desk around the sheet).
 */
import { createCanvas } from '@napi-rs/canvas';
import type { RawImage } from '../../test/helpers/make-scan.js';
import { rng } from '../fax-pdf.js';

/** Rows of the page whose ink covers more than half the width: the ruling lines of its tables. */
function rulingRows(page: RawImage): number[] {
  const rows: number[] = [];
  for (let y = 0; y < page.height; y++) {
    let dark = 0;
    for (let x = 0; x < page.width; x++) if (page.data[(y * page.width + x) * page.channels]! < 128) dark++;
    if (dark > page.width / 2) rows.push(y);
  }
  return rows;
}

/** A red seal (ring, star, issuer arced along the ring) stamped over the page's table, multiplied in. */
export function stampSeal(page: RawImage, seed: number, dpi: number, issuer: string): RawImage {
  if (page.channels !== 3) throw new Error('a seal needs a colour page');
  const rand = rng(seed);
  const lines = rulingRows(page);
  if (lines.length < 2) return page;
  const top = lines[0]!;
  const bottom = lines[lines.length - 1]!;
  const r = Math.round(dpi * 0.8);
  const cx = Math.round(page.width * (0.35 + rand() * 0.45));
  const cy = Math.round(top + (bottom - top) * (0.2 + rand() * 0.6));
  const size = 2 * r + 4;
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, size, size);
  ctx.translate(size / 2, size / 2);
  ctx.rotate((rand() - 0.5) * 0.6);
  ctx.strokeStyle = ctx.fillStyle = '#d8262a';
  ctx.lineWidth = r * 0.06;
  ctx.beginPath();
  ctx.arc(0, 0, r * 0.95, 0, Math.PI * 2);
  ctx.stroke();
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const rr = k % 2 ? r * 0.1 : r * 0.25;
    ctx.lineTo(Math.cos(a) * rr, Math.sin(a) * rr);
  }
  ctx.fill();
  ctx.font = `bold ${Math.round(r * 0.22)}px "Noto Serif CJK SC"`;
  ctx.textAlign = 'center';
  const text = [...issuer.slice(0, 12)];
  text.forEach((ch, k) => {
    const a = -Math.PI * 0.85 + (k + 0.5) * ((Math.PI * 1.7) / text.length) - Math.PI / 2;
    ctx.save();
    ctx.rotate(a + Math.PI / 2);
    ctx.fillText(ch, 0, -r * 0.65);
    ctx.restore();
  });
  const seal = ctx.getImageData(0, 0, size, size).data;
  const out = Buffer.from(page.data);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const px = cx - size / 2 + x;
      const py = cy - size / 2 + y;
      if (px < 0 || py < 0 || px >= page.width || py >= page.height) continue;
      // Uneven ink: some of the stamp's pels print faintly.
      const strength = 0.55 + 0.45 * rand();
      for (let c = 0; c < 3; c++) {
        const s = seal[(y * size + x) * 4 + c]!;
        const i = (py * page.width + px) * 3 + c;
        out[i] = Math.round(out[i]! * (1 - strength * (1 - s / 255)));
      }
    }
  return { ...page, data: out };
}

/** Solves the 8 unknowns of the homography taking `from` corners to `to` corners (Gaussian elimination). */
function homography(from: readonly [number, number][], to: readonly [number, number][]): number[] {
  const a: number[][] = [];
  from.forEach(([x, y], k) => {
    const [u, v] = to[k]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  });
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 9; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, k) => row[8]! / row[k]!);
}

/**
 * The page as a phone photographs it lying on a desk: the sheet's corners pulled into a keystone
 * (camera tilted towards the top) with a slight turn, its right edge curling up a little, warm paper,
 * light falling off across the sheet and a soft shadow over one corner; a darker desk around it.
 */
export function photograph(page: RawImage, seed: number): RawImage {
  if (page.channels !== 3) throw new Error('a photo is in colour');
  const rand = rng(seed);
  const { width: w, height: h } = page;
  const W = Math.round(w * 1.1);
  const H = Math.round(h * 1.08);
  const j = (s: number): number => (rand() - 0.5) * 2 * s;
  const inset = 0.04 + rand() * 0.03;
  const corners: [number, number][] = [
    [W * (0.05 + inset) + j(w * 0.01), H * 0.04 + j(h * 0.01)],
    [W * (0.95 - inset) + j(w * 0.01), H * 0.04 + j(h * 0.01)],
    [W * 0.96 + j(w * 0.01), H * 0.96 + j(h * 0.01)],
    [W * 0.04 + j(w * 0.01), H * 0.96 + j(h * 0.01)],
  ];
  const m = homography(corners, [
    [0, 0],
    [w, 0],
    [w, h],
    [0, h],
  ]);
  const curl = h * (0.004 + rand() * 0.004);
  const shadowX = rand() < 0.5 ? 0 : W;
  const shadowY = H * (0.6 + rand() * 0.4);
  const tint = [1, 0.95, 0.86];
  const desk = [92, 80, 66];
  const out = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const d = m[6]! * x + m[7]! * y + 1;
      const sx = (m[0]! * x + m[1]! * y + m[2]!) / d;
      let sy = (m[3]! * x + m[4]! * y + m[5]!) / d;
      const t = Math.max(0, (sx - 0.65 * w) / (0.35 * w));
      sy += curl * t * t;
      const light =
        (0.8 + 0.2 * (1 - x / W) * (1 - 0.4 * (y / H))) *
        (1 - 0.35 * Math.exp(-((x - shadowX) ** 2 + (y - shadowY) ** 2) / (2 * (0.22 * W) ** 2)));
      const o = (y * W + x) * 3;
      if (sx < 0 || sy < 0 || sx >= w - 1 || sy >= h - 1) {
        for (let c = 0; c < 3; c++) out[o + c] = Math.round(desk[c]! * light);
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number): number => page.data[(yy * w + xx) * 3 + c]!;
        const v =
          (p(y0, x0) * (1 - fx) + p(y0, x0 + 1) * fx) * (1 - fy) +
          (p(y0 + 1, x0) * (1 - fx) + p(y0 + 1, x0 + 1) * fx) * fy;
        out[o + c] = Math.round(v * tint[c]! * light);
      }
    }
  return { data: out, width: W, height: H, channels: 3 };
}
