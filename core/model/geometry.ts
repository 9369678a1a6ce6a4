/** Geometry in page units: PDF points with a top-left origin (y grows downwards). */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** A ruling line: horizontal lines sit at y = `at` and run from x = `from` to x = `to`; vertical ones the other way round. */
export interface Segment {
  readonly axis: 'h' | 'v';
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

export type Rotation = 0 | 90 | 180 | 270;
