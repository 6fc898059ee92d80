/**
 * OpenSSH's pattern matching (match.c): `*` any run of characters, `?` exactly one character,
 * comma-separated lists where a matching `!pattern` rejects, case-sensitive unless lowered.
 */

/** match_pattern: the whole string against one pattern. */
export function matchPattern(s: string, pattern: string): boolean {
  let si = 0;
  let pi = 0;
  // the position to retry from after the last `*`, as in a backtracking glob
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const p = pattern[pi];
    if (p === '*') {
      starP = ++pi;
      starS = si;
    } else if (p !== undefined && (p === '?' || p === s[si])) {
      pi++;
      si++;
    } else if (starP >= 0) {
      pi = starP;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

/**
 * match_pattern_list: 1 when a positive sub-pattern matches, -1 when a negated one does (it wins),
 * 0 otherwise. With `lower`, the patterns are lowercased first (the string is taken as is).
 */
export function matchPatternList(s: string, list: string, lower: boolean): -1 | 0 | 1 {
  let positive = false;
  for (const raw of splitList(list)) {
    const negated = raw.startsWith('!');
    let sub = negated ? raw.slice(1) : raw;
    // OpenSSH gives up on sub-patterns of 1023 bytes or more
    if (sub.length >= 1023) return 0;
    if (lower) sub = sub.replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (matchPattern(s, sub)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** match_hostname: the host lowercased against a pattern list lowercased. */
export function matchHostname(host: string, list: string): -1 | 0 | 1 {
  return matchPatternList(host.replace(/[A-Z]/g, (c) => c.toLowerCase()), list, true);
}

/** Sub-patterns of a comma list as OpenSSH walks them (a trailing comma adds nothing). */
function splitList(list: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < list.length) {
    let j = list.indexOf(',', i + (list[i] === '!' ? 1 : 0));
    if (j < 0) j = list.length;
    out.push(list.slice(i, j));
    i = j + 1;
  }
  return out;
}
