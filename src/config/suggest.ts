/** Edit distance with adjacent transpositions (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= t.length; j++) row.push(i === 0 ? j : 0);
    rows.push(row);
  }
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.MAX_SAFE_INTEGER;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = d;
    }
  }
  return at(s.length, t.length);
}

/**
 * The candidate a misspelled word most likely meant, or undefined when none is close enough
 * (at most 1 edit for short words, 2 for words of 5+ characters, and fewer than half its length).
 */
export function suggestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.MAX_SAFE_INTEGER;
  const limit = Math.min(word.length >= 5 ? 2 : 1, Math.ceil(word.length / 2) - 1);
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  // "ignore-errors" for "ignore_errors", "Hosts" for "hosts": differences of separators or case only.
  const loose = (x: string) => x.toLowerCase().replace(/[-_ ]/g, '');
  if (bestDistance <= limit) return best;
  return candidates.find((c) => loose(c) === loose(word));
}

/** " (did you mean 'x'?)" or "" */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggestName(word, candidates);
  return s === undefined ? '' : ` (did you mean '${s}'?)`;
}
