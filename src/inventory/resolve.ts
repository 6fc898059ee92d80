import type { YamlFile } from '../config/yaml-file.js';
import type { ConfigProblem } from '../model/errors.js';
import type { Group, Host, Inventory } from '../model/inventory.js';
import type { Vars } from '../model/playbook.js';
import { recordOrigins } from './origins.js';
import type { RawGroup, RawInventory } from './walk.js';

/** Group order for vars, as Ansible's sort_groups: by depth, then ansible_group_priority, then name. */
interface Ranked {
  group: RawGroup;
  depth: number;
  priority: number;
}

/** Python's string order (code points), which Ansible's name sort uses. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byRank(a: Ranked, b: Ranked): number {
  return a.depth - b.depth || a.priority - b.priority || compareNames(a.group.name, b.group.name);
}

/**
 * Turns the inventory as written into the model: every group not inside another goes under 'all',
 * hosts in no group but 'all' go to 'ungrouped', each host gets its groups (with their ancestors)
 * and its vars merged as Ansible does: all < parent groups < child groups (same depth: by
 * ansible_group_priority, then name) < host vars.
 */
export function resolveInventory(raw: RawInventory, yaml: YamlFile): { inventory: Inventory; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const all = raw.groups.get('all') as RawGroup;
  for (const g of raw.groups.values()) {
    if (g.name !== 'all' && g.parents.length === 0) {
      g.parents.push('all');
      all.children.push(g.name);
    }
  }
  const ranks = rankGroups(raw, yaml, problems);

  const ungrouped = raw.groups.get('ungrouped') as RawGroup;
  const ungroupedHosts: string[] = []; // as Ansible: the hosts in no group but all (and ungrouped)
  const hosts: Host[] = [];
  for (const rh of raw.hosts.values()) {
    const named = rh.groups.filter((g) => g !== 'all' && g !== 'ungrouped');
    if (named.length === 0) ungroupedHosts.push(rh.name);
    const direct = named.length === 0 ? ['ungrouped'] : named;
    const member = [...ancestorsOf(raw, direct)].map((n) => ranks.get(n) as Ranked).sort(byRank);
    const vars: Vars = {};
    for (const r of member) Object.assign(vars, r.group.vars);
    Object.assign(vars, rh.vars);
    const host: Host = { name: rh.name, vars, groups: member.map((r) => r.group.name) };
    // Where a var was set, looked up only when a problem needs it: the host, then its groups, last wins.
    const sources = [rh, ...member.map((r) => r.group).reverse()];
    recordOrigins(host, yaml, (name) => sources.find((s) => s.varPointers.has(name))?.varPointers.get(name));
    hosts.push(host);
  }

  ungrouped.hosts = ungroupedHosts;
  ungrouped.hostSet = new Set(ungroupedHosts);
  const groups = new Map<string, Group>();
  for (const g of raw.groups.values()) {
    groups.set(g.name, { name: g.name, hosts: [...g.hosts], children: [...g.children], vars: { ...g.vars } });
  }
  return { inventory: { file: yaml.file, hosts, groups }, problems };
}

/** Depth (longest path from 'all') and priority of every group; ansible_group_priority leaves the vars. */
function rankGroups(raw: RawInventory, yaml: YamlFile, problems: ConfigProblem[]): Map<string, Ranked> {
  const depths = new Map<string, number>();
  const depthOf = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    depths.set(name, 0); // cycles were refused while walking; this only guards recursion
    const parents = raw.groups.get(name)?.parents ?? [];
    const d = name === 'all' ? 0 : Math.max(0, ...parents.map(depthOf)) + 1;
    depths.set(name, d);
    return d;
  };
  const ranks = new Map<string, Ranked>();
  for (const g of raw.groups.values()) {
    let priority = 1;
    if ('ansible_group_priority' in g.vars) {
      const v = g.vars['ansible_group_priority'];
      const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
      if (typeof n === 'number' && Number.isInteger(n)) priority = n;
      else problems.push(yaml.problemAt(g.varPointers.get('ansible_group_priority') ?? '', `ansible_group_priority must be a whole number, got ${JSON.stringify(v)}`));
      delete g.vars['ansible_group_priority'];
      g.varPointers.delete('ansible_group_priority');
    }
    ranks.set(g.name, { group: g, depth: depthOf(g.name), priority });
  }
  return ranks;
}

/** The given groups, every group above them, and 'all'. */
function ancestorsOf(raw: RawInventory, names: string[]): Set<string> {
  const out = new Set<string>(['all']);
  const visit = (n: string) => {
    if (out.has(n) && n !== 'all') return;
    out.add(n);
    for (const p of raw.groups.get(n)?.parents ?? []) visit(p);
  };
  for (const n of names) visit(n);
  return out;
}
