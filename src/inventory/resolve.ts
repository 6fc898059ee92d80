import type { SourceRef } from '../model/errors.js';
import type { Group, Host, Inventory } from '../model/inventory.js';
import type { Vars } from '../model/playbook.js';
import type { DataGroup, InventoryData, Where } from './data.js';
import { recordOrigins } from './origins.js';
import type { VarsDir } from './vars-files.js';

/** Python's string order (code points), which Ansible's name sort uses. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Ranked {
  group: DataGroup;
  depth: number;
}

/** Ansible's sort_groups: by depth (longest path from 'all'), then ansible_group_priority, then name. */
function byRank(a: Ranked, b: Ranked): number {
  return a.depth - b.depth || a.group.priority - b.group.priority || compareNames(a.group.name, b.group.name);
}

function rankGroups(data: InventoryData): Map<string, Ranked> {
  const depths = new Map<string, number>();
  const depthOf = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    depths.set(name, 0); // loops were refused while reading; this only guards the recursion
    const parents = data.groups.get(name)?.parents ?? [];
    const d = name === 'all' ? 0 : Math.max(0, ...parents.map(depthOf)) + 1;
    depths.set(name, d);
    return d;
  };
  const ranks = new Map<string, Ranked>();
  for (const g of data.groups.values()) ranks.set(g.name, { group: g, depth: depthOf(g.name) });
  return ranks;
}

/** The given groups, every group above them, and 'all'. */
function ancestorsOf(data: InventoryData, names: string[]): Set<string> {
  const out = new Set<string>(['all']);
  const visit = (n: string) => {
    if (out.has(n) && n !== 'all') return;
    out.add(n);
    for (const p of data.groups.get(n)?.parents ?? []) visit(p);
  };
  for (const n of names) visit(n);
  return out;
}

/** group_vars/ and host_vars/ beside the inventory and beside the playbook. */
export interface AdjacentVars {
  inventory?: VarsDir;
  playbook?: VarsDir;
}

type Layer = { vars: Vars; varWhere: Map<string, Where> };

/**
 * The model, with each host's vars merged in Ansible's precedence (VariableManager.get_vars with
 * the default VARIABLE_PRECEDENCE), weakest first: the 'all' group's inventory vars; the host's
 * other groups' inventory vars (sort_groups order); group_vars/all beside the inventory, then
 * beside the playbook; group_vars/<group> beside the inventory, then beside the playbook (each in
 * sort_groups order); the host's inventory vars; host_vars/<host> beside the inventory, then
 * beside the playbook. A later layer replaces a var of an earlier one whole (no dict merging).
 */
export function resolveInventory(data: InventoryData, file: string, adjacent: AdjacentVars = {}): Inventory {
  const ranks = rankGroups(data);
  const dirs = [adjacent.inventory, adjacent.playbook].filter((d): d is VarsDir => d !== undefined);
  const all = data.groups.get('all') as DataGroup;
  const hosts: Host[] = [];
  for (const dh of data.hosts.values()) {
    const member = [...ancestorsOf(data, dh.groups)].map((n) => ranks.get(n) as Ranked).sort(byRank);
    const others = member.filter((r) => r.group.name !== 'all').map((r) => r.group);
    const layers: Layer[] = [
      all,
      ...others,
      ...dirs.map((d) => d.groupVars('all')),
      ...dirs.flatMap((d) => others.map((g) => d.groupVars(g.name))),
      dh,
      ...dirs.map((d) => d.hostVars(dh.name)),
    ];
    const vars: Vars = {};
    for (const layer of layers) Object.assign(vars, layer.vars);
    const host: Host = { name: dh.name, vars, groups: member.map((r) => r.group.name) };
    // Only layers that set something: a host keeps no empty ones alive (10,000 hosts: ~9 each).
    const setting = layers.filter((l) => l.varWhere.size > 0);
    recordOrigins(host, file, (name): SourceRef | undefined => {
      for (let i = setting.length - 1; i >= 0; i--) {
        const where = setting[i]?.varWhere.get(name);
        if (where) return where();
      }
      return undefined;
    });
    hosts.push(host);
  }
  const groups = new Map<string, Group>();
  for (const g of data.groups.values()) {
    groups.set(g.name, { name: g.name, hosts: [...g.hosts], children: [...g.children], vars: { ...g.vars } });
  }
  return { file, hosts, groups };
}
