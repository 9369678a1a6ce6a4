import type { ReportCell } from '../model/index.js';

/**
 * 'zero' or 'blank' when every value found in a table is zero or blank (domain.md §8.2): all
 * rules pass trivially, so they cannot confirm the columns were aligned. Null otherwise.
 */
export function isWeakEvidence(cells: readonly ReportCell[]): 'zero' | 'blank' | 'zero or blank' | null {
  const found = cells.filter((c) => c.reason !== 'missing');
  if (found.length === 0) return null;
  if (found.some((c) => c.value !== null && c.value !== 0)) return null;
  if (found.some((c) => c.reason === 'unparsable')) return null;
  const blanks = found.filter((c) => c.value === null).length;
  return blanks === found.length ? 'blank' : blanks === 0 ? 'zero' : 'zero or blank';
}
