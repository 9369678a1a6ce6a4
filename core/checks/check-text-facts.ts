import type { Check, ReportMetadata } from '../model/index.js';
import { T4_KEYS } from '../report/schema.js';
import { readValue, type CheckValues } from './evaluate-rule.js';

/** 余 ("more than") totals: the channel sum may fall short by this share and still agree. */
const APPROX_SHORTFALL = 0.1;
/** Publication is due by Mar 31 of the next year (domain.md §0); later counts as late. */
const LAST_ON_TIME_MONTH = 3;

const NEW_RECEIVED_TOTAL = 'applications.new_received.total';

function skip(rule: Check['rule'], scope: string, why: string, keys: readonly string[] = []): Check {
  return {
    rule,
    hard: false,
    scope,
    status: 'skipped',
    keys,
    expected: null,
    actual: null,
    message: `${rule} ${scope} skipped: ${why}`,
  };
}

/** S4 (narrative ↔ tables), S5 (proactive total ↔ channels), S6 (dates) from the report text. */
export function checkTextFacts(values: CheckValues, meta: ReportMetadata): Check[] {
  const checks: Check[] = [];
  const received = readValue(values, NEW_RECEIVED_TOTAL);
  if (meta.applicationsReceivedText === null)
    checks.push(skip('S4', 'applications received', 'the text states no count', [NEW_RECEIVED_TOTAL]));
  else if (!received.known) checks.push(skip('S4', 'applications received', received.why, [NEW_RECEIVED_TOTAL]));
  else {
    const ok = received.value === meta.applicationsReceivedText;
    checks.push({
      rule: 'S4',
      hard: false,
      scope: 'applications received',
      status: ok ? 'pass' : 'fail',
      keys: [NEW_RECEIVED_TOTAL],
      expected: meta.applicationsReceivedText,
      actual: received.value,
      message: ok
        ? `S4: text and table agree on ${received.value} new applications`
        : `S4: text says ${meta.applicationsReceivedText} applications, table 三 row 一 total is ${received.value}`,
    });
  }
  if (meta.noReviewLitigationText) {
    const keys = T4_KEYS.map((k) => `review_litigation.${k}`);
    const nonZero = keys.filter((k) => {
      const r = readValue(values, k);
      return r.known && r.value !== 0;
    });
    checks.push({
      rule: 'S4',
      hard: false,
      scope: 'review and litigation',
      status: nonZero.length === 0 ? 'pass' : 'fail',
      keys: nonZero.length === 0 ? keys : nonZero,
      expected: 0,
      actual: nonZero.length,
      message:
        nonZero.length === 0
          ? 'S4: no review or litigation, as the text says'
          : `S4: text says no review or litigation, table 四 has ${nonZero.length} non-zero values`,
    });
  }
  const channels = Object.values(meta.proactiveByChannel);
  if (!meta.proactiveTotal || channels.length < 2)
    checks.push(skip('S5', 'proactive disclosure', 'no total with a channel breakdown in the text'));
  else {
    const sum = channels.reduce((a, b) => a + b, 0);
    const total = meta.proactiveTotal.value;
    const ok =
      sum === total ||
      (meta.proactiveTotal.approx && sum <= total * (1 + APPROX_SHORTFALL) && sum >= total * (1 - APPROX_SHORTFALL));
    checks.push({
      rule: 'S5',
      hard: false,
      scope: 'proactive disclosure',
      status: ok ? 'pass' : 'fail',
      keys: [],
      expected: total,
      actual: sum,
      message: ok
        ? `S5: channels add up to ${sum} of ${total}`
        : `S5: channels add up to ${sum}, the text gives ${total}`,
    });
  }
  checks.push(...checkDates(meta));
  return checks;
}

function checkDates(meta: ReportMetadata): Check[] {
  const year = meta.reportYear;
  if (year === null) return [skip('S6', 'dates', 'no report year')];
  const out: Check[] = [];
  if (!meta.statPeriod) out.push(skip('S6', 'statistics period', 'no statistics period in the text'));
  else {
    const periodYear = Number(meta.statPeriod.start.slice(0, 4));
    const ok = periodYear === year;
    out.push({
      rule: 'S6',
      hard: false,
      scope: 'statistics period',
      status: ok ? 'pass' : 'fail',
      keys: [],
      expected: year,
      actual: periodYear,
      message: ok
        ? `S6: statistics period is ${year}`
        : `S6: report year ${year}, statistics period starts in ${periodYear}`,
    });
  }
  if (meta.publicationDate) {
    const [y, m] = meta.publicationDate.split('-').map(Number);
    const ok = y === year + 1 && (m ?? 13) <= LAST_ON_TIME_MONTH;
    out.push({
      rule: 'S6',
      hard: false,
      scope: 'publication date',
      status: ok ? 'pass' : 'fail',
      keys: [],
      expected: year + 1,
      actual: y ?? null,
      message: ok
        ? `S6: published ${meta.publicationDate}`
        : `S6: published ${meta.publicationDate}, expected Jan–Mar ${year + 1}`,
    });
  }
  return out;
}
