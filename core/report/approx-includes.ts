/**
 * Whether `pattern` occurs in `text` with at most `maxEdits` substituted, dropped or added
 * characters (approximate substring search, Sellers' dynamic programme: the match may start
 * anywhere in the text). Written here because the edit-distance packages compare whole strings;
 * a fax's title line carries the words among misread neighbours (公玫 for 公开, an extra 人).
 */
export function approxIncludes(text: string, pattern: string, maxEdits: number): boolean {
  const p = [...pattern];
  if (p.length === 0) return true;
  // column[i]: fewest edits matching p[0..i) so that the match ends at the current text position.
  let column = p.map((_, i) => i + 1);
  for (const ch of text) {
    const next = new Array<number>(p.length);
    let diagonal = 0;
    for (let i = 0; i < p.length; i++) {
      const above = i === 0 ? 0 : next[i - 1]!;
      next[i] = Math.min(diagonal + (p[i] === ch ? 0 : 1), column[i]! + 1, above + 1);
      diagonal = column[i]!;
    }
    if (next[p.length - 1]! <= maxEdits) return true;
    column = next;
  }
  return false;
}
