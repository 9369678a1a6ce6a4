import { describe, expect, it } from 'vitest';
import { exactSums, runChecks } from '../../../core/checks/run-checks.js';
import type { ReportCell } from '../../../core/model/index.js';
import { applyEvidence } from '../../../core/report/apply-evidence.js';
import type { CellQuality } from '../../../core/report/build-cells.js';
import { REPAIRED, repairCells } from '../../../core/report/repair-cells.js';
import { T3_COLUMNS, schemaKeys } from '../../../core/report/schema.js';
import { HUAIAN_2024 } from '../../helpers/huaian-2024.js';

const key = (row: string, col = 'natural_person'): string => `applications.${row}.${col}`;

/**
 * 淮安市 2024's 表三 as OCR cells (confidence 0.95), with some cells as a fine-mode fax read them:
 * raw text, and the digits its ink printed (by the page's digit pitch).
 */
function faxed(
  read: Readonly<Record<string, { raw: string; slots: number | null; confidence?: number }>>,
  ocr = true,
): { cells: Record<string, ReportCell>; quality: Record<string, CellQuality> } {
  const cells: Record<string, ReportCell> = {};
  const quality: Record<string, CellQuality> = {};
  const printed = new Map<string, number>();
  for (const [row, nums] of Object.entries(HUAIAN_2024))
    nums.forEach((n, i) => printed.set(key(row, T3_COLUMNS[i]), n));
  for (const k of schemaKeys('v2021')) {
    const fax = read[k];
    const raw = fax?.raw ?? String(printed.get(k) ?? 0);
    const value = /^\d+$/.test(raw) ? Number(raw) : null;
    const confidence = fax?.confidence ?? 0.95;
    cells[k] = {
      key: k,
      raw,
      value,
      ...(value === null ? { reason: 'unparsable' as const } : {}),
      confidence,
      flags: value === null ? ['unparsable'] : [],
      source: null,
    };
    const slots = fax?.slots === null ? {} : { slots: fax?.slots ?? raw.length };
    quality[k] = { source: confidence, parse: 1, ocr, ...slots };
  }
  return { cells, quality };
}

function repaired(input: ReturnType<typeof faxed>): Record<string, ReportCell> {
  const checks = runChecks({ version: 'v2021', cells: input.cells });
  const evidenced = applyEvidence(input.cells, checks, input.quality);
  return repairCells(evidenced, input.quality, exactSums('v2021', input.cells));
}

describe('repairCells', () => {
  // 447 read as 1 (three digits by pitch) and 454 as 1, both doubtful readings.
  const thinned = {
    [key('partially_granted')]: { raw: '1', slots: 3, confidence: 0.3 },
    [key('partially_granted', 'total')]: { raw: '1', slots: 3, confidence: 0.3 },
  };

  it('puts back the values the sums and the ink allow, kept flagged for a person, raw as read', () => {
    const out = repaired(faxed(thinned));
    for (const [k, want] of [
      [key('partially_granted'), 447],
      [key('partially_granted', 'total'), 454],
    ] as const) {
      expect(out[k]!.value).toBe(want);
      expect(out[k]!.raw).toBe('1');
      expect(out[k]!.flags).toContain(REPAIRED);
      expect(out[k]!.flags.length).toBeGreaterThan(1);
    }
  });

  it('changes no other cell and takes no flag away', () => {
    const input = faxed(thinned);
    const checks = runChecks({ version: 'v2021', cells: input.cells });
    const before = applyEvidence(input.cells, checks, input.quality);
    const out = repairCells(before, input.quality, exactSums('v2021', input.cells));
    for (const [k, cell] of Object.entries(before)) {
      if (out[k]!.flags.includes(REPAIRED)) continue;
      expect(out[k]).toEqual(cell);
    }
    const changed = Object.keys(out).filter((k) => out[k]!.flags.includes(REPAIRED));
    expect(changed.every((k) => before[k]!.flags.length > 0)).toBe(true);
  });

  it('leaves a sure reading as printed where the printed sums fail (a report can be wrong)', () => {
    // 淮安市 printed 2 where its sums want 0? Read at 0.95 it stays 2; read at 0.3 the sums choose 0.
    const misprinted = (confidence: number): ReportCell =>
      repaired(faxed({ [key('denied_state_secret', 'commercial_enterprise')]: { raw: '2', slots: 1, confidence } }))[
        key('denied_state_secret', 'commercial_enterprise')
      ]!;
    expect(misprinted(0.95).value).toBe(2);
    expect(misprinted(0.95).flags).not.toContain(REPAIRED);
    expect(misprinted(0.3).value).toBe(0);
    expect(misprinted(0.3).flags).toContain(REPAIRED);
  });

  it('repairs nothing read from a text layer', () => {
    const out = repaired(faxed(thinned, false));
    expect(Object.values(out).some((c) => c.flags.includes(REPAIRED))).toBe(false);
  });

  it('repairs nothing when the ink shows fewer digits than the sums need', () => {
    const out = repaired(
      faxed({
        [key('partially_granted')]: { raw: '1', slots: 1, confidence: 0.3 },
        [key('partially_granted', 'total')]: { raw: '1', slots: 1, confidence: 0.3 },
      }),
    );
    expect(out[key('partially_granted')]!.value).toBe(1);
    expect(Object.values(out).some((c) => c.flags.includes(REPAIRED))).toBe(false);
  });

  it('reads a lone digit the recogniser took for a character (上 for 2) back from its sums, as one digit', () => {
    // Read as a label, so no digit count from its ink: the one character stands for one digit.
    const lone = (raw: string): ReportCell =>
      repaired(faxed({ [key('denied_state_secret', 'total')]: { raw, slots: null, confidence: 0.3 } }))[
        key('denied_state_secret', 'total')
      ]!;
    expect(lone('上').value).toBe(2);
    expect(lone('上').flags).toEqual(expect.arrayContaining(['unparsable', REPAIRED]));
    // Two characters say nothing of how many digits they hide.
    expect(lone('上册').value).toBeNull();
  });
});
