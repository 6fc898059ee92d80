/**
 * Host ranges as in Ansible inventories: web[01:20] (zero padding kept), db-[a:f], x[1:10:2],
 * several per name (rack[1:2]-node[01:03]). Stricter than Ansible where Ansible silently
 * yields nothing or crashes: web[20:01], a zero step, [a:5] and unclosed brackets are errors.
 */

/** Letters in Ansible's order (Python's string.ascii_letters). */
const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** More names than this from one inventory entry is surely a typo. */
export const maxRangeHosts = 100_000;

export type RangeExpansion = { ok: true; names: string[] } | { ok: false; message: string };

export function hasRange(name: string): boolean {
  return name.includes('[');
}

/** Expands every [begin:end(:step)] in a host name, left to right; names without ranges stay as they are. */
export function expandHostRange(name: string): RangeExpansion {
  const names: string[] = [];
  const problem = expandInto(name, names);
  return problem === undefined ? { ok: true, names } : { ok: false, message: problem };
}

function expandInto(name: string, out: string[]): string | undefined {
  const open = name.indexOf('[');
  if (open < 0) {
    out.push(name);
    return undefined;
  }
  const close = name.indexOf(']', open);
  if (close < 0) return `unclosed '[' in host range '${name}'`;
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const seq = rangeSequence(name.slice(open + 1, close), name);
  if (typeof seq === 'string') return seq;
  for (const item of seq) {
    if (out.length >= maxRangeHosts) return `host range '${name}' gives more than ${maxRangeHosts} hosts`;
    const problem = expandInto(head + item + tail, out);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** The items one [..] stands for, or a message saying what is wrong with it. */
function rangeSequence(spec: string, name: string): string[] | string {
  const where = `in host range '${name}'`;
  // Ansible reads [fe80::1] as a range too, and refuses it; say what to write instead.
  if (name === `[${spec}]` && /^[0-9a-fA-F:.]+$/.test(spec) && (spec.includes('::') || spec.split(':').length > 3)) {
    return `'${name}' is read as a host range, as Ansible reads it; an IPv6 address goes in ansible_host, without brackets (ansible_host: ${spec})`;
  }
  const bounds = spec.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) return `expected [begin:end] or [begin:end:step] ${where}, got [${spec}]`;
  const begin = bounds[0] === '' ? '0' : (bounds[0] as string);
  const end = bounds[1] as string;
  if (end === '') return `missing end value ${where}`;
  let step = 1;
  if (bounds.length === 3) {
    if (!/^[0-9]+$/.test(bounds[2] as string) || Number(bounds[2]) < 1) return `step must be a whole number of at least 1 ${where}, got '${bounds[2]}'`;
    step = Number(bounds[2]);
  }
  const beginLetter = /^[a-zA-Z]$/.test(begin);
  const endLetter = /^[a-zA-Z]$/.test(end);
  if (beginLetter && endLetter) {
    const from = letters.indexOf(begin);
    const to = letters.indexOf(end);
    if (from > to) return `begin '${begin}' comes after end '${end}' ${where}`;
    const out: string[] = [];
    for (let i = from; i <= to; i += step) out.push(letters[i] as string);
    return out;
  }
  if (!/^[0-9]+$/.test(begin) || !/^[0-9]+$/.test(end)) {
    return `begin and end must be both numbers or both single letters ${where}, got [${spec}]`;
  }
  const padded = begin.length > 1 && begin.startsWith('0');
  if (padded && begin.length !== end.length) {
    return `zero-padded begin '${begin}' and end '${end}' must have the same length ${where}`;
  }
  const from = Number(begin);
  const to = Number(end);
  if (from > to) return `begin ${begin} is greater than end ${end} ${where}`;
  if ((to - from) / step >= maxRangeHosts) return `host range '${name}' gives more than ${maxRangeHosts} hosts`;
  const out: string[] = [];
  for (let i = from; i <= to; i += step) out.push(padded ? String(i).padStart(begin.length, '0') : String(i));
  return out;
}
