import { describe, expect, it } from 'vitest';
import { rotateRightAngle, toGray, transpose, type Raster } from '../../../core/raster/raster.js';

const r: Raster = { width: 3, height: 2, dpi: 100, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };

describe('raster helpers', () => {
  it('rotates clockwise by right angles', () => {
    expect(Array.from(rotateRightAngle(r, 90).data)).toEqual([4, 1, 5, 2, 6, 3]);
    expect(Array.from(rotateRightAngle(r, 180).data)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(Array.from(rotateRightAngle(r, 270).data)).toEqual([3, 6, 2, 5, 1, 4]);
    const back = rotateRightAngle(rotateRightAngle(r, 90), 270);
    expect([back.width, back.height, Array.from(back.data)]).toEqual([3, 2, [1, 2, 3, 4, 5, 6]]);
  });

  it('transposes', () => {
    expect(Array.from(transpose(r.data, 3, 2))).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('takes the red channel of colour pixels, lifted by their redness, so red ink turns paper white', () => {
    // A seal's red, black print, black print half over the seal, blue ink, a faint gray mark.
    const rgb = Uint8Array.from([216, 38, 42, 20, 20, 20, 105, 25, 25, 30, 40, 160, 200, 200, 200]);
    expect(Array.from(toGray(rgb, 5, 1, 3))).toEqual([255, 20, 145, 30, 200]);
  });
});
