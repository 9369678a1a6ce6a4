/** An 8-bit grayscale raster, one byte per pixel, row-major; 0 is black, 255 white. */
export interface GrayRaster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A rectangle in raster pixels: x0/y0 inclusive, x1/y1 exclusive, top-left origin. */
export interface PixelBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}
