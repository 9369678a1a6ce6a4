import { describe, expect, it } from 'vitest';
import type { CellReading } from '../../../core/ocr/read-cell.js';
import { settleCopies, settleTouching } from '../../../core/ocr/settle-copies.js';

/** A one-row cell reading as read-cell.ts returns it; `glyphs` as its copy's ink printed them. */
const read = (text: string, confidence: number, glyphs: number, kind: CellReading['kind'] = 'digits'): CellReading => ({
  text,
  confidence,
  alternatives: [],
  kind,
  rows: 1,
  glyphs,
});

// The readings below are those of noto-serif's standard-mode fax in the scan matrix (表三, page 2).
describe('settleCopies: a number cell read from the page and from its sharp digit copy', () => {
  it('takes a sure reading against a glyph count that touching digits fooled (965 on two glyphs, not 03)', () => {
    const s = settleCopies(read('965', 0.98, 2), read('03', 0.41, 2));
    expect(s.text).toBe('965');
    expect(s.alternatives).toEqual(['03']);
    expect(s.confidence).toBeLessThan(0.5);
  });

  it('takes the sharp 0 that the page read as 位, its two flanks counted as two glyphs', () => {
    expect(settleCopies(read('0', 0.5, 2), read('位', 0.43, 2, 'label')).text).toBe('0');
  });

  it("keeps the page's text where the sharp number leaves most of the ink unaccounted for", () => {
    expect(settleCopies(read('48', 0.43, 12), read('和各上加类这各性个', 0.91, 12, 'label')).text).toBe(
      '和各上加类这各性个',
    );
  });

  // 洪泽区 2024's standard-mode 表三: a 0's two flanks may not make a number fit against another number.
  it("takes the page's 50 on two glyphs over a sharp 0, and its 95 over a sharp 90 on three glyphs", () => {
    expect(settleCopies(read('0', 0.5, 2), read('50', 0.5, 2)).text).toBe('50');
    expect(settleCopies(read('90', 0.5, 3), read('95', 0.85, 3)).text).toBe('95');
  });

  it('keeps agreement as sure as the surer copy, no surer', () => {
    expect(settleCopies(read('14', 0.6, 2), read('14', 0.8, 2)).confidence).toBe(0.8);
  });
});

// UMing's standard-mode fax in the scan matrix (表三): digits a pel apart ran together into one
// CJK-wide glyph on both copies, so each copy read them with the label setup.
describe('settleTouching: a one-row cell of touching digits read from both copies', () => {
  const asText = (text: string, confidence: number): CellReading => ({
    ...read(text, confidence, 0),
    glyphs: undefined,
    kind: 'label',
  });

  it("settles two whole-number readings as numbers: the sharp 1081 on a tie, the page's 1041 kept for the sums", () => {
    const s = settleTouching(asText('1081', 0.24), asText('1041', 0.24));
    expect([s.text, s.kind]).toEqual(['1081', 'digits']);
    expect(s.alternatives).toEqual(['1041']);
    expect(s.confidence).toBeLessThan(0.24);
  });

  it('takes the sharp 28 where the page read the run-together digits as 刘', () => {
    expect(settleTouching(asText('28', 0.23), asText('刘', 0.41)).text).toBe('28');
  });

  it('leaves a real one-row label as the page read it', () => {
    const s = settleTouching(asText('合计', 0.9), asText('合计', 0.93));
    expect([s.text, s.kind]).toEqual(['合计', 'label']);
  });
});
