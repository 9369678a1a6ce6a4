import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Box, Segment, Size } from '../model/index.js';
import { IDENTITY, applyX, applyY, multiply, toMatrix, type Matrix } from './matrix.js';
import type { FilledRect, TextStats } from './raw-page.js';

/** A filled rectangle thinner than this (points) is drawn as a rule, not as shading (Skia/Chrome PDFs draw all rules so). */
const THIN_RULE = 2.5;
/** A drawn line within this angle error (points of drift over its length) still counts as horizontal/vertical. */
const AXIS_DRIFT = 0.5;
/** Lines shorter than this are glyph parts, tick marks or dots, never table rules. */
const MIN_RULE_LENGTH = 4;
/** Fills lighter than this are white backgrounds, not shading. */
const WHITE_LUMINANCE = 0.97;

/** pdf.js 5 packs paths into constructPath as [paintOp, [Float32Array of DrawOPS], minMax]. */
const DRAW_MOVE = 0;
const DRAW_LINE = 1;
const DRAW_CURVE = 2;
const DRAW_QUAD = 3;
const DRAW_CLOSE = 4;

const STROKE_OPS: ReadonlySet<number> = new Set([OPS.stroke, OPS.closeStroke]);
const FILL_OPS: ReadonlySet<number> = new Set([OPS.fill, OPS.eoFill]);
const FILL_STROKE_OPS: ReadonlySet<number> = new Set([
  OPS.fillStroke,
  OPS.eoFillStroke,
  OPS.closeFillStroke,
  OPS.closeEOFillStroke,
]);
const IMAGE_OPS: ReadonlySet<number> = new Set([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
  OPS.paintImageXObjectRepeat,
  OPS.paintImageMaskXObjectRepeat,
]);
/** Render modes 3 (neither fill nor stroke) and 7 (clip only) draw nothing visible. */
const HIDDEN_RENDER_MODES: ReadonlySet<number> = new Set([3, 7]);

export interface OperatorListLike {
  readonly fnArray: readonly number[];
  readonly argsArray: readonly unknown[];
}

export interface PageGraphics {
  readonly segments: readonly Segment[];
  readonly fills: readonly FilledRect[];
  readonly imageCoverage: number;
  readonly textStats: TextStats;
}

type Point = { readonly x: number; readonly y: number };

function luminanceOf(color: unknown): number {
  if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return 0;
  const n = Number.parseInt(color.slice(1), 16);
  return (0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255)) / 255;
}

/** Splits DrawOPS data into subpaths of device points (curves become their end points: only straight rules matter). */
function subpaths(data: ArrayLike<number>, m: Matrix): { points: Point[]; closed: boolean }[] {
  const out: { points: Point[]; closed: boolean }[] = [];
  let cur: { points: Point[]; closed: boolean } | null = null;
  const at = (x: number, y: number): Point => ({ x: applyX(m, x, y), y: applyY(m, x, y) });
  for (let i = 0; i < data.length;) {
    const op = data[i++];
    if (op === DRAW_MOVE) {
      cur = { points: [at(data[i] ?? 0, data[i + 1] ?? 0)], closed: false };
      out.push(cur);
      i += 2;
    } else if (op === DRAW_LINE) {
      cur?.points.push(at(data[i] ?? 0, data[i + 1] ?? 0));
      i += 2;
    } else if (op === DRAW_CURVE) {
      cur?.points.push(at(data[i + 4] ?? 0, data[i + 5] ?? 0));
      if (cur) cur.closed = cur.closed || false;
      i += 6;
    } else if (op === DRAW_QUAD) {
      cur?.points.push(at(data[i + 2] ?? 0, data[i + 3] ?? 0));
      i += 4;
    } else if (op === DRAW_CLOSE) {
      if (cur) cur.closed = true;
    } else {
      break; // unknown opcode: stop rather than misread the rest of the path
    }
  }
  return out;
}

function lineSegment(a: Point, b: Point): Segment | null {
  const dx = Math.abs(a.x - b.x);
  const dy = Math.abs(a.y - b.y);
  if (dy <= AXIS_DRIFT && dx >= MIN_RULE_LENGTH) {
    return { axis: 'h', at: (a.y + b.y) / 2, from: Math.min(a.x, b.x), to: Math.max(a.x, b.x) };
  }
  if (dx <= AXIS_DRIFT && dy >= MIN_RULE_LENGTH) {
    return { axis: 'v', at: (a.x + b.x) / 2, from: Math.min(a.y, b.y), to: Math.max(a.y, b.y) };
  }
  return null;
}

/** The box of a subpath when it is an axis-aligned rectangle, else null. */
function rectBox(points: readonly Point[]): Box | null {
  const pts = points.length === 5 ? points.slice(0, 4) : points;
  if (pts.length !== 4) return null;
  for (let i = 0; i < 4; i++) {
    const a = pts[i] as Point;
    const b = pts[(i + 1) % 4] as Point;
    if (Math.abs(a.x - b.x) > AXIS_DRIFT && Math.abs(a.y - b.y) > AXIS_DRIFT) return null;
  }
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

function ruleFromRect(box: Box): Segment | null {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  if (h <= THIN_RULE && w >= MIN_RULE_LENGTH) return { axis: 'h', at: (box.y0 + box.y1) / 2, from: box.x0, to: box.x1 };
  if (w <= THIN_RULE && h >= MIN_RULE_LENGTH) return { axis: 'v', at: (box.x0 + box.x1) / 2, from: box.y0, to: box.y1 };
  return null;
}

function clippedArea(m: Matrix, size: Size): number {
  const xs = [applyX(m, 0, 0), applyX(m, 1, 0), applyX(m, 0, 1), applyX(m, 1, 1)];
  const ys = [applyY(m, 0, 0), applyY(m, 1, 0), applyY(m, 0, 1), applyY(m, 1, 1)];
  const w = Math.min(size.width, Math.max(...xs)) - Math.max(0, Math.min(...xs));
  const h = Math.min(size.height, Math.max(...ys)) - Math.max(0, Math.min(...ys));
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Walks a pdf.js operator list once, tracking the CTM through save/restore/transform and form XObjects,
 * and collects ruling lines, shaded rectangles, image coverage and text-visibility counts, all in the
 * coordinates `base` maps to (the upright page, top-left origin).
 */
export function readGraphics(list: OperatorListLike, base: Matrix, size: Size): PageGraphics {
  const segments: Segment[] = [];
  const fills: FilledRect[] = [];
  const stack: { ctm: Matrix; fill: number; mode: number }[] = [];
  let ctm: Matrix = IDENTITY;
  let fill = 0;
  let mode = 0;
  let imageArea = 0;
  let shown = 0;
  let hidden = 0;
  let unmapped = 0;
  const { fnArray, argsArray } = list;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i] as number;
    const args = argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push({ ctm, fill, mode });
    else if (fn === OPS.restore) {
      const top = stack.pop();
      if (top) ({ ctm, fill, mode } = top);
    } else if (fn === OPS.transform && args) ctm = multiply(ctm, toMatrix(args as number[]));
    else if (fn === OPS.paintFormXObjectBegin && args) {
      stack.push({ ctm, fill, mode });
      if (Array.isArray(args[0]) || ArrayBuffer.isView(args[0]))
        ctm = multiply(ctm, toMatrix(args[0] as ArrayLike<number>));
    } else if (fn === OPS.paintFormXObjectEnd) {
      const top = stack.pop();
      if (top) ({ ctm, fill, mode } = top);
    } else if (fn === OPS.setFillRGBColor && args) fill = luminanceOf(args[0]);
    else if (fn === OPS.setTextRenderingMode && args) mode = Number(args[0]);
    else if (fn === OPS.showText && args && Array.isArray(args[0])) {
      for (const g of args[0] as unknown[]) {
        if (typeof g !== 'object' || g === null) continue; // numbers are kerning adjustments
        const glyph = g as { unicode?: unknown; isSpace?: unknown };
        shown++;
        if (HIDDEN_RENDER_MODES.has(mode)) hidden++;
        if (typeof glyph.unicode !== 'string' || glyph.unicode === '') unmapped++;
      }
    } else if (IMAGE_OPS.has(fn)) imageArea += clippedArea(multiply(base, ctm), size);
    else if (fn === OPS.constructPath && args) {
      const paint = args[0] as number;
      const isStroke = STROKE_OPS.has(paint) || FILL_STROKE_OPS.has(paint);
      const isFill = FILL_OPS.has(paint) || FILL_STROKE_OPS.has(paint);
      if (!isStroke && !isFill) continue;
      const data = (args[1] as unknown[] | undefined)?.[0] as ArrayLike<number> | undefined;
      if (!data) continue;
      const m = multiply(base, ctm);
      for (const sub of subpaths(data, m)) {
        const box = rectBox(sub.points);
        if (isFill && box) {
          const rule = ruleFromRect(box);
          if (rule) segments.push(rule);
          else if (fill < WHITE_LUMINANCE) fills.push({ box, luminance: fill });
        }
        if (isStroke) {
          const pts = sub.closed && sub.points.length > 1 ? [...sub.points, sub.points[0] as Point] : sub.points;
          for (let k = 1; k < pts.length; k++) {
            const s = lineSegment(pts[k - 1] as Point, pts[k] as Point);
            if (s) segments.push(s);
          }
        }
      }
    }
  }
  const pageArea = size.width * size.height;
  return {
    segments,
    fills,
    imageCoverage: pageArea > 0 ? Math.min(1, imageArea / pageArea) : 0,
    textStats: { shown, hidden, unmapped },
  };
}
