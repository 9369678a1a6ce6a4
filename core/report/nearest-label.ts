import { approxIncludes } from './approx-includes.js';

/** Fewest edits spelling `words` inside `label`, or Infinity beyond `max`. */
function editsTo(label: string, words: string, max: number): number {
  for (let k = 0; k <= max; k++) if (approxIncludes(label, words, k)) return k;
  return Infinity;
}

/**
 * The candidate whose printed words a misread label spells with the fewest characters wrong, lost or
 * added — at most one in `charsPerEdit` of the words, words shorter than `minChars` not tried — when
 * no other candidate comes as close (a fax: 行政许避 for 行政许可, 四、纳转下年度继续办角 for
 * 四、结转下年度继续办理). One home for tables 二 and 三.
 */
export function nearestLabel<T>(
  label: string,
  candidates: readonly { readonly value: T; readonly words: readonly string[] }[],
  charsPerEdit: number,
  minChars = 0,
): T | undefined {
  const scored = candidates
    .map(({ value, words }) => ({
      value,
      edits: Math.min(
        Infinity,
        ...words.filter((w) => w.length >= minChars).map((w) => editsTo(label, w, Math.floor(w.length / charsPerEdit))),
      ),
    }))
    .sort((a, b) => a.edits - b.edits);
  const [best, next] = scored;
  return best && best.edits < Infinity && best.edits < (next?.edits ?? Infinity) ? best.value : undefined;
}
