import { resolveIssuer, type IssuerMatch } from '../issuer/resolve-issuer.js';
import type { MetadataCheck, ReportMetadata } from '../model/index.js';

/** Bodies named in running text (本报告由…人民政府办公室编制, 请与…联系, the signature). */
const BODY_MENTION = /([\u4e00-\u9fff]{2,24}?(?:人民政府|管理委员会|管委会|局|委员会|办事处))/g;
/** How much of the text after the title holds the opening paragraph and the contact sentence. */
const OPENING_CHARS = 1500;
/** Below this an issuer match asks a person to look. */
const ISSUER_TRUSTED = 0.8;
/** Earliest annual report year (the 条例 took effect in 2008). */
const FIRST_YEAR = 2008;
const LAST_YEAR = 2100;

/** Two names agree when one's division holds the other's (淮安市 and 淮安市洪泽区 do; 盐池县 and 红寺堡区 do not). */
function agrees(a: IssuerMatch, b: IssuerMatch): boolean {
  const x = a.issuerId?.split(':')[0];
  const y = b.issuerId?.split(':')[0];
  return x !== undefined && y !== undefined && (x.startsWith(y) || y.startsWith(x));
}

/**
 * The issuer as printed in the title, resolved against the division data with the rest of the
 * opening as context, and compared with its repetitions (the opening paragraph, the contact
 * sentence, the signature). An OCR near-miss (吉池县 for 盐池县), an unresolved name or a
 * repetition that names another place is flagged; a real name the data places elsewhere (a town
 * under another county) lowers the confidence but is a note, not a reading error.
 */
function checkIssuer(metadata: ReportMetadata, opening: string): { check: MetadataCheck; match: IssuerMatch | null } {
  const printed = metadata.issuer ?? metadata.issuerFull;
  if (!printed)
    return {
      match: null,
      check: {
        field: 'issuer',
        value: null,
        confidence: 0,
        evidence: [],
        flagged: true,
        message: 'no issuer found in the title, the signature or the contact sentence',
      },
    };
  const context = [metadata.issuerFull ?? '', opening].join(' ');
  const match = resolveIssuer(printed, context);
  const mentions = [...new Set([metadata.issuerFull, ...[...opening.matchAll(BODY_MENTION)].map((m) => m[1])])]
    .filter((m): m is string => !!m && m !== printed)
    .map((m) => resolveIssuer(m, context))
    .filter((m) => m.issuerId !== null);
  const agreeing = mentions.filter((m) => agrees(m, match));
  const disagreeing = mentions.filter((m) => !agrees(m, match) && m.confidence >= ISSUER_TRUSTED);
  const evidence = [
    `title: ${printed} → ${match.name ?? 'unresolved'} (${match.code ?? '-'}, ${match.method}, ${match.confidence})`,
    ...agreeing.map((m) => `repeated as ${m.printed}`),
    ...disagreeing.map((m) => `but also ${m.printed} → ${m.name ?? '?'}`),
  ];
  let confidence = match.confidence;
  if (agreeing.length > 0 && match.method !== 'partial') confidence = Math.min(0.99, confidence + 0.05);
  // A repetition that names another place only counts when the title's place is not named at all.
  if (disagreeing.length > 0 && agreeing.length === 0) confidence = Math.min(confidence, 0.5);
  const misread = match.method === 'near-miss' || match.method === 'unresolved';
  const flagged = misread || (disagreeing.length > 0 && agreeing.length === 0);
  const message = misread
    ? `issuer ${printed}: ${match.reason ?? 'not resolved'}`
    : flagged
      ? `issuer ${printed} (${match.name ?? '?'}) disagrees with ${disagreeing.map((m) => m.printed).join(', ')} in the report`
      : (match.reason ?? `issuer ${printed} is ${match.name ?? '?'}`);
  return {
    match,
    check: {
      field: 'issuer',
      value: printed,
      confidence: Math.round(confidence * 100) / 100,
      evidence,
      flagged,
      message,
    },
  };
}

/** The report year from the title against the statistics period, the running text and the publication date. */
function checkYear(metadata: ReportMetadata, opening: string): MetadataCheck {
  const year = metadata.reportYear;
  const periodYear = metadata.statPeriod ? Number(metadata.statPeriod.start.slice(0, 4)) : null;
  const pubYear = metadata.publicationDate ? Number(metadata.publicationDate.slice(0, 4)) : null;
  const inText = year !== null && opening.includes(`${year}年`);
  const evidence: string[] = [];
  const conflicts: string[] = [];
  const weigh = (holds: boolean, support: string, conflict: string): void => {
    if (holds) evidence.push(support);
    else conflicts.push(conflict);
  };
  if (periodYear !== null)
    weigh(periodYear === year, `statistics period ${periodYear}`, `statistics period starts in ${periodYear}`);
  if (pubYear !== null)
    weigh(
      year !== null && (pubYear === year + 1 || pubYear === year),
      `published ${pubYear}`,
      `published in ${pubYear}`,
    );
  if (inText) evidence.push(`${year}年 in the opening`);
  const support = evidence.length;
  // No clock in the core: the same bytes give the same document whenever they are read.
  const plausible = year !== null && year >= FIRST_YEAR && year <= LAST_YEAR;
  const flagged = !plausible || conflicts.length > 0;
  const confidence = !plausible ? 0 : conflicts.length > 0 ? 0.4 : Math.min(0.99, 0.7 + 0.1 * support);
  return {
    field: 'reportYear',
    value: year === null ? null : String(year),
    confidence: Math.round(confidence * 100) / 100,
    evidence,
    flagged,
    message: !plausible
      ? `report year ${year ?? 'not found'} is not a plausible report year`
      : conflicts.length > 0
        ? `report year ${year} disagrees with: ${conflicts.join('; ')}`
        : `report year ${year} (${evidence.join(', ') || 'title only'})`,
  };
}

/** The statistics period: a calendar year, that of the report. */
function checkPeriod(metadata: ReportMetadata): MetadataCheck | null {
  const p = metadata.statPeriod;
  if (!p) return null;
  const calendar = /-01-01$/.test(p.start) && /-12-31$/.test(p.end) && p.start.slice(0, 4) === p.end.slice(0, 4);
  const dates = [p.start, p.end].every((d) => !Number.isNaN(Date.parse(d)));
  const flagged = !calendar || !dates;
  return {
    field: 'statPeriod',
    value: `${p.start}/${p.end}`,
    confidence: flagged ? 0.4 : 0.95,
    evidence: [],
    flagged,
    message: flagged
      ? `statistics period ${p.start} – ${p.end} is not one calendar year`
      : `statistics period ${p.start} – ${p.end}`,
  };
}

/**
 * Cross-checks the metadata read from the title against its repetitions in the opening and against
 * the division data, and attaches the issuer's identity. Pure: the division data is a static file.
 */
export function checkMetadata(metadata: ReportMetadata, text: string): ReportMetadata {
  const opening = text.slice(0, OPENING_CHARS);
  const issuer = checkIssuer(metadata, opening);
  const period = checkPeriod(metadata);
  return {
    ...metadata,
    issuerMatch: issuer.match,
    checks: [issuer.check, checkYear(metadata, opening), ...(period ? [period] : [])],
  };
}
