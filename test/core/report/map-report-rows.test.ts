import { describe, expect, it } from 'vitest';
import { buildTable, type CellSpec } from '../../helpers/table-builder.js';
import { T3_SAMPLE, t2V2021, t3BodyV2021, t3Header, t4Table } from './fixtures.js';
import { failedRules, report, T4_VALUES, value } from './map-report-helpers.js';

/** The first row with a cell whose text starts with `label`, and a row's seven values as numbers. */
const rowOf = (rows: readonly (readonly CellSpec[])[], label: string): number =>
  rows.findIndex((row) => row.some((c) => (typeof c === 'string' ? c : c.text).startsWith(label)));
const valuesOf = (rows: readonly (readonly CellSpec[])[], i: number): number[] =>
  (rows[i] ?? []).slice(-7).map((c) => Number(typeof c === 'string' ? c : c.text));

describe('mapReport on damaged layouts: where rows go', () => {
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

  it('takes a fax stroke read as 一 runs in a value cell for junk, not a drifted label (synth-21x-0 faxed)', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const k = rows.findIndex((row) => row.some((c) => typeof c === 'string' && c.startsWith('1.属于国家秘密')));
    const row = [...(rows[k] ?? [])];
    row[row.length - 1] = '一一(旺-一'; // a streak through the total's 0: three 一 and one stray ideograph
    rows[k] = row;
    const r = report([buildTable(rows, { id: 't3' })]);
    expect(value(r, 'applications.denied_state_secret.natural_person')).toBe(5);
    expect(r.cells['applications.denied_state_secret.total']).toMatchObject({ value: null, reason: 'unparsable' });
    expect(r.missing).not.toContain('applications.denied_state_secret.total');
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

  it('places a last row of blanks under an unreadable label as the last template row, flagged', () => {
    const rows = [...t3Header(), ...t3BodyV2021(T3_SAMPLE)];
    const last = rowOf(rows, '四、');
    // A blank-style report's 四、结转下年度继续办理 whose label the fax garbled (synth-2019-2: 叫、各1人拉纵人才音).
    rows[last] = [{ text: '叫、各1人拉纵人才音', colSpan: 3 }, '', '', '', '', '', '', ''];
    const r = report([buildTable(rows, { id: 't3' })]);
    expect(r.cells['applications.carried_forward.total']).toMatchObject({ value: null, reason: 'blank' });
    expect(r.cells['applications.carried_forward.total']?.flags.length).toBeGreaterThan(0);
    expect(r.missing).toEqual(expect.not.arrayContaining(['applications.carried_forward.total']));
    // A garbled row of blanks with a template row still open before it is not placed at the end.
    rows.splice(rowOf(rows, '（七）'), 1);
    const gap = report([buildTable(rows, { id: 't3' })]);
    expect(gap.missing).toEqual(expect.arrayContaining(['applications.carried_forward.total']));
  });

  it('skips a blank sliver row under a label spanning it: the row after keeps its own slot (Noto Serif std __1)', () => {
    // 2. of （四） left blank, 3. holding 2 (one moved from 1.: every sum still holds).
    const data = { ...T3_SAMPLE, unable_not_held: [10, 3, 10, 12, 8, 4], unable_unclear: [0, 2, 0, 0, 0, 0] };
    const rows: CellSpec[][] = [...t3Header(), ...t3BodyV2021(data)].map((row) =>
      row.map((c) => (typeof c === 'string' ? { text: c } : c)),
    );
    const group = rowOf(rows, '（四）');
    rows[group]![0] = { ...rows[group]![0]!, rowSpan: 4 };
    const two = rowOf(rows, '2.没有现成');
    // 2.'s label spans a sliver a fax dash cut under it (six blank cells, no label); 3.'s label garbled,
    // its sub-item number kept.
    const blank = { text: '' };
    rows.splice(
      two,
      1,
      [{ text: '2.没个现成们总需要另行制件', rowSpan: 2 }, ...Array(7).fill(blank)],
      Array(6).fill(blank),
    );
    const three = rowOf(rows, '3.补正后');
    rows[three] = [{ text: '3.补止局申请册容仍不咀确' }, ...rows[three]!.slice(1)];
    const r = report([buildTable(rows, { id: 't3' })]);
    expect(value(r, 'applications.unable_unclear.commercial_enterprise')).toBe(2);
    expect(r.cells['applications.unable_needs_creation.total']).toMatchObject({ value: null, reason: 'blank' });
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
    const at = rowOf;
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
    const at = (label: string): number => rowOf(body, label);
    const first = at('1.申请人无正当理由');
    const sub = (i: number): number[] => valuesOf(body, i);
    const sum = sub(first).map((n, k) => n + sub(first + 1)[k]! + sub(first + 2)[k]!);
    const one = [...body.slice(0, first), ['（六）其他处理', ...sum.map(String)], ...body.slice(first + 3)];
    const confirm = at('5.要求行政机关确认');
    one[confirm] = ['S.归求行政届关确认上或里新出具已获取信息', ...(one[confirm] ?? []).slice(-7)];
    const r = report([buildTable([...t3Header(), ...one], { id: 't3' })]);
    expect(r.notes).toEqual(expect.arrayContaining([expect.stringContaining('printed as one row')]));
    expect(r.cells['applications.np_confirm_reissue.natural_person']?.flags).toEqual([]);
    // An unread label above it and a row lost before that: it took its upper neighbour's place by order
    // and is flagged. 5.要求… read with four characters wrong still names its own row (nearestRow), so
    // the row whose values were lost stays missing rather than taking them.
    const two = one.slice();
    two[confirm - 1] = ['▒▒▒▒▒▒', ...(two[confirm - 1] ?? []).slice(-7)];
    two.splice(confirm - 2, 1);
    const shifted = report([buildTable([...t3Header(), ...two], { id: 't3' })]);
    expect(shifted.cells['applications.np_publication.natural_person']?.flags).toContain('ambiguous-parse');
    expect(shifted.cells['applications.np_excessive.natural_person']?.reason).toBe('missing');
    expect(value(shifted, 'applications.np_confirm_reissue.natural_person')).toBe(sub(confirm)[0]);
  });

  it('reads two unlabelled rows before 四、 as a one-row （六） and （七）总计 (洪泽区 2023 faxed), flagged', () => {
    const body = t3BodyV2021(T3_SAMPLE);
    const at = (label: string): number => rowOf(body, label);
    const first = at('1.申请人无正当理由');
    const sub = (i: number): number[] => valuesOf(body, i);
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
    // 洪泽区 2023 standard: 四、 itself read with two characters wrong still names its row.
    const misread = one.map((row) => {
      const head = row[0];
      const text = typeof head === 'string' ? head : head?.text;
      return text === '四、结转下年度继续办理' && typeof head === 'object'
        ? [{ ...head, text: '四、纳转下年度继续办角' }, ...row.slice(1)]
        : row;
    });
    expect(misread).not.toEqual(one);
    const m = report([buildTable([...t3Header(), ...misread], { id: 't3' })]);
    expect(value(m, 'applications.other_handling.natural_person')).toBe(sum[0]);
    expect(value(m, 'applications.total_processed.natural_person')).toBe(T3_SAMPLE['total_processed']![0]);
    expect(value(m, 'applications.carried_forward.natural_person')).toBe(T3_SAMPLE['carried_forward']![0]);
    expect(m.cells['applications.total_processed.natural_person']?.flags).toContain('ambiguous-parse');
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
});
