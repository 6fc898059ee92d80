import { quoted, UsageError } from '../model/errors.js';
import { compileSafeRegex, globToRe2, type SafeRegex } from '../model/safe-match.js';
import type { Host, Inventory } from '../model/inventory.js';

/**
 * One part of a host pattern as Ansible's InventoryManager matches it (_match_one_pattern):
 * the groups whose names match (a glob, or a ~regex matched from the start of the name), each
 * with its hosts in Ansible's order, then, when no group matched or the part is a glob or
 * regex, the hosts whose names match, in the order they were added; duplicates are kept until
 * a subscript (g[0], g[-1], g[1:], g[0:2] inclusive) has picked from the list.
 */

/** Python's fnmatch.translate: * ? [seq] [!seq], anchored at both ends, case-sensitive; matched by RE2. */
export function globToRegExp(glob: string): SafeRegex {
  return compileSafeRegex(globToRe2(glob, 'fnmatch'), { dotAll: true });
}

/** A Python regular expression (re.match: anchored at the start only), matched by RE2 in linear time. */
export function pythonRegExp(source: string, whole: string): SafeRegex {
  let body = source;
  const flags = { ignoreCase: false, multiline: false, dotAll: false };
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline) {
    for (const f of inline[1] as string) {
      if (f === 'i') flags.ignoreCase = true;
      else if (f === 'm') flags.multiline = true;
      else if (f === 's') flags.dotAll = true;
      else if (f !== 'u') throw new UsageError(`host pattern ${quoted(whole)}: the regular expression flag (?${f}) is not supported`);
    }
    body = body.slice(inline[0].length);
  }
  body = body.replace(/\\Z/g, '\\z');
  try {
    return compileSafeRegex(`^(?:${body})`, flags);
  } catch (err) {
    throw new UsageError(`invalid regular expression in host pattern ${quoted(whole)}: ${(err as Error).message}`);
  }
}

/**
 * Each group's hosts in Ansible's order (Group.get_hosts): the group's own hosts, then those of
 * its children, then of their children, level by level. Ansible walks each level as a Python set
 * of groups, so hosts two or more levels down come in an order that can change from run to run;
 * remedy takes the groups of each level in the order they were listed.
 */
const groupHostsCache = new WeakMap<Inventory, { byName: Map<string, Host>; groups: Map<string, Host[]> }>();

export function hostsOfGroup(inv: Inventory, name: string): Host[] {
  let cache = groupHostsCache.get(inv);
  if (!cache) groupHostsCache.set(inv, (cache = { byName: new Map(inv.hosts.map((h) => [h.name, h])), groups: new Map() }));
  const known = cache.groups.get(name);
  if (known) return known;
  const byName = cache.byName;
  const children = (g: string) => inv.groups.get(g)?.children ?? [];
  const ordered = [name, ...children(name)];
  const seen = new Set<string>();
  let level = new Set(children(name));
  while (level.size > 0) {
    for (const g of level) seen.add(g);
    const next = new Set<string>();
    for (const g of level) {
      for (const c of children(g)) {
        next.add(c);
        if (!seen.has(c)) ordered.push(c);
      }
    }
    for (const g of seen) next.delete(g);
    level = next;
  }
  const hosts: Host[] = [];
  const added = new Set<string>();
  for (const g of ordered) {
    for (const h of inv.groups.get(g)?.hosts ?? []) {
      const host = byName.get(h);
      if (host && !added.has(h)) {
        added.add(h);
        hosts.push(host);
      }
    }
  }
  cache.groups.set(name, hosts);
  return hosts;
}

/** Ansible's PATTERN_WITH_SUBSCRIPT: name[i], name[a:b], name[a:], and the old name[a-b]. */
const subscriptRe = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;

export interface Subscript {
  start: number;
  /** undefined: one host; -1: to the end; 0 also means one host, as in Ansible. */
  end?: number;
  dash: boolean;
}

export function splitSubscript(part: string): { expr: string; subscript?: Subscript } {
  if (part.startsWith('~')) return { expr: part };
  const m = subscriptRe.exec(part);
  if (!m) return { expr: part };
  const expr = m[1] as string;
  if (m[2] !== undefined) return { expr, subscript: { start: Number(m[2]), dash: false } };
  return { expr, subscript: { start: Number(m[3]), end: m[5] ? Number(m[5]) : -1, dash: m[4] === '-' } };
}

/** Ansible's _apply_subscript; UsageError where Ansible raises "No hosts matched the subscripted pattern". */
export function applySubscript(hosts: Host[], s: Subscript | undefined, part: string, where: string): Host[] {
  if (!s || hosts.length === 0) return hosts;
  if (s.end) {
    const end = s.end === -1 ? hosts.length - 1 : s.end;
    return hosts.slice(s.start, end + 1);
  }
  const host = hosts.at(s.start);
  if (host === undefined) throw new UsageError(`pattern ${quoted(part)} selects no host: it has ${hosts.length} host${hosts.length === 1 ? '' : 's'} in ${where}, counted from 0`);
  return [host];
}

/** What one part (without & or !) matches: the hosts, and whether any group or host matched at all. */
export function matchPart(inv: Inventory, expr: string, whole: string): { hosts: Host[]; matched: boolean } {
  let re: SafeRegex;
  try {
    re = expr.startsWith('~') ? pythonRegExp(expr.slice(1), whole) : globToRegExp(expr);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`host pattern ${quoted(whole)}: cannot read ${quoted(expr)} as a glob: ${(err as Error).message}`);
  }
  const groups = [...inv.groups.keys()].filter((g) => re.test(g));
  const hosts = groups.flatMap((g) => hostsOfGroup(inv, g));
  if (groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) {
    for (const h of inv.hosts) if (re.test(h.name)) hosts.push(h);
  }
  return { hosts, matched: hosts.length > 0 || groups.length > 0 || expr === 'all' };
}
