// A decision's outcome in words: what the re-run of the checks changed, or why the API refused it.
import { ApiError } from './api.js';
import { shown } from './dom.js';

/** What the re-run of the checks changed, in words. */
export function rerunSummary(before, after) {
  const failing = (doc) => doc.checks.filter((c) => c.hard && c.status === 'fail' && !c.explained);
  const fixed = failing(before).filter(
    (c) => !failing(after).some((a) => a.rule === c.rule && a.cells.join() === c.cells.join()),
  );
  const open = failing(after).length;
  const parts = [
    `Checks re-run: ${open === 0 ? 'every hard rule holds' : `${open} hard rule${open === 1 ? '' : 's'} still failing`}`,
  ];
  if (fixed.length) parts.push(`now holds: ${fixed.map((c) => c.rule).join(', ')}`);
  parts.push(`${after.flagsLeft} flag${after.flagsLeft === 1 ? '' : 's'} left`);
  return parts.join(' · ') + '.';
}

/** A refused decision in words: the rule that would fail (409), or why the value is not acceptable (422). */
export function refusal(error, labelOf = (key) => key) {
  if (!(error instanceof ApiError)) return { tone: 'bad', title: 'Failed:', text: error.message };
  const b = error.body;
  if (error.code === 'RULE_FAILS') {
    const values = b.values
      ? Object.entries(b.values)
          .map(([k, v]) => `${labelOf(k)} = ${shown(v)}`)
          .join(', ')
      : '';
    return {
      tone: 'bad',
      title: `Refused: rule ${b.rule} would fail —`,
      text: b.text ?? b.message,
      hint: [
        values && `Values: ${values}.`,
        'If the report really prints these numbers, press p to record them as printed so.',
      ]
        .filter(Boolean)
        .join(' '),
    };
  }
  if (error.code === 'BAD_VALUE') return { tone: 'bad', title: 'Not accepted:', text: b.message };
  if (error.code === 'OPEN') return { tone: 'bad', title: 'Cannot close yet:', text: b.message };
  return { tone: 'bad', title: `${error.code}:`, text: b.message ?? error.message };
}
