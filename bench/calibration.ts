/**
 * Calibration of OCR cell confidence on the dev corpus: every numeric (or blank) cell of the synth
 * documents' scans is compared with digital.pdf, and the flagging threshold is chosen so wrong
 * cells are flagged and correct ones mostly are not. Run: npx tsx bench/calibration.ts [docs…]
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOcrEngine } from '../core/ocr/create-ocr-engine.js';
import { OCR_FLAG_THRESHOLD } from '../core/ocr/calibrate-confidence.js';
import { ocrPdfPage } from '../core/ocr/ocr-page.js';
import { compareTables, DEV, devDocs, open, truthTables, type CellOutcome } from './corpus-truth.js';

const BUCKETS = [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0001];
const KINDS = ['scan-light', 'scan-heavy'] as const;
const CELLS_FILE = 'bench/results/calibration-cells.jsonl';

/** Re-summarise the cells of an earlier run (`--from-cells`) without reading the scans again. */
function readCells(): CellOutcome[] {
  return readFileSync(CELLS_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CellOutcome);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--from-cells') {
    const outcomes = readCells();
    summarise([...new Set(outcomes.map((c) => c.doc))], outcomes, 'debian+eng-digits');
    return;
  }
  const docs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : devDocs();
  const engine = await createOcrEngine({ workers: 2 });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(CELLS_FILE, '');
  const outcomes: CellOutcome[] = [];
  try {
    for (const doc of docs) {
      const truth = await truthTables(doc);
      for (const kind of KINDS) {
        const pdf = await open(join(DEV, doc, `${kind}.pdf`));
        try {
          for (const [n, tables] of truth) {
            if (tables.length === 0) continue;
            const r = await ocrPdfPage(pdf, n, engine);
            const got = compareTables(doc, kind, n, tables, r.tables);
            outcomes.push(...got);
            // Written as it goes, so an interrupted run still leaves its cells on disk.
            appendFileSync(CELLS_FILE, got.map((c) => JSON.stringify(c)).join('\n') + '\n');
            const wrong = got.filter((c) => !c.correct);
            console.log(
              `${doc} ${kind} p${n}: ${got.length - wrong.length}/${got.length} right`,
              wrong
                .slice(0, 6)
                .map((c) => `${c.truth}→${c.read}@${c.confidence.toFixed(2)}`)
                .join(' '),
            );
          }
        } finally {
          await pdf.destroy();
        }
      }
    }
  } finally {
    await engine.terminate();
  }
  summarise(docs, outcomes, engine.traineddata);
}

function summarise(docs: readonly string[], outcomes: readonly CellOutcome[], engineName: string): void {
  // Pages where the raster grid differs from digital.pdf's (some truth cell has no OCR cell at its
  // position, '∅') compare misaligned cells: grid errors, not recognition errors, counted apart.
  const pageOf = (c: CellOutcome): string => `${c.doc}/${c.kind}/${c.page}`;
  const misaligned = new Set(outcomes.filter((c) => c.read === '∅').map(pageOf));
  const gridMisses = outcomes.filter((c) => misaligned.has(pageOf(c))).length;
  const read = outcomes.filter((c) => !misaligned.has(pageOf(c)));
  const wrongMax = Math.max(0, ...read.filter((c) => !c.correct).map((c) => c.confidence));
  const curve = BUCKETS.slice(0, -1).map((lo, i) => {
    const hi = BUCKETS[i + 1]!;
    const inBucket = read.filter((c) => c.confidence >= lo && c.confidence < hi);
    const right = inBucket.filter((c) => c.correct).length;
    return {
      from: lo,
      to: Math.min(1, hi),
      cells: inBucket.length,
      accuracy: inBucket.length > 0 ? right / inBucket.length : null,
    };
  });
  const threshold = BUCKETS.find((t) => t > wrongMax) ?? 1;
  const flaggedRight = read.filter((c) => c.correct && c.confidence < threshold).length;
  const byKind = Object.fromEntries(
    KINDS.map((k) => {
      const cs = read.filter((c) => c.kind === k);
      return [
        k,
        {
          cells: cs.length,
          correct: cs.filter((c) => c.correct).length,
          wrong: cs.filter((c) => !c.correct).length,
          wrongUnflagged: cs.filter((c) => !c.correct && c.confidence >= threshold).length,
          falseAlarms: cs.filter((c) => c.correct && c.confidence < threshold).length,
        },
      ];
    }),
  );
  const result = {
    generatedAt: new Date().toISOString(),
    engine: engineName,
    docs,
    cells: outcomes.length,
    gridMisses,
    ocrFlagThreshold: OCR_FLAG_THRESHOLD,
    threshold: Math.round(threshold * 1000) / 1000,
    highestWrongConfidence: wrongMax,
    falseAlarmShare: read.length > 0 ? flaggedRight / read.length : 0,
    byKind,
    curve,
    wrong: outcomes.filter((c) => !c.correct),
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/calibration.json', JSON.stringify(result, null, 1));
  const md = [
    '# OCR confidence calibration (dev corpus, synth scans)',
    '',
    `Engine ${result.engine}; ${result.cells} numeric/blank cells; generated ${result.generatedAt}.`,
    '',
    '| confidence | cells | observed accuracy |',
    '|---|---|---|',
    ...curve.map(
      (b) =>
        `| ${b.from.toFixed(2)}–${b.to.toFixed(2)} | ${b.cells} | ${b.accuracy === null ? '—' : (b.accuracy * 100).toFixed(1) + ' %'} |`,
    ),
    '',
    `Cells on ${misaligned.size} pages whose raster grid differs from digital.pdf (grid errors, not OCR; left out): ${gridMisses}.`,
    '',
    `Highest confidence of a wrong reading: ${wrongMax.toFixed(3)}; lowest bucket edge above it: **${result.threshold}** (false alarms ${(result.falseAlarmShare * 100).toFixed(2)} % of read cells).`,
    `Shipped: OCR_FLAG_THRESHOLD = ${OCR_FLAG_THRESHOLD} (core/ocr/calibrate-confidence.ts); readings below it are scaled under the mapper's LOW_CONFIDENCE so they are flagged unless passing rules vouch for them.`,
    '',
    '| kind | cells | correct | wrong | wrong unflagged | false alarms |',
    '|---|---|---|---|---|---|',
    ...KINDS.map(
      (k) =>
        `| ${k} | ${byKind[k]!.cells} | ${byKind[k]!.correct} | ${byKind[k]!.wrong} | ${byKind[k]!.wrongUnflagged} | ${byKind[k]!.falseAlarms} |`,
    ),
    '',
  ].join('\n');
  writeFileSync('bench/results/calibration.md', md);
  console.log(md);
}

await main();
