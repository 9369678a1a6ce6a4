import { describe, expect, it } from 'vitest';
import { mapReport } from '../../../core/report/map-report.js';
import type { Report, Table } from '../../../core/model/index.js';
import { buildPage, buildTable, type CellSpec } from '../../helpers/table-builder.js';
import { BUDGET_TABLE, REPORT_TEXT_V2021, T3_SAMPLE, t2V2021, t3BodyV2021, t3Header, t4Table } from './fixtures.js';

const T4_VALUES = ['3', '1', '0', '1', '5', '0', '1', '0', '0', '1', '0', '0', '0', '2', '2'];

function report(tables: readonly Table[], text = REPORT_TEXT_V2021): Report {
  const r = mapReport([buildPage(text)], tables);
  if (!r) throw new Error('not recognised as a report');
  return r;
}

const value = (r: Report, key: string): number | null | undefined => r.cells[key]?.value;
const failedRules = (r: Report): string[] =>
  r.checks.filter((c) => c.status === 'fail' && c.hard).map((c) => `${c.rule} ${c.scope}`);

describe('mapReport on a clean v2021 report', () => {
  const tables = [
    buildTable(BUDGET_TABLE, { id: 'p1-t1' }),
    buildTable(t2V2021(), { id: 'p2-t1' }),
    buildTable([...t3Header(), ...t3BodyV2021(T3_SAMPLE)], { id: 'p2-t2+p3-t1' }),
    buildTable(t4Table(T4_VALUES), { id: 'p3-t2' }),
  ];
  const r = report(tables);

  it('decides the template from the labels, agreeing with notice and year', () => {
    expect(r.template.version).toBe('v2021');
    expect(r.template.conflict).toBe(false);
    expect(r.template.evidence).toEqual(expect.arrayContaining(['notice cited → v2021', 'report year 2023 → v2021']));
  });

  it('maps every key of the three tables', () => {
    expect(r.missing).toEqual([]);
    expect(value(r, 'active_disclosure.normative_docs.repealed')).toBe(2);
    expect(value(r, 'active_disclosure.admin_compulsion.decisions')).toBe(2);
    expect(r.cells['active_disclosure.admin_fees.fee_amount_wan']).toMatchObject({ value: 16.25, unit: '万元' });
    expect(value(r, 'applications.new_received.total')).toBe(690);
    expect(value(r, 'applications.denied_state_secret.natural_person')).toBe(5);
    expect(value(r, 'applications.other_other.natural_person')).toBe(1);
    expect(value(r, 'applications.carried_forward.public_welfare_org')).toBe(30);
    expect(value(r, 'review_litigation.review_total')).toBe(5);
    expect(value(r, 'review_litigation.lit_after_review_total')).toBe(2);
  });

  it('passes every hard rule with no cell flagged and high confidence', () => {
    expect(failedRules(r)).toEqual([]);
    expect(Object.values(r.cells).filter((c) => c.flags.length > 0)).toEqual([]);
    expect(r.cells['applications.granted.total']?.confidence).toBe(1);
  });

  it('keeps the budget table unmapped and none of its numbers in the schema', () => {
    expect(r.unmappedTableIds).toEqual(['p1-t1']);
    expect(r.mappedTableIds.applications).toEqual(['p2-t2+p3-t1']);
    const budget = new Set(['1.09', '0.96', '28.64', '23.17', '29.73', '24.13']);
    expect(Object.values(r.cells).filter((c) => c.raw !== null && budget.has(c.raw))).toEqual([]);
  });

  it('reads the metadata from the text', () => {
    expect(r.metadata).toMatchObject({
      reportYear: 2023,
      issuer: '海原县常乐镇',
      issuerFull: '海原县常乐镇人民政府',
      statPeriod: { start: '2023-01-01', end: '2023-12-31' },
      publicationDate: '2024-01-27',
      formatNoticeCited: '国办公开办函〔2021〕30号',
      proactiveTotal: { value: 1308, approx: false },
      proactiveByChannel: { 政府门户网站: 600, 政务新媒体: 708 },
      applicationsReceivedText: 690,
    });
    expect(r.metadata.contact).toMatchObject({ postcode: '755200', phone: '0955-1234567', email: 'cl@example.cn' });
    expect(r.sections.map((s) => s.key)).toEqual([
      's1_overview',
      's2_proactive',
      's3_applications',
      's4_review_litigation',
      's5_problems',
      's6_other',
    ]);
    expect(r.checks.filter((c) => c.rule.startsWith('S') && c.status === 'fail')).toEqual([]);
  });
});

describe('mapReport on damaged layouts', () => {
  it('survives label damage, half-width brackets, variants and a table 三 split into a headerless continuation', () => {
    const body = t3BodyV2021(T3_SAMPLE, { brackets: 'half', damage: true });
    const first = buildTable([...t3Header('社会组织'), ...body.slice(0, 12)], { id: 'p2-t2' });
    // The continuation repeats no header; its first row still carries the （三） group label cut by the page break.
    const second = buildTable([['', '', '', '', '', '', '', '', '', ''].slice(0, 0), ...body.slice(12)], {
      id: 'p3-t1',
      page: 3,
    });
    const r = report([
      buildTable(t2V2021({ inForceLabel: '现有有效件数' }), { id: 'p2-t1' }),
      first,
      second,
      buildTable(t4Table(T4_VALUES, { dropLastHeader: true }), { id: 'p3-t2' }),
    ]);
    expect(r.missing).toEqual([]);
    expect(value(r, 'active_disclosure.regulations.in_force')).toBe(4);
    expect(value(r, 'applications.np_duplicate.commercial_enterprise')).toBe(2);
    expect(value(r, 'applications.unable_unclear.total')).toBe(0);
    expect(value(r, 'review_litigation.lit_after_review_total')).toBe(2);
    expect(failedRules(r)).toEqual([]);
  });

  it('joins a label split over two rows and places rows by order when a label is unreadable', () => {
    const body = t3BodyV2021(T3_SAMPLE);
    const rows = [...t3Header(), ...body];
    // 5.要求行政机关 (with the values) and 确认或重新出具已获取信息 (no values) on two grid rows.
    const i = rows.findIndex((row) => row.some((c) => typeof c === 'string' && c.startsWith('5.要求')));
    const split = rows[i] ?? [];
    rows.splice(i, 1, ['5.要求行政机关', ...split.slice(1)], ['确认或重新出具已获取信息', '', '', '', '', '', '', '']);
    // The extra grid row lengthens the merged group cells that span it.
    const grow = (prefix: string): void => {
      for (const row of rows)
        for (const [n, c] of row.entries())
          if (typeof c !== 'string' && c.text.startsWith(prefix) && c.rowSpan)
            (row as (string | CellSpec)[])[n] = { ...c, rowSpan: c.rowSpan + 1 };
    };
    grow('三、本年度');
    grow('（五）');
    const j = rows.findIndex((row) => row.some((c) => typeof c === 'string' && c.startsWith('4.保护第三方')));
    // Its sub-item number lost too (a number that agrees with the order pins the row: see below).
    rows[j] = ['■保■■■■益', ...(rows[j] ?? []).slice(1)];
    const r = report([buildTable(rows, { id: 'p2-t2' })]);
    expect(r.missing.filter((k) => k.startsWith('applications.'))).toEqual([]);
    expect(value(r, 'applications.np_confirm_reissue.total')).toBe(0);
    expect(value(r, 'applications.other_no_correction.total')).toBe(0);
    expect(r.notes).toEqual(expect.arrayContaining([expect.stringContaining('denied_third_party by row order')]));
    expect(r.cells['applications.denied_third_party.total']?.confidence).toBeLessThan(1);
  });

  it('lets the （七）总计 row with numbers win over a misread header line that says 总计', () => {
    // OCR lost the header words the detector keys on (自然人, 勾稽 …); what is left still says 总计.
    const misread = [{ text: '（本列数据的■■关系为）申请人■■ 总计', colSpan: 3 }, '■', '', '', '', '', '', ''];
    const r = report([buildTable([misread, ...t3BodyV2021(T3_SAMPLE)], { id: 't3' })]);
    expect(value(r, 'applications.total_processed.total')).toBe(587);
    expect(r.notes).toEqual(
      expect.arrayContaining([expect.stringContaining('blank row for total_processed replaced')]),
    );
    expect(failedRules(r)).toEqual([]);
  });

  it('lets the row whose label names a key win over a row placed there by order (a fax header line with digits)', () => {
    // synth-21x-2 faxed: a streak joined the fax header line (P002/004) to 表三, its stray digits a row.
    const junk = [{ text: 'M0517-83901012政府办公室P002/004改吕一', colSpan: 3 }, '4', { text: '2', colSpan: 7 }];
    const r = report([buildTable([...t3Header(), junk, ...t3BodyV2021(T3_SAMPLE)], { id: 't3' })]);
    expect(value(r, 'applications.new_received.natural_person')).toBe(120);
    expect(value(r, 'applications.carried_over.natural_person')).toBe(T3_SAMPLE['carried_over']![0]);
    expect(r.notes).toEqual(
      expect.arrayContaining([expect.stringContaining('row placed by order as new_received replaced')]),
    );
    expect(failedRules(r)).toEqual([]);
  });

  it('takes header lines with stray digits above the first row for headers, and trusts no row by order alone', () => {
    // 淮安市 2024 faxed (fine mode, 仿宋): no label read, and the header lines kept a digit or two each.
    const body = t3BodyV2021(T3_SAMPLE).map((row) => ['▒▒▒▒▒▒', ...row.slice(-7)]);
    const header = [
      ['▒▒', { text: '外多人站本', colSpan: 5 }, '1'],
      ['器业下小', '逢包机和', '会公首着', '路佬疏广1人', '1'],
    ];
    const r = report([buildTable([...header, ...body], { id: 't3' })]);
    expect(value(r, 'applications.new_received.natural_person')).toBe(T3_SAMPLE['new_received']![0]);
    expect(value(r, 'applications.carried_over.natural_person')).toBe(T3_SAMPLE['carried_over']![0]);
    expect(r.notes.filter((n) => n.includes('taken for a header'))).toHaveLength(2);
    // Every row went by order, the count fitting the template: still flagged, the sums holding or not.
    for (const row of ['new_received', 'granted', 'carried_forward'])
      expect(r.cells[`applications.${row}.natural_person`]?.flags).toContain('ambiguous-parse');
  });

  it('places values of a fitting grid by column when a cell reads as junk, and keeps the junk as unparsable', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const k = rows.findIndex((row) => row.some((c) => typeof c === 'string' && c.startsWith('1.属于国家秘密')));
    const row = [...(rows[k] ?? [])];
    row[row.length - 1] = '口'; // OCR read the total 5 as an ideograph
    rows[k] = row;
    const r = report([buildTable(rows, { id: 't3' })]);
    expect(value(r, 'applications.denied_state_secret.natural_person')).toBe(5);
    expect(r.cells['applications.denied_state_secret.total']).toMatchObject({ value: null, reason: 'unparsable' });
    expect(r.cells['applications.denied_state_secret.total']?.flags).toContain('unparsable');
  });

  it('places a blank row under an unreadable label by row order', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const j = rows.findIndex((row) => row.some((c) => typeof c === 'string' && c.startsWith('6.属于四类')));
    rows[j] = ['6.■■■■■', '', '', '', '', '', '', ''];
    const r = report([buildTable(rows, { id: 't3' })]);
    expect(r.cells['applications.denied_process_info.total']).toMatchObject({ value: null, reason: 'blank' });
    expect(r.notes).toEqual(expect.arrayContaining([expect.stringContaining('placed as denied_process_info')]));
    expect(r.missing).toEqual(expect.not.arrayContaining(['applications.denied_process_info.total']));
  });

  it('places several blank rows under unreadable labels by order, and the next row with numbers after them', () => {
    // denied_state_secret's 5 moved to denied_third_party: every sum still holds.
    const data = { ...T3_SAMPLE, denied_state_secret: [0, 0, 0, 0, 0, 0], denied_third_party: [5, 0, 0, 0, 0, 0] };
    const rows = [...t3Header(), ...t3BodyV2021(data)];
    const at = (prefix: string): number =>
      rows.findIndex((row) => row.some((c) => typeof c === 'string' && c.startsWith(prefix)));
    // A fax garbled three labels in a row: two rows of blanks, then a row of numbers.
    rows[at('2.其他法律')] = ['2.■■■■■', '', '', '', '', '', '', ''];
    rows[at('3.危及')] = ['3.■■■■', '', '', '', '', '', '', ''];
    const third = at('4.保护第三方');
    rows[third] = ['4.■■■■', ...rows[third]!.slice(1)];
    const r = report([buildTable(rows, { id: 't3' })]);
    // Anchored rows on both sides leave exactly the three rows between them: pinned, and the sums hold.
    expect(r.cells['applications.denied_third_party.natural_person']).toMatchObject({ value: 5, flags: [] });
    expect(r.cells['applications.denied_law_prohibited.total']).toMatchObject({ value: null, reason: 'blank' });
    expect(r.cells['applications.denied_three_safety_one_stability.total']).toMatchObject({
      value: null,
      reason: 'blank',
    });
    expect(r.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('placed as denied_law_prohibited'),
        expect.stringContaining('placed as denied_three_safety_one_stability'),
      ]),
    );
  });

  it('flags every cell of a failed rule and names the culprit', () => {
    const data = { ...T3_SAMPLE, denied_internal_affairs: [0, 0, 0, 0, 0, 0] };
    const rows = [...t3Header(), ...t3BodyV2021(data)];
    const k = rows.findIndex((row) => row.some((c) => typeof c === 'string' && c.startsWith('5.属于三类')));
    rows[k] = [...(rows[k] ?? []).slice(0, -1), '1'];
    const r = report([buildTable(rows, { id: 't3' })]);
    expect(failedRules(r)).toEqual(expect.arrayContaining(['H3 row denied_internal_affairs', 'H4 column total']));
    const culprit = r.cells['applications.denied_internal_affairs.total'];
    expect(culprit?.flags).toEqual(expect.arrayContaining(['check-failed:H3', 'check-failed:H4', 'likely-culprit']));
    expect(culprit?.suggestion).toBe(0);
    expect(culprit?.confidence).toBeLessThan(0.2);
    // The culprit explains every failure and each other cell of the failing row also sits in a
    // passing H4 column: no review needed there.
    expect(r.cells['applications.denied_internal_affairs.natural_person']?.flags).toEqual([]);
    expect(r.cells['applications.granted.total']?.flags).toEqual([]);
    // Cells only in passing rules stay clean.
    expect(r.cells['applications.granted.natural_person']?.flags).toEqual([]);
  });

  it('flags rows placed by order unless matched labels on both sides pin them', () => {
    const body = t3BodyV2021(T3_SAMPLE);
    const at = (rows: typeof body, label: string): number =>
      rows.findIndex((row) => row.some((c) => (typeof c === 'string' ? c : c.text).startsWith(label)));
    const garble = (rows: typeof body, label: string): void => {
      const i = at(rows, label);
      rows[i] = ['▒▒▒▒▒▒', ...(rows[i] ?? []).slice(-7)];
    };
    // One unreadable label between two read ones: its place is certain.
    const one = body.slice();
    garble(one, '1.属于国家秘密');
    const pinned = report([buildTable([...t3Header(), ...one], { id: 't3' })]);
    expect(pinned.cells['applications.denied_state_secret.natural_person']).toMatchObject({ value: 5, flags: [] });
    // Two unreadable labels and a row lost before the next read one: the rows may have shifted.
    const two = body.slice();
    garble(two, '1.属于国家秘密');
    garble(two, '2.其他法律');
    two.splice(at(two, '3.危及'), 1);
    const shifted = report([buildTable([...t3Header(), ...two], { id: 't3' })]);
    expect(shifted.cells['applications.denied_state_secret.natural_person']).toMatchObject({ value: 5 });
    expect(shifted.cells['applications.denied_state_secret.natural_person']?.flags).toContain('ambiguous-parse');
    expect(shifted.notes).toEqual(
      expect.arrayContaining([expect.stringContaining('denied_state_secret placed by row order without anchors')]),
    );
  });

  it('pins a row whose garbled label keeps its sub-item number, and no neighbour by it (淮安市 2024 faxed, 仿宋)', () => {
    // Every label garbled past its anchors; the sub-item rows keep their number (5和上炎册部于鼻人4, 7).
    const garbled = t3BodyV2021(T3_SAMPLE).map((row) => {
      const last = row.slice(0, -7).pop();
      const n = /^(\d)\./.exec(typeof last === 'string' ? last : (last?.text ?? ''))?.[1];
      return [n ? `${n}和上炎册部于鼻人` : '▒▒▒▒▒▒', ...row.slice(-7)];
    });
    const r = report([buildTable([...t3Header(), ...garbled], { id: 't3' })]);
    for (const row of ['denied_state_secret', 'denied_admin_query', 'unable_unclear', 'np_duplicate', 'other_other'])
      expect(r.cells[`applications.${row}.natural_person`]?.flags).toEqual([]);
    expect(value(r, 'applications.np_duplicate.natural_person')).toBe(T3_SAMPLE['np_duplicate']![0]);
    // Rows without a number are not pinned by the numbered rows around them.
    for (const row of ['new_received', 'granted', 'total_processed'])
      expect(r.cells[`applications.${row}.natural_person`]?.flags).toContain('ambiguous-parse');
    // A sub-item row lost: the rows below it take their upper neighbour's place by order, their numbers
    // disagree, and they stay flagged; the rows above it keep their pins.
    const lost = garbled.slice();
    lost.splice(
      lost.findIndex((row) => row[0] === '3和上炎册部于鼻人'),
      1,
    );
    const shifted = report([buildTable([...t3Header(), ...lost], { id: 't3' })]);
    expect(shifted.cells['applications.denied_law_prohibited.natural_person']?.flags).not.toContain('ambiguous-parse');
    for (const row of ['denied_three_safety_one_stability', 'denied_third_party', 'denied_admin_query'])
      expect(shifted.cells[`applications.${row}.natural_person`]?.flags).toContain('ambiguous-parse');
  });

  it('pins an unread label above a one-row （六）其他处理 (v2019 layout): that row stands for its three sub-rows', () => {
    // 洪泽区 2024 under a red seal: 5.要求行政机关确认… read as S.归求行政届关确认上或里新出具已获取信息.
    const body = t3BodyV2021(T3_SAMPLE);
    const at = (label: string): number =>
      body.findIndex((row) => row.some((c) => (typeof c === 'string' ? c : c.text).startsWith(label)));
    const first = at('1.申请人无正当理由');
    const sub = (i: number): number[] =>
      (body[i] ?? []).slice(-7).map((c) => Number(typeof c === 'string' ? c : c.text));
    const sum = sub(first).map((n, k) => n + sub(first + 1)[k]! + sub(first + 2)[k]!);
    const one = [...body.slice(0, first), ['（六）其他处理', ...sum.map(String)], ...body.slice(first + 3)];
    const confirm = at('5.要求行政机关确认');
    one[confirm] = ['S.归求行政届关确认上或里新出具已获取信息', ...(one[confirm] ?? []).slice(-7)];
    const r = report([buildTable([...t3Header(), ...one], { id: 't3' })]);
    expect(r.notes).toEqual(expect.arrayContaining([expect.stringContaining('printed as one row')]));
    expect(r.cells['applications.np_confirm_reissue.natural_person']?.flags).toEqual([]);
    // Two unread labels above it and a row lost before them: each took its upper neighbour's place by
    // order, and they are flagged.
    const two = one.slice();
    two[confirm - 1] = ['▒▒▒▒▒▒', ...(two[confirm - 1] ?? []).slice(-7)];
    two.splice(confirm - 2, 1);
    const shifted = report([buildTable([...t3Header(), ...two], { id: 't3' })]);
    for (const row of ['np_publication', 'np_excessive'])
      expect(shifted.cells[`applications.${row}.natural_person`]?.flags).toContain('ambiguous-parse');
  });

  it('reads two unlabelled rows before 四、 as a one-row （六） and （七）总计 (洪泽区 2023 faxed), flagged', () => {
    const body = t3BodyV2021(T3_SAMPLE);
    const at = (label: string): number =>
      body.findIndex((row) => row.some((c) => (typeof c === 'string' ? c : c.text).startsWith(label)));
    const first = at('1.申请人无正当理由');
    const sub = (i: number): number[] =>
      (body[i] ?? []).slice(-7).map((c) => Number(typeof c === 'string' ? c : c.text));
    const sum = sub(first).map((n, k) => n + sub(first + 1)[k]! + sub(first + 2)[k]!);
    const total = body[first + 3] ?? [];
    const one = [
      ...body.slice(0, first),
      ['(和八)》上全处二', ...sum.map(String)],
      ['L)', ...total.slice(-7)],
      ...body.slice(first + 4),
    ];
    const r = report([buildTable([...t3Header(), ...one], { id: 't3' })]);
    expect(value(r, 'applications.other_handling.natural_person')).toBe(sum[0]);
    expect(value(r, 'applications.total_processed.natural_person')).toBe(T3_SAMPLE['total_processed']![0]);
    expect(r.cells['applications.other_no_correction.total']?.reason).toBe('missing');
    for (const row of ['other_handling', 'total_processed'])
      expect(r.cells[`applications.${row}.natural_person`]?.flags).toContain('ambiguous-parse');
    expect(failedRules(r)).toEqual([]);
  });

  it('flags rows shifted by an extra row whose label was not read, though the counts between anchors fit', () => {
    const body = t3BodyV2021(T3_SAMPLE);
    const garbled = body.map((row, i) => (i < 2 ? ['▒▒▒▒▒▒', ...row.slice(-7)] : row));
    // A fax line read as a row of numbers before 一、: every unlabelled row below it moves down one,
    // and the real 予以公开 row names a key already taken by order: it takes the key back, and the
    // rows placed by order above it, one of them now dropped, are flagged.
    const extra = ['▒▒', '3', '1', '0', '0', '0', '0', '4'];
    const r = report([buildTable([...t3Header(), extra, ...garbled], { id: 't3' })]);
    for (const row of ['new_received', 'carried_over'])
      expect(r.cells[`applications.${row}.natural_person`]?.flags).toContain('ambiguous-parse');
    expect(value(r, 'applications.granted.natural_person')).toBe(T3_SAMPLE['granted']![0]);
    expect(r.notes).toEqual(expect.arrayContaining([expect.stringContaining('as granted replaced')]));
    // Without the extra row the same unread labels are pinned by 予以公开 below them.
    const clean = report([buildTable([...t3Header(), ...garbled], { id: 't3' })]);
    expect(clean.cells['applications.new_received.natural_person']?.flags).toEqual([]);
  });

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

describe('mapReport on fragments the stitcher left apart', () => {
  it('maps a table-二 tail and a table-三 tail that carry no caption, header or anchor of their own', () => {
    const t2 = t2V2021();
    const t3 = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const tables = [
      buildTable(t2.slice(0, 8), { id: 'p1-t1' }),
      buildTable(t2.slice(8), { id: 'p2-t1', page: 2 }),
      buildTable(t3.slice(0, 25), { id: 'p2-t2', page: 2 }),
      // The last rows: 3.其他, （七）总计, 四、结转下年度继续办理 — only 结转下年 is an anchor, and it is cut here.
      buildTable(
        t3.slice(25, 27).map((row) => row.filter((c) => typeof c === 'string')),
        { id: 'p3-t1', page: 3 },
      ),
      buildTable(t4Table(T4_VALUES), { id: 'p3-t2', page: 3 }),
    ];
    const r = report(tables);
    expect(r.mappedTableIds).toEqual({
      active_disclosure: ['p1-t1', 'p2-t1'],
      applications: ['p2-t2', 'p3-t1'],
      review_litigation: ['p3-t2'],
    });
    expect(value(r, 'active_disclosure.admin_compulsion.decisions')).toBe(2);
    expect(value(r, 'applications.other_other.natural_person')).toBe(1);
    expect(value(r, 'applications.total_processed.total')).toBe(587);
  });
});

describe('mapReport on merged grids', () => {
  it('splits table 三 running straight into table 四 (no heading between them)', () => {
    const t3 = t3BodyV2021(T3_SAMPLE).slice(0, 4);
    const vertical = ['', '', '', '', '', '持', '正', '果', '结', '', '持', '正', '果', '结', ''];
    const rows = [...t3.map((r) => [...r, '', '', '', '', '']), vertical, T4_VALUES];
    const r = report([buildTable(rows, { id: 'p2-t1' })]);
    expect(r.mappedTableIds).toMatchObject({ applications: ['p2-t1'], review_litigation: ['p2-t1'] });
    expect(value(r, 'applications.granted.total')).toBe(440);
    expect(value(r, 'review_litigation.review_total')).toBe(5);
    expect(r.cells['review_litigation.review_total']?.source).toMatchObject({ tableId: 'p2-t1', row: 5 });
    expect(r.missing).toContain('applications.np_duplicate.total');
    expect(r.cells['applications.np_duplicate.natural_person']?.reason).toBe('missing');
  });
});

describe('mapReport on a fax whose labels OCR lost (standard mode, 98 lines an inch)', () => {
  /** Every label cell of 表三 garbled past its anchors; the digits still read. */
  const garbled = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)].map((row) =>
    row.map((cell) => {
      const text = typeof cell === 'string' ? cell : cell.text;
      if (/^-?\d+$/.test(text)) return cell;
      const junk = '和人上下' + String(text.length);
      return typeof cell === 'string' ? junk : { ...cell, text: junk };
    }),
  );
  const text = REPORT_TEXT_V2021.replace('政府信息公开工作年度报告', '政府信息公玫工作人年度报告');

  it('recognises the report by its title read with two characters wrong', () => {
    expect(text).not.toMatch(/政府信息公开(工作)?年度报告/);
    const r = mapReport([buildPage(text)], [buildTable(t4Table(T4_VALUES), { id: 'p3-t1' })]);
    expect(r).not.toBeNull();
  });

  it('takes a deep grid of seven-number rows for 表三 by its shape, rows placed by their order', () => {
    const r = report([buildTable(garbled, { id: 'p2-t1' }), buildTable(t4Table(T4_VALUES), { id: 'p3-t1' })], text);
    expect(r.mappedTableIds.applications).toEqual(['p2-t1']);
    // Every template row there, each with its numbers, none dropped: the order itself pins them.
    expect(value(r, 'applications.new_received.total')).toBe(690);
    expect(value(r, 'applications.denied_state_secret.natural_person')).toBe(5);
    expect(value(r, 'applications.carried_forward.public_welfare_org')).toBe(30);
  });

  it('flags every row placed by order once a row is lost: none silently takes the place of its neighbour', () => {
    // The fax dropped the 上年结转 row: the rows below it would each move up one.
    const lost = garbled.filter((_, i) => i !== 3);
    const r = report([buildTable(lost, { id: 'p2-t1' }), buildTable(t4Table(T4_VALUES), { id: 'p3-t1' })], text);
    expect(r.mappedTableIds.applications).toEqual(['p2-t1']);
    const t3 = Object.values(r.cells).filter((c) => c.key.startsWith('applications.') && c.value !== null);
    expect(t3.length).toBeGreaterThan(150);
    expect(t3.filter((c) => c.flags.length === 0).map((c) => c.key)).toEqual([]);
  });

  it('does not take a short numeric table (a budget) for 表三', () => {
    const r = mapReport([buildPage(text)], [buildTable(BUDGET_TABLE, { id: 'p1-t1' })]);
    expect(r?.mappedTableIds.applications ?? []).toEqual([]);
  });
});

describe('mapReport on 表二 whose item labels a fax garbled past matching (洪泽区 2024, fine mode)', () => {
  const t2 = (fees: string, caption = '第二十条第〈八) 项'): Table =>
    buildTable(
      [
        ['第 :十条第 (…-) 项'],
        ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
        ['人人', '0', '0', '0'],
        ['行收项泥性文人', '3', '0', '8'],
        [caption],
        ['信息内容', '本年收费金额〈单位;万元)'],
        [fees, '7545'],
      ],
      { id: 'p2-t1' },
    );

  it('places an item row by its mini-table: the next item under the caption with as many value cells, flagged', () => {
    const r = report([t2('行政再炎性收凤')]);
    expect(value(r, 'active_disclosure.admin_fees.fee_amount_wan')).toBe(7545);
    expect(value(r, 'active_disclosure.regulations.in_force')).toBe(0);
    expect(value(r, 'active_disclosure.normative_docs.issued')).toBe(3);
    expect(value(r, 'active_disclosure.normative_docs.in_force')).toBe(8);
    for (const key of ['admin_fees.fee_amount_wan', 'regulations.issued', 'normative_docs.in_force'])
      expect(r.cells[`active_disclosure.${key}`]?.flags).toContain('ambiguous-parse');
  });

  it('takes the first value out of a label cell whose column rule was lost, and a row of values alone (淮安市 faxed)', () => {
    const r = report([
      buildTable(
        [
          ['第:条第人-)巩'],
          ['信息人窜1本年制发全歼', '4', '基和有这伯纹'],
          ['1', '0', '11'],
          ['行政是全文体 | 8', '26', '66'],
          ['第二十条第（五）项'],
          ['信息内容', '本年处理决定数量'],
          ['行政许可', '182'],
        ],
        { id: 'p3-t1' },
      ),
    ]);
    expect(value(r, 'active_disclosure.regulations.issued')).toBe(1);
    expect(value(r, 'active_disclosure.regulations.in_force')).toBe(11);
    expect(value(r, 'active_disclosure.normative_docs.issued')).toBe(8);
    expect(value(r, 'active_disclosure.normative_docs.in_force')).toBe(66);
    for (const key of ['regulations.issued', 'normative_docs.issued', 'normative_docs.in_force'])
      expect(r.cells[`active_disclosure.${key}`]?.flags).toContain('ambiguous-parse');
  });

  it('reads a label cell holding a speck, the rule read as `|` and the label as the label (淮安市 fine, its column rule found)', () => {
    const r = report([
      buildTable(
        [
          ['第:条第人-)巩'],
          ['信息人和窒', '本人秆灿友件级', '4', '基和有这伯纹'],
          ['“ | 地剖', '1', '0', '11'],
          ['行政是全文体 | 8 1', '26', '66'],
          ['第二十条第（五）项'],
        ],
        { id: 'p3-t1' },
      ),
    ]);
    expect(value(r, 'active_disclosure.regulations.issued')).toBe(1);
    expect(value(r, 'active_disclosure.regulations.in_force')).toBe(11);
    expect(value(r, 'active_disclosure.normative_docs.repealed')).toBe(26);
    expect(r.cells['active_disclosure.regulations.issued']?.flags).toContain('ambiguous-parse');
  });

  it('places nothing by shape without a label, with another number of cells, or under no caption', () => {
    expect(report([t2('')]).cells['active_disclosure.admin_fees.fee_amount_wan']?.reason).toBe('missing');
    const none = report([buildTable([['行政再炎性收凤', '7545']], { id: 'p2-t1' })]);
    expect(none.cells['active_disclosure.admin_fees.fee_amount_wan']?.reason).toBe('missing');
    const wide = report([
      buildTable([['第二十条第（八）项'], ['信息内容', '本年收费金额'], ['行政再炎性收凤', '7545', '3']], {
        id: 'p2-t1',
      }),
    ]);
    expect(wide.cells['active_disclosure.admin_fees.fee_amount_wan']?.reason).toBe('missing');
  });
});

describe('mapReport on a 表二 mini-table a fax grid split (v2019)', () => {
  const fees = (headerRow: readonly string[]): Table =>
    buildTable([[{ text: '第二十条第（八）项', colSpan: 5 }], headerRow, ['行政事业性收费', '', '1', '0', '']], {
      id: 'p1-t1',
    });
  const text = REPORT_TEXT_V2021.replace('〔2021〕30号', '〔2019〕60号').replace(/2023/g, '2020');

  it('reads the caption split over two cells (信息 | 容) and places the values under their header words', () => {
    const r = report([fees(['信息', '容', '上一年项目数量', '本年增/减', ''])], text);
    expect(r.template.version).toBe('v2019');
    expect(value(r, 'active_disclosure.admin_fees.prev_year_items')).toBe(1);
    expect(value(r, 'active_disclosure.admin_fees.items_change')).toBe(0);
  });

  it('matches an item label read with its first character lost and three wrong by its anchor (synth-2019-0 faxed)', () => {
    const t2 = buildTable(
      [
        [{ text: '第二十条第（五）项', colSpan: 4 }],
        ['信总内容', '上- -咎项目教斌', '本年增/城', '处媳决定数出'],
        ['行政许吕', '95', '+4', '6'],
        ['他对外答邢服务亡项', '81', '0', '35'],
      ],
      { id: 'p1-t1' },
    );
    const r = report([t2], text);
    expect(value(r, 'active_disclosure.admin_licensing.prev_year_items')).toBe(95);
    expect(value(r, 'active_disclosure.other_external_services.decisions')).toBe(35);
  });

  it('flags values placed by order when the row has more cells than columns (no blank taken for a value silently)', () => {
    const r = report([fees(['信', '内容', '', '', ''])], text);
    expect(r.template.version).toBe('v2019');
    const cells = ['prev_year_items', 'items_change'].map((k) => r.cells[`active_disclosure.admin_fees.${k}`]);
    expect(cells.every((c) => c !== undefined && c.flags.length > 0)).toBe(true);
  });

  it('takes the value, not the blank, under a header word spanning two grid columns', () => {
    const t2 = buildTable(
      [
        [{ text: '第二十条第（一）项', colSpan: 5 }],
        ['信息内容', { text: '本年制发件数', colSpan: 2 }, '本年废止件数', '现行有效件数'],
        ['规章', '', '0', '0', '5'],
        ['行政规范性文件', '', '2', '0', '20'],
      ],
      { id: 'p1-t1' },
    );
    const r = report([t2]);
    expect(value(r, 'active_disclosure.normative_docs.issued')).toBe(2);
    expect(value(r, 'active_disclosure.normative_docs.in_force')).toBe(20);
    expect(value(r, 'active_disclosure.regulations.issued')).toBe(0);
  });
});
