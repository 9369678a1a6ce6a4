import type { Problem } from '../model/index.js';

/** Narrows a stage result (`T | Problem`) to its Problem branch. */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { code?: unknown; stage?: unknown; message?: unknown };
  return typeof v.code === 'string' && typeof v.stage === 'string' && typeof v.message === 'string';
}
