import { readFileSync } from 'node:fs';
import { quoted, UsageError } from '../model/errors.js';
import type { Host, Inventory } from '../model/inventory.js';
import { parseAddress } from './address.js';
import { applySubscript, matchPart, splitSubscript } from './pattern-match.js';

/**
 * Host patterns as Ansible's InventoryManager evaluates them: parts separated by ',' (or, when
 * there is no comma and the whole is not one host address, by ':' and spaces), each a name, a
 * glob, a ~regex, with an optional subscript and an optional & (intersection) or ! (exclusion).
 * Plain parts come first, then & parts, then ! parts ('all' first when there is no plain part).
 * The result is in the order the parts add hosts: `db:web` lists db's hosts first.
 *
 * Where Ansible warns ("Could not match supplied host pattern, ignoring"), remedy returns a
 * warning; a pattern none of whose parts matches anything is an error (Ansible skips such a
 * play), and so is a --limit that selects no host (as in Ansible).
 */

/** The hosts a pattern selects, and what the user should be told about it. */
export interface HostSelection {
  hosts: Host[];
  warnings: string[];
}

/** Splits a pattern into its parts, as Ansible's split_host_pattern. */
export function splitPattern(pattern: string): string[] {
  const parts = pattern.includes(',') ? pattern.split(',') : parseAddress(pattern.trim()) !== undefined ? [pattern] : (pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** A comma-separated part that ':' would split: Ansible matches it whole, against nothing. */
function checkPart(part: string, pattern: string): void {
  if (part.startsWith('~') || !part.includes(':') || parseAddress(part.replace(/^[&!]/, '')) !== undefined) return;
  if ((part.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []).length > 1) {
    throw new UsageError(`host pattern ${quoted(pattern)}: the part ${quoted(part)} mixes ':' and ',' separators; separate all parts with ',' (Ansible would match ${quoted(part)} as one name)`);
  }
}

/** Ansible's order_patterns: plain parts, then &parts, then !parts; 'all' when there is no plain part. */
export function orderPatterns(parts: string[]): string[] {
  const plain = parts.filter((p) => p[0] !== '&' && p[0] !== '!');
  const and = parts.filter((p) => p[0] === '&');
  const not = parts.filter((p) => p[0] === '!');
  return [...(plain.length ? plain : ['all']), ...and, ...not];
}

/** Ansible's _evaluate_patterns over already split parts; also which parts matched nothing. */
function evaluateParts(inv: Inventory, parts: string[], warnings: string[]): { hosts: Host[]; unmatched: string[] } {
  const byName = new Map(inv.hosts.map((h) => [h.name, h]));
  const cache = new Map<string, { hosts: Host[]; matched: boolean }>();
  const unmatched: string[] = [];
  let hosts: Host[] = [];
  for (const part of orderPatterns(parts)) {
    const exact = byName.get(part); // a plain part that is a host's name is that host
    if (exact) {
      hosts.push(exact);
      continue;
    }
    const bare = part.replace(/^[&!]/, '');
    let found = cache.get(bare);
    if (!found) {
      const { expr, subscript } = splitSubscript(bare);
      if (subscript?.dash) warnings.push(`host pattern ${quoted(bare)}: use [x:y] (inclusive) instead of the old [x-y]`);
      const m = matchPart(inv, expr, bare);
      found = { hosts: applySubscript(m.hosts, subscript, bare, inv.file), matched: m.matched };
      cache.set(bare, found);
      if (!m.matched) unmatched.push(expr);
    }
    const that = new Set(found.hosts);
    if (part[0] === '!') hosts = hosts.filter((h) => !that.has(h));
    else if (part[0] === '&') hosts = hosts.filter((h) => that.has(h));
    else {
      const existing = new Set(hosts.map((h) => h.name));
      hosts.push(...found.hosts.filter((h) => !existing.has(h.name)));
    }
  }
  return { hosts, unmatched };
}

function unmatchedMessage(part: string, where: string): string {
  const hint = part === 'localhost' ? " (remedy adds no implicit localhost: list it with 'ansible_connection: local')" : '';
  return `pattern ${quoted(part)} matches no host or group in ${where}${hint}`;
}

/** Evaluates parts; UsageError when none of them matches anything, a warning for each that does not. */
function evaluateReporting(inv: Inventory, parts: string[], pattern: string, warnings: string[]): Host[] {
  if (parts.length === 0) throw new UsageError(`empty host pattern ${quoted(pattern)}`);
  const { hosts, unmatched } = evaluateParts(inv, parts, warnings);
  const matchedAny = parts.some((p) => !unmatched.includes(splitSubscript(p.replace(/^[&!]/, '')).expr));
  if (!matchedAny) {
    if (parts.length === 1) throw new UsageError(unmatchedMessage(unmatched[0] ?? pattern, inv.file));
    throw new UsageError(`no part of the host pattern ${quoted(pattern)} matches a host or group in ${inv.file}`);
  }
  for (const u of new Set(unmatched)) warnings.push(`${unmatchedMessage(u, inv.file)}; ignored`);
  return [...new Set(hosts)];
}

/** Evaluates a whole pattern: the hosts in Ansible's order, without duplicates. */
export function evaluatePattern(inv: Inventory, pattern: string): Host[] {
  return selectHostsReporting(inv, pattern).hosts;
}

/** The parts of a --limit: "@file" parts read a file, one pattern a line (Ansible does not split lines). */
function limitParts(limit: string): string[] {
  return splitPattern(limit).flatMap((p) => {
    checkPart(p, limit);
    if (!p.startsWith('@')) return [p];
    let text: string;
    try {
      text = readFileSync(p.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read limit file '${p.slice(1)}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    for (const l of lines) if (l.includes(':') && !l.startsWith('~') && parseAddress(l.replace(/^[&!]/, '')) === undefined) {
      throw new UsageError(`limit file '${p.slice(1)}': '${l}' holds ':'; write one host or pattern a line`);
    }
    return lines;
  });
}

/**
 * The hosts a play's `hosts:` pattern selects, in Ansible's order, kept to those --limit selects
 * when given ("@file" reads patterns from a file), with Ansible's warnings. UsageError when no
 * part of a pattern matches anything, when a subscript is out of range, or when --limit selects
 * no host at all. An empty result otherwise (g1:&g2 with nothing in common, a --limit outside
 * the play) is not an error here: the caller decides (Ansible skips such a play).
 */
export function selectHostsReporting(inv: Inventory, pattern: string, limit?: string): HostSelection {
  const warnings: string[] = [];
  const parts = splitPattern(pattern);
  for (const p of parts) checkPart(p, pattern);
  let hosts = evaluateReporting(inv, parts, pattern, warnings);
  if (limit !== undefined) {
    const subset = limitParts(limit);
    if (subset.length === 0) throw new UsageError(`empty --limit ${quoted(limit)}`);
    const allowed = new Set(evaluateReporting(inv, subset, limit, warnings));
    if (allowed.size === 0) throw new UsageError(`--limit ${quoted(limit)} selects no host in ${inv.file}`);
    hosts = hosts.filter((h) => allowed.has(h));
  }
  return { hosts, warnings: [...new Set(warnings)] };
}

/** selectHostsReporting without the warnings (for callers that do not show them yet). */
export function selectHosts(inv: Inventory, pattern: string, limit?: string): Host[] {
  return selectHostsReporting(inv, pattern, limit).hosts;
}
