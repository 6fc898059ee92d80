import { readFileSync } from 'node:fs';
import { UsageError } from '../model/errors.js';
import type { Host, Inventory } from '../model/inventory.js';
import { parseAddress } from './address.js';

/**
 * Host patterns as Ansible reads them: parts separated by ',' (or ':' when the whole pattern is not
 * one host address), each a name, a glob (web*, db?.example.com), a ~regex, with an optional
 * subscript (g[0], g[-1], g[0:2] inclusive, g[1:]) and an optional & (intersection) or ! (exclusion).
 * Unions are applied first, then intersections, then exclusions; only ! and & parts means all first.
 */

/** Splits a pattern into its parts, as Ansible's split_host_pattern. */
export function splitPattern(pattern: string): string[] {
  // Ansible splits on ':' only without commas; remedy also splits a comma part (not a ~regex) that
  // holds ':' (Ansible would match such a part against nothing), so "a:&b,c" works as it reads.
  const parts = pattern.includes(',')
    ? pattern.split(',').flatMap((p) => (p.trim().startsWith('~') ? [p] : splitOnColons(p.trim())))
    : splitOnColons(pattern.trim());
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function splitOnColons(part: string): string[] {
  if (!part.includes(':') || parseAddress(part) !== undefined) return [part];
  return part.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
}

/** Ansible's order_patterns: plain parts, then &parts, then !parts; 'all' when there is no plain part. */
export function orderPatterns(parts: string[]): string[] {
  const plain = parts.filter((p) => p[0] !== '&' && p[0] !== '!');
  const and = parts.filter((p) => p[0] === '&');
  const not = parts.filter((p) => p[0] === '!');
  return [...(plain.length ? plain : ['all']), ...and, ...not];
}

/** Python's fnmatch.translate: * ? [seq] [!seq], anchored at both ends, case-sensitive. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) re += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        else if (body.startsWith('^') || body.startsWith('[')) body = '\\' + body;
        re += `[${body}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}

/** Ansible's PATTERN_WITH_SUBSCRIPT, plus [:b] (start 0), which Ansible's docs show but its code lacks. */
const subscriptRe = /^(.+)\[(?:(-?[0-9]+)|([0-9]*)([:-])([0-9]*))\]$/;

type Subscript = { index: number } | { start: number; end: number };

function splitSubscript(part: string): { expr: string; subscript?: Subscript } {
  if (part.startsWith('~')) return { expr: part };
  const m = subscriptRe.exec(part);
  if (!m) return { expr: part };
  const expr = m[1] as string;
  if (m[2] !== undefined) return { expr, subscript: { index: Number(m[2]) } };
  if (m[3] === '' && m[5] === '') return { expr: part }; // "[:]" is a glob character class
  return { expr, subscript: { start: Number(m[3] || 0), end: m[5] ? Number(m[5]) : -1 } };
}

/** Each group's hosts (its own and its children's) in inventory order, computed once per inventory. */
const groupHostsCache = new WeakMap<Inventory, Map<string, Host[]>>();

function groupHosts(inv: Inventory): Map<string, Host[]> {
  let map = groupHostsCache.get(inv);
  if (!map) {
    map = new Map([...inv.groups.keys()].map((g) => [g, [] as Host[]]));
    for (const h of inv.hosts) for (const g of h.groups) map.get(g)?.push(h);
    map.set('all', [...inv.hosts]);
    groupHostsCache.set(inv, map);
  }
  return map;
}

function matcher(expr: string, whole: string): (name: string) => boolean {
  if (!expr.startsWith('~')) {
    const re = globToRegExp(expr);
    return (name) => re.test(name);
  }
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${expr.slice(1).replace(/\(\?P</g, '(?<')})`, 'u');
  } catch (err) {
    throw new UsageError(`invalid regular expression in host pattern '${whole}': ${(err as Error).message}`);
  }
  return (name) => re.test(name);
}

/** The hosts one part names (without its & or !), in inventory order; UsageError when none. */
function matchPart(inv: Inventory, part: string, where: string): Host[] {
  const bare = part.replace(/^[&!]/, '');
  const { expr, subscript } = splitSubscript(bare);
  const test = matcher(expr, bare);
  const byGroup = groupHosts(inv);
  const found = new Set<Host>();
  const groups = [...inv.groups.keys()].filter(test);
  for (const g of groups) for (const h of byGroup.get(g) ?? []) found.add(h);
  // As Ansible: host names are tried when no group matched, or for a regex or glob.
  if (groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) {
    for (const h of inv.hosts) if (test(h.name)) found.add(h);
  }
  if (found.size === 0 && groups.length === 0) {
    const hint = expr === 'localhost' ? " (remedy adds no implicit localhost: list it with 'ansible_connection: local')" : '';
    throw new UsageError(`pattern '${bare}' matches no host or group in ${where}${hint}`);
  }
  const hosts = inv.hosts.filter((h) => found.has(h));
  if (!subscript || hosts.length === 0) return hosts;
  return applySubscript(hosts, subscript, bare, where);
}

/** Ansible's _apply_subscript: [i] one host (negative from the end), [a:b] inclusive, [a:] to the end. */
function applySubscript(hosts: Host[], s: Subscript, part: string, where: string): Host[] {
  const fail = () => new UsageError(`pattern '${part}' selects no host: its hosts number ${hosts.length} in ${where}`);
  if ('index' in s || s.end === 0) {
    const i = 'index' in s ? s.index : s.start;
    const host = hosts.at(i);
    if (host === undefined || i >= hosts.length || i < -hosts.length) throw fail();
    return [host];
  }
  const end = s.end === -1 ? hosts.length - 1 : s.end;
  const out = hosts.slice(s.start, end + 1);
  if (out.length === 0) throw fail();
  return out;
}

/** Evaluates a whole pattern: hosts in inventory order, without duplicates. */
export function evaluatePattern(inv: Inventory, pattern: string): Host[] {
  const parts = splitPattern(pattern);
  if (parts.length === 0) throw new UsageError(`empty host pattern '${pattern}'`);
  let selected = new Set<Host>();
  const byName = new Map(inv.hosts.map((h) => [h.name, h]));
  for (const part of orderPatterns(parts)) {
    // As Ansible: a plain part that is a host's name is that host, even if a group has the name too.
    const exact = byName.get(part);
    const hosts = exact ? [exact] : matchPart(inv, part, inv.file);
    if (part[0] === '!') for (const h of hosts) selected.delete(h);
    else if (part[0] === '&') {
      const keep = new Set(hosts);
      selected = new Set([...selected].filter((h) => keep.has(h)));
    } else for (const h of hosts) selected.add(h);
  }
  return inv.hosts.filter((h) => selected.has(h));
}

/** Reads "@file" parts of a --limit (one pattern a line), as Ansible does. */
function expandLimitFiles(limit: string): string {
  return splitPattern(limit)
    .flatMap((p) => {
      if (!p.startsWith('@')) return [p];
      let text: string;
      try {
        text = readFileSync(p.slice(1), 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read limit file '${p.slice(1)}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    })
    .join(',');
}

/**
 * The hosts a play's `hosts:` pattern selects, intersected with --limit when given (Ansible's
 * subset; "@file" reads names from a file). In inventory order; UsageError when a part of either
 * pattern matches no host or group. An empty result (g1:&g2 with nothing in common, a --limit
 * outside the play) is not an error here: the caller decides (Ansible skips such a play).
 */
export function selectHosts(inv: Inventory, pattern: string, limit?: string): Host[] {
  const hosts = evaluatePattern(inv, pattern);
  if (limit === undefined) return hosts;
  const expanded = expandLimitFiles(limit);
  if (expanded === '') throw new UsageError(`empty --limit '${limit}'`);
  const allowed = new Set(evaluatePattern(inv, expanded));
  return hosts.filter((h) => allowed.has(h));
}
