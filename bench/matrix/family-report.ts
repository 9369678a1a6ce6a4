/**
 * Report n of a font family, as the scan matrix prints it: the layout, digits face and weight turn
 * with the family and the report (so report n of a family is the same report on every device).
 * Shared by `bench/scan-matrix.ts gen` and the tests that print one of its pages.
 */
import { hash } from '../fax-pdf.js';
import { composeReport, type Composed, type Layout } from './compose-report.js';
import { DIGIT_FACES, FAMILIES, restyle, type FontFamily } from './devices.js';

export interface FamilyReport {
  readonly layout: Layout;
  /** The report's HTML in the family's faces. */
  readonly html: string;
  readonly gt: Composed['gt'] & { font: { family: string; digits: string; bold: boolean } };
}

/** The dev documents held out from all tuning (`synth-*-3`): only a held-out family may print their layouts or numbers. */
const HELD_OUT_LAYOUT = /^synth-.+-3$/;

/**
 * `withHeldOut` prints as the generator did before session 15, when tuned families could draw the
 * held-out layouts too: only for test pages found then, never for the matrix.
 */
export function familyReport(
  family: FontFamily,
  n: number,
  all: readonly Layout[],
  withHeldOut = family.heldOut === true,
): FamilyReport {
  const fi = FAMILIES.findIndex((f) => f.id === family.id);
  const layouts = withHeldOut ? all : all.filter((l) => !HELD_OUT_LAYOUT.test(l.name));
  // Templates alternate; the layout, digits face and weight turn with the family and the report.
  const pool = layouts.filter((l) => l.gt.expected.template_version === ((fi + n) % 2 ? 'v2019' : 'v2021'));
  const layout = pool[(fi + Math.floor(n / 2)) % pool.length]!;
  const report = composeReport(layout, layouts, hash(`${family.id}/${n}`));
  const digits = DIGIT_FACES[(fi + n) % DIGIT_FACES.length]!;
  const bold = ((fi >> 1) + n) % 2 === 1;
  return {
    layout,
    html: restyle(report.html, family, digits, bold),
    gt: { ...report.gt, font: { family: family.family, digits: digits ?? 'cjk', bold } },
  };
}
