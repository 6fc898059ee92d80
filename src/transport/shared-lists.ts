/**
 * One frozen copy of each list of paths (identity files, known_hosts files) for every host whose
 * settings resolve to it: a fleet of 10,000 hosts shares a few lists instead of holding 10,000 of
 * each, and each path as one flat string rather than the chain of pieces that token expansion left.
 */
const lists = new Map<string, readonly string[]>();

/** A flat copy of a string that may be a chain of concatenations (V8 keeps `a + b` as a pair). */
function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

export function sharedList(list: readonly string[]): string[] {
  const key = list.join('\0');
  let hit = lists.get(key);
  if (hit === undefined) {
    hit = Object.freeze(list.map(flat));
    lists.set(key, hit);
  }
  return hit as string[];
}
