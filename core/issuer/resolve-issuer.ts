export type { IssuerMatch } from '../model/index.js';
import { foldText } from '../report/normalize-label.js';
import type { IssuerMatch } from '../model/index.js';
import { divisionIndex, gbCode, isWithin, lineage, type Division, type DivisionIndex } from './divisions.js';

/** What is left after the divisions that still means the government itself (± 人民政府/办公室/管委会). */
const GOVERNMENT_BODY =
  /^(?:(?:人民)?政府)?(?:办公室|办公厅|办事处|党政办公室|党政办|综合办公室)?$|^(?:管委会|管理委员会)(?:办公室)?$/;
/** A division-like token: a name ending in a division suffix (for names the data lacks or OCR garbled). */
const DIVISION_TOKEN = /^([\u4e00-\u9fff]{1,8}?(?:街道|镇|乡|区|县|市|旗))/;
const RANK: Readonly<Record<Division['level'], number>> = { province: 0, city: 1, county: 2, town: 3 };

interface Chain {
  readonly divisions: readonly Division[];
  readonly end: number;
  readonly shortForms: number;
}

/** The name as matched: folded (NFKC, radicals), everything but CJK ideographs removed. */
export function normalizeIssuerName(printed: string): string {
  return foldText(printed).replace(/[^\u4e00-\u9fff]/g, '');
}

/** Every maximal chain of nested division names that starts at `pos`. */
function chainsAt(s: string, pos: number, parent: Division | null, idx: DivisionIndex): Chain[] {
  const out: Chain[] = [];
  for (let len = Math.min(idx.longestName, s.length - pos); len >= 2; len--) {
    const text = s.slice(pos, pos + len);
    for (const d of idx.byName.get(text) ?? []) {
      if (parent && (RANK[d.level] <= RANK[parent.level] || !isWithin(d, parent))) continue;
      const short = d.name === text ? 0 : 1;
      const rest = chainsAt(s, pos + len, d, idx);
      if (rest.length === 0) out.push({ divisions: [d], end: pos + len, shortForms: short });
      for (const r of rest) out.push({ divisions: [d, ...r.divisions], end: r.end, shortForms: short + r.shortForms });
    }
  }
  return out;
}

/** How many of a division's names (its own and those above it) the context mentions. */
function contextSupport(d: Division, context: string, idx: DivisionIndex): number {
  if (context === '') return 0;
  return lineage(d, idx).filter((a) => context.includes(a.name)).length;
}

/** Substitutions between two names of equal length (OCR swaps a glyph; it rarely drops one inside a name). */
function substitutions(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/**
 * OCR near-misses of a division name: same length and suffix, at most one glyph off anywhere, or
 * up to all but two glyphs when the parent already narrows the candidates (吴忠市 + 红土代区 →
 * 红寺堡区) or the report names the candidate elsewhere. The closest candidates, the context's
 * favourites first; one of them is a match.
 */
function nearMisses(token: string, parent: Division | null, context: string, idx: DivisionIndex): Division[] {
  if (token.length < 3) return [];
  const levels = (['city', 'county', 'town'] as const).filter((l) => !parent || RANK[l] > RANK[parent.level]);
  let best: Division[] = [];
  let bestDistance = Infinity;
  for (const level of levels) {
    for (const d of idx.byLevelAndEnd.get(`${level}:${token.at(-1) ?? ''}`) ?? []) {
      if (d.name.length !== token.length || (parent && !isWithin(d, parent))) continue;
      const allowed = parent || context.includes(d.name) ? token.length - 2 : 1;
      const distance = substitutions(d.name, token);
      if (distance > allowed || distance > bestDistance) continue;
      if (distance < bestDistance) best = [];
      bestDistance = distance;
      best.push(d);
    }
  }
  return best.length > 1 ? mostSupported(best, context, idx) : best;
}

/** The candidates the context supports most (all of them when it supports none). */
function mostSupported(candidates: readonly Division[], context: string, idx: DivisionIndex): Division[] {
  const scored = candidates.map((d) => ({ d, score: contextSupport(d, context, idx) }));
  const top = Math.max(...scored.map((s) => s.score));
  return top === 0 ? [...candidates] : scored.filter((s) => s.score === top).map((s) => s.d);
}

function describe(d: Division, idx: DivisionIndex): string {
  return lineage(d, idx)
    .map((a) => a.name)
    .join('');
}

function unresolved(printed: string, reason: string): IssuerMatch {
  return {
    printed,
    issuerId: null,
    code: null,
    townCode: null,
    province: null,
    city: null,
    county: null,
    town: null,
    body: null,
    unresolvedPart: null,
    name: null,
    confidence: 0,
    method: 'unresolved',
    reason,
  };
}

/**
 * Resolves a printed issuer name (title, signature, contact sentence) to its division and body.
 * `context` is other text of the same report (the full name in the opening paragraph, the contact
 * address…): it picks between divisions of the same name and confirms a bare or garbled one.
 */
export function resolveIssuer(printed: string, context = ''): IssuerMatch {
  const idx = divisionIndex();
  const s = normalizeIssuerName(printed);
  const ctx = normalizeIssuerName(context);
  if (s === '') return unresolved(printed, 'no name');
  const chains = chainsAt(s, 0, null, idx);
  let method: IssuerMatch['method'] = 'exact';
  const reasons: string[] = [];
  let confidence = 0.95;
  if (chains.length === 0) {
    const token = DIVISION_TOKEN.exec(s)?.[1];
    const near = token ? nearMisses(token, null, ctx, idx) : [];
    if (!token || near.length !== 1)
      return unresolved(
        printed,
        near.length > 1
          ? `no division is named ${token}; it is one glyph off ${near.length} (${near
              .slice(0, 4)
              .map((d) => describe(d, idx))
              .join(', ')}) and the report names none of them elsewhere`
          : `no division name recognised in ${s}`,
      );
    // Read the garbled name as its near-miss and resolve again; the match keeps the doubt.
    const match = resolveIssuer(near[0]!.name + s.slice(token.length), context);
    const supported = contextSupport(near[0]!, ctx, idx) > 0;
    return {
      ...match,
      printed,
      method: 'near-miss',
      confidence: Math.min(match.confidence, supported ? 0.7 : 0.5),
      reason: [`${token} read as ${near[0]!.name} (OCR near-miss)`, match.reason].filter(Boolean).join('; '),
    };
  }
  // The longest reading wins; among those, the one with fewer short forms.
  const end = Math.max(...chains.map((c) => c.end));
  const longest = chains.filter((c) => c.end === end);
  const fewestShort = Math.min(...longest.map((c) => c.shortForms));
  const best = longest.filter((c) => c.shortForms === fewestShort);
  let finals = [...new Map(best.map((c) => [c.divisions.at(-1)!.code, c.divisions.at(-1)!])).values()];
  if (finals.length > 1) {
    finals = mostSupported(finals, ctx, idx);
    if (finals.length > 1)
      return unresolved(
        printed,
        `ambiguous: ${s.slice(0, end)} names ${finals.length} divisions (${finals
          .slice(0, 4)
          .map((d) => describe(d, idx))
          .join(', ')}${finals.length > 4 ? ', …' : ''})`,
      );
    method = 'context';
    confidence = 0.85;
    reasons.push(`picked by the report's other mentions of ${describe(finals[0]!, idx)}`);
  }
  let division = finals[0]!;
  const chain = best.find((c) => c.divisions.at(-1)!.code === division.code)!;
  if (fewestShort > 0) confidence -= 0.05;
  if (chain.divisions.length === 1 && division.level === 'town' && method === 'exact') {
    // A bare 乡镇 name unique nationwide is still a guess unless the report names its county.
    const confirmed = lineage(division, idx).some((a) => a.level !== 'town' && ctx.includes(a.name));
    confidence = confirmed ? 0.85 : 0.6;
    if (!confirmed) reasons.push(`town name alone; no county named in the report`);
  }

  let rest = s.slice(end);
  let unresolvedPart: string | null = null;
  const token = DIVISION_TOKEN.exec(rest)?.[1];
  if (token && !GOVERNMENT_BODY.test(rest)) {
    // A name the data holds elsewhere is a real name placed under another county, not an OCR slip.
    const elsewhere = (idx.byName.get(token) ?? []).filter((d) => d.level === 'town' || d.level === 'county');
    const near = elsewhere.length === 0 ? nearMisses(token, division, ctx, idx) : [];
    if (near.length === 1 && near[0]) {
      division = near[0];
      method = 'near-miss';
      confidence = Math.min(confidence, 0.6);
      reasons.push(`${token} read as ${division.name} (OCR near-miss)`);
      rest = rest.slice(token.length);
    } else if (elsewhere.length > 0) {
      const misplaced = `${token} is not under ${division.name} in the division data (it is under ${elsewhere
        .slice(0, 3)
        .map((d) => describe(d, idx))
        .join(', ')}${elsewhere.length > 3 ? ', …' : ''})`;
      // A unique county printed under the wrong city (中卫市红寺堡区) is that county: the county
      // is the more specific name, and the title usually prints it without the city.
      const county = elsewhere.length === 1 && elsewhere[0]?.level === 'county';
      if (county) {
        const inner = resolveIssuer(s.slice(end), context);
        return {
          ...inner,
          printed,
          method: 'partial',
          confidence: Math.min(inner.confidence, 0.5),
          reason: [misplaced, inner.reason].filter(Boolean).join('; '),
        };
      }
      unresolvedPart = token;
      method = 'partial';
      confidence = Math.min(confidence, 0.5);
      reasons.push(misplaced);
      rest = rest.slice(token.length);
    }
  }
  if (method !== 'near-miss' && method !== 'partial' && contextSupport(division, ctx, idx) > 0)
    confidence = Math.max(confidence, 0.9);
  else if (method === 'near-miss' && contextSupport(division, ctx, idx) > 0) confidence += 0.2;
  const body = GOVERNMENT_BODY.test(rest) ? null : rest;
  const names = lineage(division, idx);
  const at = (level: Division['level']): string | null => names.find((d) => d.level === level)?.name ?? null;
  const town = names.find((d) => d.level === 'town');
  return {
    printed,
    issuerId: `${division.code}:${unresolvedPart ?? ''}${body ?? ''}`,
    code: gbCode(division),
    townCode: town?.code ?? null,
    province: at('province'),
    city: at('city'),
    county: at('county'),
    town: town?.name ?? null,
    body,
    unresolvedPart,
    name: `${names.map((d) => d.name).join('')}${unresolvedPart ?? ''}${body ?? ''}`,
    confidence: Math.round(Math.min(confidence, 0.99) * 100) / 100,
    method,
    reason: reasons.length > 0 ? reasons.join('; ') : null,
  };
}
