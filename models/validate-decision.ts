import { numberKindOf } from '../core/report/schema.js';

/** The metadata fields a person can review, as decision keys `metadata.<field>`. */
export const METADATA_FIELDS = ['issuer', 'year', 'region', 'template'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

/** No report of a county prints a count this large: a slip of the keyboard, not a number. */
const MAX_NUMBER = 1e9;

export function metadataField(key: string): MetadataField | null {
  const field = key.startsWith('metadata.') ? key.slice('metadata.'.length) : null;
  return (METADATA_FIELDS as readonly string[]).includes(field ?? '') ? (field as MetadataField) : null;
}

/**
 * Why a value a person typed cannot stand in the cell, or null when it can (domain.md H1): counts
 * are non-negative integers, `items_change` a signed integer, fee and procurement amounts
 * non-negative decimals; null is a blank cell. Metadata: a year 1990–2100, a template version,
 * a name of at most 100 characters.
 */
export function invalidValue(key: string, value: unknown): string | null {
  const field = metadataField(key);
  if (field === 'year')
    return Number.isInteger(value) && (value as number) >= 1990 && (value as number) <= 2100
      ? null
      : `${key} must be a year (an integer 1990–2100), not ${JSON.stringify(value)}`;
  if (field === 'template') return value === 'v2019' || value === 'v2021' ? null : `${key} must be v2019 or v2021`;
  if (field !== null)
    return typeof value === 'string' && value.trim() !== '' && value.length <= 100
      ? null
      : `${key} must be a non-empty text of at most 100 characters`;
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${key} must be a number or null (blank)`;
  if (Math.abs(value) > MAX_NUMBER) return `${key} = ${value} is beyond any printed value`;
  switch (numberKindOf(key)) {
    case 'signed':
      return Number.isInteger(value) ? null : `${key} is a change in count: a whole number, not ${value}`;
    case 'decimal':
      return value >= 0 ? null : `${key} is an amount: it cannot be negative (${value})`;
    default:
      return Number.isInteger(value) && value >= 0 ? null : `${key} is a count: a whole number ≥ 0, not ${value}`;
  }
}
