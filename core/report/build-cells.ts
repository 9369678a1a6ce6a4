import type { Cell, ReportCell, TemplateVersion } from '../model/index.js';
import { PARSE_FACTOR } from './confidence.js';
import type { MappedValue } from './mapped-value.js';
import { parseNumber, regroupCount } from './parse-number.js';
import { numberKindOf, schemaKeys } from './schema.js';

export interface CellQuality {
  readonly source: number;
  readonly parse: number;
  /** Read by OCR rather than from a text layer: a misread is possible, so it needs a rule or a person. */
  readonly ocr?: boolean;
  /** Some digit was read as a look-alike letter (O for 0): only a holding exact rule vouches for it. */
  readonly lookalike?: boolean;
  /** OCR only: how many digits the ink printed and the other readings of the cell (a repair's evidence). */
  readonly glyphs?: number;
  readonly slots?: number;
  readonly alternatives?: readonly string[];
  /** OCR only: read by the page's digit shapes, not the recogniser: no sum makes it trusted. */
  readonly shapeRead?: boolean;
  /** OCR only: each digit as the page's sure digits classify it, `?` unknown (a repair's evidence). */
  readonly shapes?: string;
  /** OCR only: nothing printed where a sign would be, so an unsigned reading is a rise (doubtful-readings.ts). */
  readonly signless?: boolean;
  /** A count read with points where its thousands separators print (4.597 → 4597): only its form was in doubt. */
  readonly regrouped?: boolean;
}

export interface BuiltCells {
  readonly cells: Record<string, ReportCell>;
  readonly missing: string[];
  /** Source confidence and parse-quality factor per key, kept for the confidence pass after the checks. */
  readonly quality: Record<string, CellQuality>;
}

/**
 * Parses mapped values into report cells for every schema key of the version. Keys the
 * document lacks get `reason: 'missing'` and a flag (never an invented value); unparsable text
 * gets `reason: 'unparsable'` and a flag; blanks are null with `reason: 'blank'` and no flag.
 */
export function buildCells(values: readonly MappedValue[], version: TemplateVersion): BuiltCells {
  const byKey = new Map(values.map((v) => [v.key, v]));
  const cells: Record<string, ReportCell> = {};
  const missing: string[] = [];
  const quality: Record<string, CellQuality> = {};
  // Schema keys first, then extra keys the layout printed (a v2021 report's single （六） row).
  const keys = [...new Set([...schemaKeys(version), ...values.map((v) => v.key)])];
  for (const key of keys) {
    const mapped = byKey.get(key);
    if (!mapped) {
      missing.push(key);
      quality[key] = { source: 0, parse: 0 };
      cells[key] = {
        key,
        raw: null,
        value: null,
        reason: 'missing',
        confidence: 0,
        flags: ['missing-value'],
        source: null,
      };
      continue;
    }
    const { cell } = mapped;
    const source = { tableId: mapped.tableId, row: cell.row, col: cell.col, page: cell.page };
    const parsed = parseNumber(cell.text, { lookalikes: cell.origin === 'ocr' });
    const flags: string[] = [];
    let factor: number = PARSE_FACTOR.clean;
    if (mapped.byOrder) factor = Math.min(factor, PARSE_FACTOR.byOrder);
    if (mapped.ambiguous) {
      factor = Math.min(factor, PARSE_FACTOR.ambiguous);
      flags.push('ambiguous-parse');
    }
    if (!parsed.ok) {
      if (parsed.reason === 'unparsable') {
        factor = PARSE_FACTOR.unparsable;
        flags.push('unparsable');
      }
      quality[key] = { source: cell.confidence, parse: factor, ocr: cell.origin === 'ocr', ...inkEvidence(cell) };
      cells[key] = {
        key,
        raw: cell.text,
        value: null,
        reason: parsed.reason,
        confidence: cell.confidence * factor,
        flags,
        source,
        ...unitOf(mapped),
      };
      continue;
    }
    if (parsed.cleaned) factor = Math.min(factor, PARSE_FACTOR.cleaned);
    const kind = numberKindOf(key);
    let value = parsed.value;
    let regrouped = false;
    if (kind !== 'decimal' && !Number.isInteger(value)) {
      // A fraction in a count cell is a misread: most often thousands separators read as points.
      const count = regroupCount(cell.text);
      regrouped = count !== null && !mapped.ambiguous;
      value = count ?? value;
      factor = Math.min(factor, PARSE_FACTOR.ambiguous);
      flags.push('ambiguous-parse');
    }
    quality[key] = {
      source: cell.confidence,
      parse: factor,
      ocr: cell.origin === 'ocr',
      ...(parsed.lookalike ? { lookalike: true } : {}),
      ...(regrouped ? { regrouped: true } : {}),
      ...inkEvidence(cell),
    };
    const unit = parsed.unit ?? mapped.headerUnit;
    cells[key] = {
      key,
      raw: cell.text,
      value,
      confidence: cell.confidence * factor,
      flags,
      source,
      ...(unit ? { unit } : {}),
    };
  }
  return { cells, missing, quality };
}

function inkEvidence(
  cell: Cell,
): Pick<CellQuality, 'glyphs' | 'slots' | 'alternatives' | 'shapeRead' | 'shapes' | 'signless'> {
  return {
    ...(cell.signless ? { signless: true } : {}),
    ...(cell.shapes ? { shapes: cell.shapes } : {}),
    ...(cell.shapeRead ? { shapeRead: true } : {}),
    ...(cell.glyphs !== undefined ? { glyphs: cell.glyphs } : {}),
    ...(cell.slots !== undefined ? { slots: cell.slots } : {}),
    ...(cell.alternatives ? { alternatives: cell.alternatives } : {}),
  };
}

function unitOf(mapped: MappedValue): { unit?: string } {
  return mapped.headerUnit ? { unit: mapped.headerUnit } : {};
}
