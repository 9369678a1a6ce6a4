import type { RasterLine } from './find-raster-lines.js';
import type { BinaryRaster } from './raster.js';

/** A streak runs through this share of the page's height or more; a table's rules stop at its margins. */
const STREAK_SPAN = 0.8;
/** A single straight run this long can only be a streak: the page's margins hold no rule. */
const STRAIGHT_STREAK_SPAN = 0.95;
/** Pieces of one streak follow each other within this share of the page height… */
const MAX_GAP = 0.06;
/** …or overlap the one above by up to this share (a streak piece beside the table rule it ran into). */
const MAX_OVERLAP = 0.01;
/** …and step sideways at most this many pixels per pixel down (plus a few pixels of wobble). */
const MAX_SLOPE = 0.03;
const WOBBLE_PX = 4;
/**
 * A chain of this many pieces leaning at least LONG_LEAN through this share of the page is a streak
 * too: below it, the streak ran into a column rule it crossed at a slant and was joined to it (a
 * standard-mode fax page whose streak chain stopped at 52 % of the height split 表三 at its 总计).
 */
const LONG_CHAIN = 4;
const LONG_CHAIN_SPAN = 0.4;
const LONG_LEAN = 0.008;
/** A piece on a streak's line, away from its chain, is dropped only when shorter than this share of the page: no table's column rule. */
const MAX_STRAY_PIECE = 0.25;
/**
 * A streak piece keeps the part between rules ending on it as a table's border when at least this
 * many do: two are as likely the last rule of one table and the first of the next (synth-1-1).
 */
const MIN_BORDER_RULES = 3;
/**
 * Two chains of at least this many pieces each, end to end on one line with a gap up to
 * MAX_BREAK of the page height, are one streak broken where it crossed a stretch of text.
 */
const MIN_BROKEN_PIECES = 2;
const MAX_BREAK = 0.2;
/** A chain whose ends stand apart by at least this many pixels per pixel down leans as the deskew turned it. */
const MIN_LEAN = 0.004;

/**
 * Vertical ruling lines with a fax's sensor streaks removed. A dirty scanner element draws one line
 * down the whole sheet; once the page is deskewed it leans and breaks into pieces stepping sideways,
 * and each piece passed for a rule, splitting a table column in two (a 0 read as `| 困`, a stray 1
 * in a column of its own). A chain of such pieces, or one straight run, through nearly the whole
 * page height is no rule of a table. With `joinBreaks` (standard-mode fax pages) a streak broken
 * off by more than MAX_GAP is joined up again (joinBroken).
 */
export function dropStreaks(lines: readonly RasterLine[], pageHeight: number, joinBreaks = false): RasterLine[] {
  const vertical = lines.filter((l) => l.axis === 'v').sort((a, b) => a.from - b.from);
  const chains: RasterLine[][] = [];
  for (const l of vertical) {
    const reach = chains.filter((c) => {
      const last = c[c.length - 1]!;
      const down = l.from - last.to;
      return (
        down >= -WOBBLE_PX - MAX_OVERLAP * pageHeight &&
        down <= MAX_GAP * pageHeight &&
        Math.abs(l.at - last.at) <= WOBBLE_PX + MAX_SLOPE * (l.from - last.from)
      );
    });
    // The nearest chain across: a streak piece under a column rule's end joined the rule's chain (synth-1-4).
    const off = (c: RasterLine[]): number => Math.abs(l.at - c[c.length - 1]!.at);
    const chain = reach.reduce<RasterLine[] | undefined>(
      (best, c) => (!best || off(c) < off(best) ? c : best),
      undefined,
    );
    if (chain) chain.push(l);
    else chains.push([l]);
  }
  const streaks = new Set<RasterLine>();
  for (const c of joinBreaks ? joinBroken(chains, pageHeight) : chains) {
    const first = c[0]!;
    const last = c[c.length - 1]!;
    const span = last.to - first.from;
    const straight = c.length === 1 && span >= STRAIGHT_STREAK_SPAN * pageHeight;
    const lean = Math.abs(last.at - first.at);
    const leaning = c.length >= 3 && span >= STREAK_SPAN * pageHeight && lean >= MIN_LEAN * span;
    const long = c.length >= LONG_CHAIN && span >= LONG_CHAIN_SPAN * pageHeight && lean >= LONG_LEAN * span;
    if (straight || leaning || long) {
      c.forEach((l) => streaks.add(l));
      if (!straight) onTheLine(c, vertical, pageHeight).forEach((l) => streaks.add(l));
    }
  }
  if (streaks.size === 0) return [...lines];
  for (const l of [...streaks]) if (besideStreak(l, streaks)) streaks.delete(l);
  const horizontal = lines.filter((l) => l.axis === 'h');
  return lines.flatMap((l) => {
    if (!streaks.has(l)) return [l];
    const border = borderWithin(l, horizontal);
    return border ? [border] : [];
  });
}

/** A streak piece with other streak pieces beside it over this share of its length is a rule the streak ran along. */
const MIN_BESIDE_SHARE = 0.3;

/**
 * A column rule the streak's chain took in, while the streak went on beside it: pieces of one streak
 * follow each other down the page and never lie side by side. 洪泽区 2023 faxed in standard mode: its
 * 表三 rule between 社会公益组织 and 法律服务机构 (1,078 px) joined the chain above it where the
 * streak crossed it, and went with it; the streak's pieces beside it cover half its length.
 */
function besideStreak(l: RasterLine, streaks: ReadonlySet<RasterLine>): boolean {
  let beside = 0;
  for (const o of streaks)
    if (o !== l && o.from >= l.from - WOBBLE_PX && o.to <= l.to + WOBBLE_PX) beside += o.to - o.from;
  return beside >= MIN_BESIDE_SHARE * (l.to - l.from);
}

/**
 * The part of a streak piece that is a table's side rule: between the first and last horizontal
 * rules ending on it (at least MIN_BORDER_RULES). A streak that ran into a table's border merged
 * with it (synth-1-1's 表二: dropping the whole piece cut off the label column); the rules ending
 * there say where the border is.
 */
function borderWithin(piece: RasterLine, horizontal: readonly RasterLine[]): RasterLine | null {
  const tol = 2 * WOBBLE_PX;
  const ending = horizontal
    .filter(
      (h) =>
        (Math.abs(h.from - piece.at) <= tol || Math.abs(h.to - piece.at) <= tol) &&
        h.at >= piece.from - tol &&
        h.at <= piece.to + tol,
    )
    .map((h) => h.at);
  if (ending.length < MIN_BORDER_RULES) return null;
  const from = Math.max(piece.from, Math.min(...ending));
  const to = Math.min(piece.to, Math.max(...ending));
  return to > from ? { ...piece, from, to } : null;
}

/**
 * Short vertical pieces elsewhere on the line a leaning streak chain follows (least squares through
 * its pieces' midpoints): where the streak crossed text the pieces were refused or broke off by more
 * than MAX_GAP, and the part above started a chain of its own, too short to count (synth-21x-1's
 * page 3: a column of its own in 表三 and 表四). Pieces with another rule piece at their x are rules.
 */
function onTheLine(chain: readonly RasterLine[], vertical: readonly RasterLine[], pageHeight: number): RasterLine[] {
  const mids = chain.map((l) => (l.from + l.to) / 2);
  const my = mids.reduce((a, b) => a + b, 0) / mids.length;
  const mx = chain.reduce((a, l) => a + l.at, 0) / chain.length;
  let sxy = 0;
  let syy = 0;
  chain.forEach((l, i) => {
    sxy += (mids[i]! - my) * (l.at - mx);
    syy += (mids[i]! - my) ** 2;
  });
  const slope = syy > 0 ? sxy / syy : 0;
  const stray = vertical.filter(
    (l) =>
      !chain.includes(l) &&
      l.to - l.from <= MAX_STRAY_PIECE * pageHeight &&
      Math.abs(l.at - (mx + slope * ((l.from + l.to) / 2 - my))) <= WOBBLE_PX,
  );
  // A piece of a column rule has other pieces of that rule at its x (synth-1-4's 表三 lost a column without this).
  return stray.filter(
    (l) =>
      !vertical.some((o) => o !== l && !chain.includes(o) && !stray.includes(o) && Math.abs(o.at - l.at) <= WOBBLE_PX),
  );
}

/**
 * Chains joined end to end where a streak broke off by more than MAX_GAP (a standard-mode fax of a
 * Noto Serif report: pieces 0–1510 and 1871–2444 px of a 2,448-px page, each chain too short to
 * count, and the streak split 表三's label column). Only chains of several pieces each: a table
 * rule drawn whole is one piece, and two tables' rules at one x are two.
 */
function joinBroken(chains: readonly RasterLine[][], pageHeight: number): RasterLine[][] {
  const out = chains.map((c) => [...c]).sort((a, b) => a[0]!.from - b[0]!.from);
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < out.length; j++) {
      const a = out[i]!;
      const b = out[j]!;
      const last = a[a.length - 1]!;
      const gap = b[0]!.from - last.to;
      if (
        a.length >= MIN_BROKEN_PIECES &&
        b.length >= MIN_BROKEN_PIECES &&
        gap > 0 &&
        gap <= MAX_BREAK * pageHeight &&
        Math.abs(b[0]!.at - last.at) <= WOBBLE_PX + MAX_SLOPE * gap
      ) {
        a.push(...b);
        out.splice(j, 1);
        j = i;
      }
    }
  }
  return out;
}

/** Pixels (beyond half its thickness) either side of a streak piece's line cleared with it. */
const ERASE_MARGIN_PX = 2;

/** The vertical lines of `all` that dropStreaks took out (leaving `kept`). */
export function droppedStreaks(all: readonly RasterLine[], kept: readonly RasterLine[]): RasterLine[] {
  const left = new Set(kept);
  return all.filter((l) => l.axis === 'v' && !left.has(l));
}

/**
 * `bin` without the `streaks` (droppedStreaks), for the lattice repairs that look for paper: a streak
 * through a column of a table is ink on every pixel row, so no blank gap between its rows was ever
 * found there (洪泽区 2023's 表三 faxed in standard mode kept 5 of its 16 rows). The page itself, read
 * by OCR, keeps them.
 */
export function eraseStreaks(bin: BinaryRaster, streaks: readonly RasterLine[]): BinaryRaster {
  if (streaks.length === 0) return bin;
  const data = bin.data.slice();
  for (const s of streaks) {
    const half = s.thickness / 2 + ERASE_MARGIN_PX;
    const x0 = Math.max(0, Math.floor(s.at - half));
    const x1 = Math.min(bin.width - 1, Math.ceil(s.at + half));
    for (let y = Math.max(0, s.from); y <= Math.min(bin.height - 1, s.to); y++)
      data.fill(0, y * bin.width + x0, y * bin.width + x1 + 1);
  }
  return { ...bin, data };
}
