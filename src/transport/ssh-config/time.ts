/** OpenSSH's readings of times and integers in ssh_config (misc.c convtime, strtonum). */

const INT_MAX = 2 ** 31 - 1;

/** convtime: `90`, `1h30m`, `2d`… in seconds; -1 when invalid. */
export function convtime(s: string): number {
  if (s === '') return -1;
  let total = 0;
  let rest = s;
  while (rest !== '') {
    const m = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)(.?)/.exec(rest);
    if (!m) return -1;
    const secs = Number(m[2]) * (m[1] === '-' ? -1 : 1);
    if (secs < 0 || secs > INT_MAX) return -1;
    const unit = { '': 1, s: 1, S: 1, m: 60, M: 60, h: 3600, H: 3600, d: 86400, D: 86400, w: 604800, W: 604800 }[m[3] as string];
    if (unit === undefined) return -1;
    if (secs > Math.floor(INT_MAX / unit)) return -1;
    total += secs * unit;
    if (total > INT_MAX) return -1;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** strtonum(s, 0, INT_MAX): the number, or OpenSSH's reason it is not one. */
export function parseInteger(s: string | undefined): number | string {
  if (s === undefined || s === '') return 'missing';
  const m = /^[\t\n\v\f\r ]*([+-]?[0-9]+)$/.exec(s);
  if (!m) return 'invalid';
  const n = Number(m[1]);
  if (n < 0) return 'too small';
  if (n > INT_MAX) return 'too large';
  return n;
}
