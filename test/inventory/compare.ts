import { hostsOfGroup, selectHostsReporting, splitPattern } from '../../src/inventory/index.js';
import { splitSubscript } from '../../src/inventory/pattern-match.js';
import type { Inventory } from '../../src/model/inventory.js';
import { UsageError } from '../../src/model/errors.js';
import { type ListedHosts, readListHosts, type Printed } from './reference.js';

/** The Ansible pattern forms, made from an inventory's own groups and hosts, plus extra ones. */
export function patternsFor(inv: Inventory, extra: string[]): string[] {
  const groups = [...inv.groups.keys()].filter((g) => g !== 'all' && g !== 'ungrouped' && hostsOfGroup(inv, g).length > 0);
  const [g1 = 'all', g2 = g1, g3 = g2] = groups;
  const [h1 = 'nohost', h2 = h1] = inv.hosts.map((h) => h.name);
  const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...new Set([
    'all', '*', 'ungrouped', 'a*', g1, g2, g3, `${g1},${g2}`, `${g1}:${g2}`, `${g2}:${g1}`, `${g1}:&${g2}`, `${g1}:!${g2}`,
    `!${g1}`, `&${g2}`, `${g1}:${g2}:&${g3}:!${h1}`, `${g1.slice(0, 2)}*`, `*${g2.slice(-2)}`, `~^${re(g1.slice(0, 2))}`, `~${re(h1)}`,
    `${g1}[0]`, `${g1}[-1]`, `${g1}[1:]`, `${g1}[0:2]`, `${g2}[1-2]`, 'all[0:2]', 'all[-1]', '*[1]',
    'nothing', `${g1}:&nothing`, `${g1}:nothing`, `${g1}[99]`, `${g1}[5:7]`, '!nothing', `${g1},${g2}:&${g3}`,
    h1, `${h1}:${h2}`, `${h2},${g2}`, `${h1.slice(0, 3)}*`, `!${h1}`, `${g1}:!${h1}`, 'localhost',
    ...extra,
  ])];
}

export type Outcome = { hosts: string[]; unmatched: string[] } | { error: string };

/** remedy on a pattern (mode 'pattern': `ansible P`, mode 'limit': `ansible all -l P`). */
export function remedyOutcome(inv: Inventory, pattern: string, mode: 'pattern' | 'limit'): Outcome {
  try {
    const r = mode === 'pattern' ? selectHostsReporting(inv, pattern) : selectHostsReporting(inv, 'all', pattern);
    const unmatched = r.warnings.flatMap((w) => /^pattern '(.*)' matches no host or group/.exec(w)?.[1] ?? []);
    return { hosts: r.hosts.map((h) => h.name), unmatched };
  } catch (err) {
    if (err instanceof UsageError) return { error: err.message };
    throw err;
  }
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: string[], b: string[]) => sameList([...new Set(a)].sort(), [...new Set(b)].sort());

/**
 * Why remedy and Ansible disagree on one pattern: undefined when they agree, the id of a known
 * difference, or 'unexplained: …'.
 */
export function explainPattern(pattern: string, mode: 'pattern' | 'limit', mine: Outcome, ansible: ListedHosts): string | undefined {
  const adhocEmpty = ansible.hosts.length === 0 && ansible.warnings.includes('No hosts matched, nothing to do');
  if (!('error' in mine)) {
    if (ansible.error !== undefined) return `unexplained: Ansible failed (${ansible.error}), remedy selected ${mine.hosts.join(' ') || 'nothing'}`;
    if (sameList(mine.hosts, ansible.hosts) && sameSet(mine.unmatched, ansible.unmatched)) return undefined;
    if (ansible.hosts.includes('localhost') && /(^|[,:&!])localhost($|[,:])/.test(pattern)) return 'implicit-localhost';
    return `unexplained: remedy ${mine.hosts.join(' ') || '(none)'} [unmatched ${mine.unmatched.join(' ')}], Ansible ${ansible.hosts.join(' ') || '(none)'} [unmatched ${ansible.unmatched.join(' ')}]`;
  }
  const e = mine.error;
  if (/mixes ':' and ',' separators/.test(e)) return 'mixed-separators';
  if (/selects no host: it has/.test(e)) {
    if (/No hosts matched the subscripted pattern/.test(ansible.error ?? '')) return undefined;
    if (mode === 'pattern' && adhocEmpty) return 'subscript-out-of-range-adhoc';
  }
  if (/matches no host or group|no part of the host pattern/.test(e)) {
    if (/^localhost$/.test(pattern) && ansible.hosts.includes('localhost')) return 'implicit-localhost';
    if (mode === 'limit' && /leaves us with no hosts to target/.test(ansible.error ?? '')) return undefined;
    const exprs = splitPattern(pattern).map((p) => splitSubscript(p.replace(/^[&!]/, '')).expr);
    if (ansible.error === undefined && exprs.every((x) => ansible.unmatched.includes(x))) return 'no-part-matches';
  }
  if (/--limit '.*' selects no host/.test(e) && /leaves us with no hosts to target/.test(ansible.error ?? '')) return undefined;
  return `unexplained: remedy failed (${e}); Ansible: ${ansible.error ?? (ansible.hosts.join(' ') || '(none)')} [${ansible.warnings.join('; ')}]`;
}

/**
 * Why remedy's JSON differs from ansible-inventory's: undefined when the same text,
 * 'integral-float' when they differ only by Python's ".0" on integral floats.
 */
export function explainJson(mine: string, ansible: string): string | undefined {
  const theirs = ansible.replace(/\n$/, '');
  if (mine === theirs) return undefined;
  const relaxed = theirs.replace(/^(\s*(?:"(?:[^"\\]|\\.)*": )?-?\d+)\.0(,?)$/gm, '$1$2');
  if (mine === relaxed) return 'integral-float';
  const a = mine.split('\n');
  const b = relaxed.split('\n');
  const i = a.findIndex((l, n) => l !== b[n]);
  return `unexplained: first difference at line ${i + 1}: remedy ${JSON.stringify(a[i])}, Ansible ${JSON.stringify(b[i])}`;
}

/** Why ansible-inventory warned while reading: a warning remedy gives too (undefined), a known difference, or unexplained. */
export function explainLoadWarning(theirs: string, mine: string[]): string | undefined {
  const same = /^Found both group and host with same name: (.*)$/.exec(theirs);
  if (same && mine.includes(`found both a group and a host named '${same[1]}'`)) return undefined;
  if (/^Invalid characters were found in group names but not replaced/.test(theirs) && mine.some((w) => w.startsWith('group names that are not valid variable names'))) return undefined;
  if (/found a duplicate dict key \(.*\)\. Using last defined value only\.$/.test(theirs)) return 'merge-key-override-warning';
  return `unexplained: Ansible warned '${theirs}'; remedy: ${mine.join('; ') || 'nothing'}`;
}

export function listed(p: Printed): ListedHosts {
  return readListHosts(p);
}
