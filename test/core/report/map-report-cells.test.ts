import { describe, expect, it } from 'vitest';
import { buildPage, buildTable, type CellSpec } from '../../helpers/table-builder.js';
import { BUDGET_TABLE, REPORT_TEXT_V2021, T3_SAMPLE, t2V2021, t3BodyV2021, t3Header, t4Table } from './fixtures.js';
import { report, value } from './map-report-helpers.js';
import { mapReport } from '../../../core/report/map-report.js';

describe('mapReport on damaged layouts: what cells read and which are flagged', () => {
  it("reads a face's zeros that OCR returned as 〇 as 0: the sums vouch in 表三, 表二 has none and flags them", () => {
    const t3 = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)].map((row) => row.map((c) => (c === '0' ? '〇' : c)));
    const t2 = t2V2021().map((row) => row.map((c) => (typeof c === 'string' && c === '0' ? '〇' : c)));
    const r = report([
      buildTable(t2, { id: 't2', origin: 'ocr', confidence: 0.95 }),
      buildTable(t3, { id: 't3', origin: 'ocr', confidence: 0.95 }),
    ]);
    const zeros = Object.values(r.cells).filter((c) => c.raw === '〇');
    expect(zeros.length).toBeGreaterThan(50);
    expect(zeros.every((c) => c.value === 0)).toBe(true);
    const flagged = zeros.filter((c) => c.flags.length > 0).map((c) => c.key);
    expect(flagged).toEqual(['active_disclosure.regulations.repealed']);
  });

  it('flags an OCR blank in a report that prints 0 for none, and not in one that leaves blanks', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const k = rows.findIndex((row) => row[0] === '2.重复申请');
    rows[k] = ['2.重复申请', '5', '2', '', '0', '0', '0', '7'];
    const ocr = report([buildTable(rows, { id: 't3', origin: 'ocr', confidence: 0.97 })]);
    expect(ocr.cells['applications.np_duplicate.research_institution']).toMatchObject({ value: null, reason: 'blank' });
    expect(ocr.cells['applications.np_duplicate.research_institution']?.flags).toEqual(['blank-among-zeros']);
    expect(
      report([buildTable(rows, { id: 't3' })]).cells['applications.np_duplicate.research_institution']?.flags,
    ).toEqual([]);
    // The same report printing none as blank everywhere: a blank is its style, not a loss.
    const blankStyle = rows.map((row) => row.map((c) => (c === '0' ? '' : c)));
    const styled = report([buildTable(blankStyle, { id: 't3', origin: 'ocr', confidence: 0.97 })]);
    expect(styled.cells['applications.np_duplicate.research_institution']?.flags).toEqual([]);
  });

  it('flags OCR readings that no sum could check as unverified, and only those', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const rowOf = (label: string): number =>
      rows.findIndex((row) => row.some((c) => typeof c === 'object' && c.text.startsWith(label)));
    // Unreadable: 一、本年新收 法律服务机构 (its H3 row skips) and 二、上年结转 自然人 (the H2 自然人 column skips).
    for (const [label, col] of [
      ['一、本年新收', 5],
      ['二、上年结转', 1],
    ] as const) {
      const row = [...(rows[rowOf(label)] ?? [])];
      row[col] = '▒';
      rows[rowOf(label)] = row;
    }
    const ocr = report([buildTable(rows, { id: 't3', origin: 'ocr', confidence: 0.97 })]);
    // 一、本年新收 自然人 sits in both: nothing checked it.
    expect(ocr.cells['applications.new_received.natural_person']?.flags).toEqual(['unverified']);
    // Its row neighbour is still checked by its H2 column, its column neighbour by its H3 row.
    expect(ocr.cells['applications.new_received.commercial_enterprise']?.flags).toEqual([]);
    expect(ocr.cells['applications.total_processed.natural_person']?.flags).toEqual([]);
    // The same table from a text layer is exact: nothing to verify.
    const text = report([buildTable(rows, { id: 't3' })]);
    expect(text.cells['applications.new_received.natural_person']?.flags).toEqual([]);
  });

  it('flags OCR values whose column sums were all skipped: the row sum holds whichever column they sit in', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const rowOf = (label: string): number =>
      rows.findIndex((row) => row.some((c) => (typeof c === 'string' ? c : c.text).startsWith(label)));
    // A fax grid misread puts 予以公开's 自然人 value under 商业企业 and back: H3 still holds.
    const granted = [...(rows[rowOf('（一）予以公开')] ?? [])];
    const n = granted.length;
    [granted[n - 7], granted[n - 6]] = [granted[n - 6]!, granted[n - 7]!];
    rows[rowOf('（一）予以公开')] = granted;
    // Junk elsewhere in both columns skips their H2 and H4.
    for (const label of ['二、上年结转', '1.属于国家秘密']) {
      const row = [...(rows[rowOf(label)] ?? [])];
      row[row.length - 7] = '▒';
      row[row.length - 6] = '▒';
      rows[rowOf(label)] = row;
    }
    const ocr = report([buildTable(rows, { id: 't3', origin: 'ocr', confidence: 0.97 })]);
    expect(ocr.cells['applications.granted.natural_person']?.flags).toContain('unverified');
    expect(ocr.cells['applications.granted.commercial_enterprise']?.flags).toContain('unverified');
    // Its other columns are checked by their own column sums.
    expect(ocr.cells['applications.granted.research_institution']?.flags).toEqual([]);
  });

  it('keeps row totals its row pins out of the queue when one unreadable total skips the 总计 column sums', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const rowOf = (label: string): number =>
      rows.findIndex((row) => row.some((c) => (typeof c === 'string' ? c : c.text).startsWith(label)));
    // 部分公开's 总计 read as a character (一 as 上 on a real report's scan): H4 of 总计 skips.
    const partly = [...(rows[rowOf('（二）部分公开')] ?? [])];
    partly[partly.length - 1] = '上';
    rows[rowOf('（二）部分公开')] = partly;
    // 属于国家秘密 (5, 0, 0, 0, 0, 0 | 5) with its printed zeros lost: H3 holds, but a part is blank.
    const secret = [...(rows[rowOf('1.属于国家秘密')] ?? [])];
    for (let i = secret.length - 6; i < secret.length - 1; i++) secret[i] = '';
    rows[rowOf('1.属于国家秘密')] = secret;
    const ocr = report([buildTable(rows, { id: 't3', origin: 'ocr', confidence: 0.97 })]);
    // Every part of 予以公开 read and its H3 holds: its total is the sum beside it.
    expect(ocr.cells['applications.granted.total']?.flags).toEqual([]);
    // 本机关不掌握 (10, 5, 10, 12, 8, 4 | 49) with the 1s of 10 and 49's 4 lost alike (0 … | 39): H3 still
    // holds, but no column sum vouches for the 0, so the 39 is not pinned.
    const notHeld = [...(rows[rowOf('1.本机关不掌握')] ?? [])];
    notHeld[notHeld.length - 7] = '0';
    notHeld[notHeld.length - 1] = '39';
    rows[rowOf('1.本机关不掌握')] = notHeld;
    const misread = report([buildTable(rows, { id: 't3', origin: 'ocr', confidence: 0.97 })]);
    expect(misread.cells['applications.unable_not_held.total']?.flags).toContain('unverified');
    // A row with a blank part could be a row read one column off: its total stays unverified.
    expect(ocr.cells['applications.denied_state_secret.total']?.flags).toContain('unverified');
    expect(ocr.cells['applications.partially_granted.total']?.flags).toContain('unparsable');
  });

  it('reads a count whose thousands separator OCR took for a point, and keeps it flagged', () => {
    const data = { ...T3_SAMPLE, new_received: [1120, 70, 139, 217, 98, 46] };
    const rows = [...t3Header(), ...t3BodyV2021(data)];
    const k = rows.findIndex((row) => row.some((c) => typeof c === 'object' && c.text.startsWith('一、本年新收')));
    rows[k] = [...(rows[k] ?? []).slice(0, 1), '1.120', '70', '139', '217', '98', '46', '1,690'];
    const r = report([buildTable(rows, { id: 't3' })]);
    expect(r.cells['applications.new_received.natural_person']).toMatchObject({ value: 1120, raw: '1.120' });
    expect(r.cells['applications.new_received.natural_person']?.flags).toContain('ambiguous-parse');
    expect(r.cells['applications.new_received.total']).toMatchObject({ value: 1690, raw: '1,690' });
  });

  it('flags every cell of the failed rules when no single value explains them', () => {
    const data = { ...T3_SAMPLE, denied_internal_affairs: [0, 0, 0, 0, 0, 0] };
    const rows = [...t3Header(), ...t3BodyV2021(data)];
    const k = rows.findIndex((row) => row.some((c) => typeof c === 'string' && c.startsWith('5.属于三类')));
    // Two wrong values: one in this row (natural person and total agree), one in 2.重复申请.
    rows[k] = [...(rows[k] ?? []).slice(0, 1), '1', '0', '0', '0', '0', '0', '1'];
    const d = rows.findIndex((row) => row[0] === '2.重复申请');
    rows[d] = ['2.重复申请', '8', '2', '0', '0', '0', '0', '7'];
    const r = report([buildTable(rows, { id: 't3' })]);
    expect(r.checks.filter((c) => c.status === 'fail').every((c) => c.culprit === undefined)).toBe(true);
    expect(r.cells['applications.np_duplicate.commercial_enterprise']?.flags).toEqual(['check-failed:H3']);
    expect(r.cells['applications.granted.natural_person']?.flags).toEqual(['check-failed:H4']);
    expect(r.cells['applications.denied_internal_affairs.total']?.flags).toEqual(['check-failed:H4']);
  });

  it('reports truncated tables as missing and never invents their values', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE).slice(0, 8)];
    const r = report([buildTable(rows, { id: 't3' })]);
    expect(r.cells['applications.denied_process_info.total']).toMatchObject({
      value: null,
      reason: 'missing',
      flags: ['missing-value'],
    });
    expect(r.missing).toContain('applications.carried_forward.total');
    expect(r.missing.filter((k) => k.startsWith('review_litigation.')).length).toBe(15);
    expect(r.checks.find((c) => c.rule === 'H2' && c.scope === 'column total')?.status).toBe('skipped');
  });

  it('reads blanks as null with reason blank and no flag, unparsable text as null with a flag', () => {
    const t4 = t4Table(['', '', '—', '', '', '0', '1', '/', '0', '1', 'l2', '0', '0', '0', '12']);
    const r = report([buildTable(t4, { id: 't4' })]);
    expect(r.cells['review_litigation.review_upheld']).toMatchObject({ value: null, reason: 'blank', flags: [] });
    expect(r.cells['review_litigation.lit_after_review_upheld']).toMatchObject({
      value: null,
      reason: 'unparsable',
      flags: ['unparsable'],
      confidence: 0,
    });
    expect(r.checks.find((c) => c.rule === 'H7')?.status).toBe('skipped');
    expect(r.checks.find((c) => c.rule === 'H6')?.status).toBe('pass');
  });

  it('keeps table-二 columns when one header word was misread', () => {
    const rows = t2V2021().map((row) => row.map((c) => (c === '本年废止件数' ? '本年■止件■' : c)));
    const r = report([buildTable(rows, { id: 't2' })]);
    expect(r.cells['active_disclosure.normative_docs.repealed']).toMatchObject({ value: 2, flags: [] });
    expect(r.notes.filter((n) => n.startsWith('table 二'))).toEqual([]);
  });

  it('places the value of a one-column item under a header the OCR could not read, without doubt', () => {
    const garbled = (c: string | CellSpec): string | CellSpec =>
      typeof c !== 'string' && c.text.startsWith('本年') ? { ...c, text: '本午处埋泱疋敉量' } : c;
    const r = report([
      buildTable(
        t2V2021().map((row) => row.map(garbled)),
        { id: 't2' },
      ),
    ]);
    expect(r.cells['active_disclosure.admin_licensing.decisions']).toMatchObject({ value: 182, flags: [] });
    expect(r.cells['active_disclosure.admin_fees.fee_amount_wan']).toMatchObject({ value: 16.25, flags: [] });
    // Three columns under an unread header still have an order to doubt.
    const three = t2V2021().map((row) =>
      row.map((c) => (c === '本年制发件数' || c === '本年废止件数' || c === '现行有效件数' ? '■■■' : c)),
    );
    const r3 = report([buildTable(three, { id: 't2' })]);
    expect(r3.cells['active_disclosure.normative_docs.repealed']?.flags).toContain('ambiguous-parse');
  });

  it('matches table-二 item labels a fax misread by their closest printed label, and no label two items fit', () => {
    // synth-1-0 faxed (fine mode): the labels as OCR read them.
    const misread: Record<string, string> = {
      行政许可: '行政许避',
      行政处罚: '行政处划',
      行政事业性收费: '行政吾业性收弘',
    };
    const rows = t2V2021().map((row) => row.map((c) => (typeof c === 'string' ? (misread[c] ?? c) : c)));
    const r = report([buildTable(rows, { id: 't2' })]);
    expect(value(r, 'active_disclosure.admin_licensing.decisions')).toBe(182);
    expect(value(r, 'active_disclosure.admin_penalty.decisions')).toBe(66);
    expect(value(r, 'active_disclosure.admin_fees.fee_amount_wan')).toBe(16.25);
    // 行政处制 is one character from 行政处罚 and one from 行政强制: neither by its label; the item left
    // under its caption, by the mini-table's shape, and flagged.
    const tie = t2V2021().map((row) => row.map((c) => (c === '行政强制' ? '行政处制' : c)));
    const rt = report([buildTable(tie, { id: 't2' })]);
    expect(rt.cells['active_disclosure.admin_compulsion.decisions']?.flags).toContain('ambiguous-parse');
    expect(rt.cells['active_disclosure.admin_penalty.decisions']?.value).toBe(66);
  });

  it('flags a conflict when the labels disagree with the year and the notice', () => {
    const text = REPORT_TEXT_V2021.replace('2023 年', '2020 年').replace('〔2021〕30号', '〔2019〕60号');
    const r = report([buildTable(t2V2021(), { id: 't2' })], text);
    expect(r.template).toMatchObject({ version: 'v2021', conflict: true });
  });

  it('returns null for a document that is not an annual report', () => {
    expect(mapReport([buildPage('会议纪要\n关于预算执行情况的说明')], [buildTable(BUDGET_TABLE)])).toBeNull();
  });
});
