// find / findAndModify projections through mingo, except where MongoDB differs: a projection
// whose only non-exclusions are `$slice`s keeps every other field (mingo would treat `$slice`
// as an inclusion and drop them). Documents are decoded with their number types kept.
import type { Document } from 'bson';
import { find } from 'mingo';
import { isContainer, promoteNumbers } from '../storage/typed-values.js';

export function projectDocuments(docs: Document[], filter: Document, spec: Document): Document[] {
  const projection = promoteNumbers(spec);
  const slices = Object.entries(projection).filter(([, value]) => isContainer(value) && '$slice' in value);
  const others = Object.entries(projection).filter(([, value]) => !(isContainer(value) && '$slice' in value));
  const includes = others.some(([, value]) => value !== 0 && value !== false);
  if (slices.length === 0 || includes) return find(docs, promoteNumbers(filter), projection).all();
  const excluded = others.length > 0 ? find(docs, {}, Object.fromEntries(others)).all() : docs;
  for (const doc of excluded)
    for (const [path, value] of slices) sliceAt(doc, path.split('.'), (value as Document).$slice);
  return excluded;
}

/** Applies `$slice` (n, -n or [skip, limit]) to the arrays at a path, through arrays of sub-documents. */
function sliceAt(node: unknown, path: readonly string[], slice: unknown): void {
  const [head = '', ...rest] = path;
  if (Array.isArray(node)) {
    for (const element of node) sliceAt(element, path, slice);
    return;
  }
  if (!isContainer(node)) return;
  const doc = node as Document;
  if (rest.length > 0) return sliceAt(doc[head], rest, slice);
  const array = doc[head];
  if (Array.isArray(array)) doc[head] = sliced(array, slice);
}

function sliced(array: unknown[], slice: unknown): unknown[] {
  if (typeof slice === 'number')
    return slice >= 0 ? array.slice(0, slice) : array.slice(Math.max(array.length + slice, 0));
  const [skip = 0, limit = 0] = slice as number[];
  const start = skip >= 0 ? Math.min(skip, array.length) : Math.max(array.length + skip, 0);
  return array.slice(start, start + limit);
}
