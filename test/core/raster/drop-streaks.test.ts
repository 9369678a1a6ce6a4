import { describe, expect, it } from 'vitest';
import { dropStreaks } from '../../../core/raster/drop-streaks.js';
import type { RasterLine } from '../../../core/raster/find-raster-lines.js';

const v = (at: number, from: number, to: number): RasterLine => ({ axis: 'v', at, from, to, thickness: 2 });
const h = (at: number, from: number, to: number): RasterLine => ({ axis: 'h', at, from, to, thickness: 2 });

describe('dropStreaks', () => {
  /** A table's rules on a 2,437-px page: columns at 200…1400, rows 300…1500; one column rule broken at a merged cell. */
  const table: RasterLine[] = [
    ...[200, 600, 1000, 1400].map((x) => v(x, 300, 1500)),
    v(800, 300, 700),
    v(800, 760, 1500),
    ...[300, 700, 1100, 1500].map((y) => h(y, 200, 1400)),
  ];

  it('drops the leaning pieces of a sensor streak through the whole deskewed page (read from a fax)', () => {
    // The pieces found on a dev fax's page 3: the streak stepped 29 px sideways over the page.
    const streak = [
      v(1178.6, 17, 85),
      v(1181.1, 92, 362),
      v(1184.2, 425, 555),
      v(1188.0, 564, 985),
      v(1192.5, 995, 1270),
      v(1195.9, 1306, 1492),
      v(1199.9, 1544, 1892),
      v(1203.3, 1898, 2077),
      v(1206.7, 2115, 2431),
    ];
    expect(dropStreaks([...table, ...streak], 2437)).toEqual(table);
  });

  it('drops a streak that ran into a column rule halfway down the page (read from a standard-mode fax)', () => {
    // synth-2019-2's page 2 at 98 lines an inch: six pieces stepping 19 px sideways over the top half;
    // below, the streak crossed the 总计 column rule at a slant and was joined to it.
    const streak = [
      v(1291.5, 0, 204),
      v(1294.5, 217, 337),
      v(1299.7, 471, 671),
      v(1304.2, 704, 942),
      v(1307.5, 1007, 1049),
      v(1310.6, 1056, 1293),
    ];
    const rule = v(1319.6, 913, 2359);
    expect(dropStreaks([...table, ...streak, rule], 2471)).toEqual([...table, rule]);
  });

  it('drops the pieces above a streak chain on its line, and keeps the column rules beside it (synth-21x-1, page 3)', () => {
    const rules = [
      v(202.4, 206, 870),
      v(202.4, 979, 1272),
      v(282.5, 205, 809),
      v(297.8, 1101, 1271),
      v(297.8, 1400, 1600),
    ];
    // Broken off by more than the chain gap where the streak crossed text: three pieces above, four below.
    const above = [v(229.2, 8, 309), v(232.5, 368, 481), v(235.0, 517, 777), v(239.0, 972, 1035)];
    const below = [v(244.8, 1333, 1726), v(249.3, 1735, 2143), v(252.6, 2152, 2297), v(254.5, 2372, 2430)];
    expect(dropStreaks([...table, ...rules, ...above, ...below], 2465)).toEqual([...table, ...rules]);
  });

  it('keeps a column rule whose end a streak passes close by: its pieces go to the nearer chain (synth-1-4, page 2)', () => {
    const rule = v(355.0, 472, 2008);
    const streak = [
      v(403.4, 0, 213),
      v(399.5, 219, 425),
      v(396.5, 438, 539),
      v(393.5, 547, 753),
      v(390.0, 759, 930),
      v(387.1, 966, 1040),
      v(384.8, 1087, 1210),
      v(380.8, 1255, 1465),
      v(377.0, 1474, 1634),
      v(369.1, 1920, 2079),
      v(366.0, 2108, 2224),
      v(363.0, 2256, 2408),
    ];
    expect(dropStreaks([...table, rule, ...streak], 2454)).toEqual([...table, rule]);
  });

  it('keeps three pieces of a broken rule through half the page (no streak chain is that short)', () => {
    const broken = [v(500, 300, 700), v(506, 760, 1100), v(512, 1150, 1500)];
    expect(dropStreaks([...table, ...broken], 2437)).toEqual([...table, ...broken]);
  });

  it('drops one straight run from the top margin to the bottom one', () => {
    expect(dropStreaks([...table, v(900, 5, 2430)], 2437)).toEqual(table);
  });

  it("keeps a tall table's rules, broken or not, and a page-high rule that does not lean", () => {
    const tall = [v(300, 150, 2300), v(700, 150, 900), v(700, 950, 1600), v(701, 1650, 2300)];
    expect(dropStreaks([...table, ...tall], 2437)).toEqual([...table, ...tall]);
  });

  it("keeps a table's left rule that a streak ran into, between the rules ending on it (read from a fax)", () => {
    // synth-1-1's page 1 (fine mode): the streak merged with 表二's left rule (904–1921) and overlapped
    // the next piece; dropped whole, the label column went, kept whole, prose above joined the table.
    const rows = [1083, 1143, 1201, 1261, 1321, 1382, 1442, 1502, 1562, 1620, 1680, 1740, 1800, 1860, 1920];
    const t2 = [...rows.map((y) => h(y, 196, 1531)), v(1530.6, 1082, 1921), v(567, 1142, 1323)];
    const header = [h(2030, 193, 1531), v(199.5, 2029, 2090)];
    const streak = [v(207.8, 0, 176), v(205, 184, 718), v(202.3, 724, 898), v(199.5, 904, 1921), v(192.4, 1909, 2417)];
    const kept = dropStreaks([...t2, ...header, ...streak], 2423);
    expect(kept.filter((l) => l.axis === 'v' && l.at < 300)).toEqual([v(199.5, 2029, 2090), v(199.5, 1083, 1920)]);
  });
});

describe('dropStreaks on a standard-mode fax page (joinBreaks)', () => {
  /** 表三's rules on page 2 of a Noto Serif report faxed in standard mode (noto-serif__fax-standard__0). */
  const table: RasterLine[] = [
    ...[203, 937, 1021, 1102, 1182, 1286, 1390, 1455, 1527].map((x) => v(x, 185, 2040)),
    v(357, 413, 1979),
    v(469, 581, 1917),
    ...[185, 2040].map((y) => h(y, 203, 1527)),
  ];
  /** The streak's pieces there: it broke off for 361 px where it crossed 表三's dense rows. */
  const streak = [
    v(514, 0, 109),
    v(513, 143, 321),
    v(512, 347, 459),
    v(511, 528, 586),
    v(509, 628, 894),
    v(505, 997, 1510),
    v(500, 1871, 1939),
    v(498, 2037, 2239),
    v(496, 2324, 2444),
  ];

  it('joins the two broken chains of one leaning streak and drops it, only when asked', () => {
    expect(dropStreaks([...table, ...streak], 2448, true)).toEqual(table);
    // Each chain alone is too short to be a streak: the lattice took it for a column rule.
    expect(dropStreaks([...table, ...streak], 2448)).toHaveLength(table.length + streak.length);
  });

  it('does not join two tables’ straight column rules at one x', () => {
    const stacked = [v(800, 100, 500), v(800, 540, 1000), v(800, 1300, 1800), v(800, 1840, 2300)];
    expect(dropStreaks([...table, ...stacked], 2448, true)).toHaveLength(table.length + stacked.length);
  });
});
