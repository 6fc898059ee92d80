/** Debian policy version ordering (dpkg's verrevcmp): epoch, upstream version, revision; ~ sorts first. */

export interface DpkgVersion { epoch: number; upstream: string; revision: string }

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Splits "[epoch:]upstream[-revision]"; returns undefined for what dpkg refuses to parse. */
export function parseDpkgVersion(text: string): DpkgVersion | undefined {
  const s = text.trim();
  if (s === '' || /\s/.test(s)) return undefined;
  let rest = s;
  let epoch = 0;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    const e = s.slice(0, colon);
    if (!/^\d+$/.test(e) || e.length > 9) return undefined;
    epoch = Number(e);
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '') return undefined;
  return { epoch, upstream, revision };
}

function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp on one part (upstream or revision): negative, zero or positive. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++; j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++; j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

/** Compares two Debian versions: -1, 0 or 1. Unparsable versions sort as plain strings. */
export function compareDpkgVersions(a: string, b: string): -1 | 0 | 1 {
  const x = parseDpkgVersion(a);
  const y = parseDpkgVersion(b);
  if (!x || !y) return a === b ? 0 : a < b ? -1 : 1;
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  const r = verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision);
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}
