import type { TemplateVersion } from '../core/model/index.js';
import { keyLabel } from '../core/report/labels.js';
import {
  decidedMetadata,
  describeCellFlags,
  type CellState,
  type CheckLike,
  type DecidedValue,
  type ExportItem,
  type Provenance,
} from '../models/index.js';
import { sheetOfKey } from './sheet-layout.js';

/** One report cell as every export format shows it: the value to use, what stands behind it, and why it is flagged. */
export interface ExportCellView {
  readonly key: string;
  /** 表二 / 表三 / 表四. */
  readonly table: string;
  /** The printed labels, `（一）予以公开 · 自然人`. */
  readonly label: string;
  /** The value a reader should use: a person's decision, else the extracted value. */
  readonly value: DecidedValue;
  /** The value as extracted. */
  readonly extracted: number | null;
  readonly raw: string | null;
  readonly unit?: string;
  readonly confidence: number;
  /** The extraction's flags (kept when a person has decided the cell: `state` says it is settled). */
  readonly flags: readonly string[];
  /** Each flag in words. */
  readonly reasons: readonly string[];
  readonly state: CellState;
  /** Still needs a person. */
  readonly open: boolean;
  readonly provenance: Provenance;
  readonly suggestion?: number;
  readonly page?: number;
}

const LABELS = new Map<TemplateVersion | null, Map<string, string>>();

/** keyLabel, remembered: an export asks for the same ~400 labels once per report. */
function labelOf(key: string, version: TemplateVersion | null): string {
  let labels = LABELS.get(version);
  if (!labels) LABELS.set(version, (labels = new Map()));
  let label = labels.get(key);
  if (label === undefined) labels.set(key, (label = keyLabel(key, version)));
  return label;
}

/** Source of a document: the URL of a crawled one (its blob path is internal), else the file path. */
export function sourceOf(item: ExportItem): string {
  return item.document.source.url ?? item.document.source.path ?? '';
}

/**
 * The cells of one report with their provenance and flag reasons, in stored order. Keys the
 * document lacks are left out unless a person entered a value for them.
 */
export function exportCells(item: ExportItem): ExportCellView[] {
  const snapshot = item.report;
  if (!snapshot) return [];
  const { report, cells } = snapshot;
  const version = decidedMetadata(item).template as TemplateVersion | null;
  // The values a reason quotes: built only for a report with a flagged cell.
  let values: Record<string, number | null> | undefined;
  const checks: readonly CheckLike[] = snapshot.checks;
  const out: ExportCellView[] = [];
  report.cells.forEach((cell, i) => {
    const decided = cells[i];
    if (!decided || (cell.reason === 'missing' && decided.provenance.kind === 'extracted')) return;
    if (cell.flags.length > 0) values ??= Object.fromEntries(report.cells.map((c) => [c.key, c.value]));
    out.push({
      key: cell.key,
      table: sheetOfKey(cell.key),
      label: labelOf(cell.key, version),
      value: decided.value,
      extracted: cell.value,
      raw: cell.raw,
      ...(cell.unit ? { unit: cell.unit } : {}),
      confidence: cell.confidence,
      flags: cell.flags,
      reasons: cell.flags.length > 0 ? describeCellFlags(cell, checks, version, values).map((f) => f.text) : [],
      state: decided.state,
      open: decided.open,
      provenance: decided.provenance,
      ...(cell.suggestion !== undefined ? { suggestion: cell.suggestion } : {}),
      ...(cell.source ? { page: cell.source.page } : {}),
    });
  });
  return out;
}
