import { deriveBlankTotals } from '../checks/derive-blank-totals.js';
import { exactSums, runChecks } from '../checks/run-checks.js';
import type { Page, Report, ReportSection, SectionSpan, Table, TemplateVersion } from '../model/index.js';
import { applyEvidence } from './apply-evidence.js';
import { approxIncludes } from './approx-includes.js';
import { buildCells } from './build-cells.js';
import { classifyTables, type TablePart } from './classify-tables.js';
import { detectTemplate } from './detect-template.js';
import { dropSliverColumns, originalCell } from './drop-sliver-columns.js';
import { mapTableFour } from './map-table-four.js';
import { mapTableThree } from './map-table-three.js';
import { mapTableTwo } from './map-table-two.js';
import { normalizeLabel } from './normalize-label.js';
import { partsByHeading } from './parts-by-heading.js';
import { readMetadata } from './read-metadata.js';
import { repairCells } from './repair-cells.js';
import { splitMixedTables } from './split-mixed-tables.js';
import { splitSections } from './split-sections.js';

const TITLE_MARK = /政府信息公开(工作)?年度报告/;
/**
 * The title as OCR reads it off a fax or a photo (公玫 for 公开, a stray 人 inside): the words with
 * up to this many characters misread, dropped or added (工作 left out counts two).
 */
const TITLE_WORDS = '政府信息公开工作年度报告';
const TITLE_EDITS = 2;
/** Without a version signal the current template is the better guess for mapping (never exported as decided). */
const FALLBACK_VERSION: TemplateVersion = 'v2021';

const PART_SPAN: Readonly<Record<TablePart, SectionSpan['key']>> = {
  t2: 's2_proactive',
  t3: 's3_applications',
  t4: 's4_review_litigation',
};

/**
 * Recognises an annual report and maps its tables 二/三/四 onto the schema of domain.md §3–§5,
 * runs the checks and folds their evidence into per-cell flags and confidence. Returns null
 * when the document is not an annual report (it then keeps only its generic tables).
 */
export function mapReport(pages: readonly Page[], allTables: readonly Table[]): Report | null {
  const text = pages.map((p) => p.text).join('\n');
  const tables = splitMixedTables(allTables.map(dropSliverColumns));
  const headed = partsByHeading(pages, tables);
  const parts = classifyTables(tables, headed, true);
  const byPart = (part: TablePart): Table[] => tables.filter((t) => parts.get(t) === part);
  const found = (['t2', 't3', 't4'] as const).filter((p) => byPart(p).length > 0);
  const opening = normalizeLabel(text.slice(0, 2000));
  const titled = TITLE_MARK.test(opening) || approxIncludes(opening, TITLE_WORDS, TITLE_EDITS);
  if (!titled && !(found.includes('t3') && found.length >= 2)) return null;

  const metadata = readMetadata(text);
  const standard = tables.filter((t) => parts.get(t));
  const template = detectTemplate(standard, text, metadata.reportYear);
  const version = template.version ?? FALLBACK_VERSION;
  const t2 = mapTableTwo(byPart('t2'), version);
  const t3 = mapTableThree(byPart('t3'), version);
  const t4 = mapTableFour(byPart('t4'));
  // Tables placed by their section heading or their shape alone (no anchor read; and the fragments
  // that continue them): which table it is was a guess, so every value of it is flagged, whatever the sums say.
  const byAnchors = classifyTables(tables);
  const guessed = new Set(tables.filter((t) => parts.get(t) && parts.get(t) !== byAnchors.get(t)).map((t) => t.id));
  const built = buildCells(
    [...t2.values, ...t3.values, ...t4.values].map((v) => ({
      ...v,
      cell: originalCell(v.cell),
      ...(guessed.has(v.tableId) ? { ambiguous: true } : {}),
    })),
    version,
  );
  const derived = deriveBlankTotals(built.cells, (k) => built.quality[k]?.ocr === true);
  const checks = runChecks({ version, cells: built.cells, metadata, derived });
  // Flags come from the values as read; a repair changes only values already flagged, and flags them.
  const evidenced = repairCells(
    applyEvidence(built.cells, checks, built.quality, text),
    built.quality,
    exactSums(version, built.cells),
  );
  const cells = Object.fromEntries(
    Object.entries(evidenced).map(([k, c]) => [k, derived.has(k) ? { ...c, derived: derived.get(k)! } : c]),
  );
  const mappedTableIds = {
    active_disclosure: byPart('t2').map((t) => t.id),
    applications: byPart('t3').map((t) => t.id),
    review_litigation: byPart('t4').map((t) => t.id),
  } satisfies Record<ReportSection, string[]>;
  const sections = splitSections(pages, new Set(found.map((p) => PART_SPAN[p])));
  return {
    template,
    metadata,
    sections,
    cells,
    missing: built.missing,
    mappedTableIds,
    unmappedTableIds: allTables
      .filter((t) => !tables.some((part) => part.id === t.id && parts.get(part)))
      .map((t) => t.id),
    checks,
    notes: [...t2.notes, ...t3.notes, ...t4.notes],
  };
}
