import type { ConfigProblem, SourceRef } from '../model/errors.js';
import type { Vars } from '../model/playbook.js';

/**
 * The inventory while its sources are read, with the rules of Ansible's InventoryData: groups
 * and hosts kept in the order they are first added (which patterns and --list follow), 'all'
 * and 'ungrouped' from the start, a host's port set only when the host is new, and after every
 * source is read, reconcile: groups inside no other go under 'all', hosts in no group but 'all'
 * go to 'ungrouped' (and leave it when they are in another group).
 */

/** Where something was written, resolved to file:line:column only when a problem needs it. */
export type Where = () => SourceRef;

export interface DataGroup {
  name: string;
  /** Hosts listed directly under the group, in the order they were added. */
  hosts: string[];
  hostSet: Set<string>;
  children: string[];
  parents: string[];
  vars: Vars;
  varWhere: Map<string, Where>;
  /** ansible_group_priority from the inventory (default 1); not a var. */
  priority: number;
}

export interface DataHost {
  name: string;
  vars: Vars;
  varWhere: Map<string, Where>;
  /** Groups the host is listed under directly, in order. */
  groups: string[];
}

export interface InventoryData {
  groups: Map<string, DataGroup>;
  hosts: Map<string, DataHost>;
  problems: ConfigProblem[];
  warnings: string[];
}

export function createInventoryData(): InventoryData {
  const data: InventoryData = { groups: new Map(), hosts: new Map(), problems: [], warnings: [] };
  addGroup(data, 'all');
  addGroup(data, 'ungrouped');
  addChild(data, 'all', 'ungrouped');
  return data;
}

export function addGroup(data: InventoryData, name: string): DataGroup {
  let g = data.groups.get(name);
  if (!g) {
    g = { name, hosts: [], hostSet: new Set(), children: [], parents: [], vars: {}, varWhere: new Map(), priority: 1 };
    data.groups.set(name, g);
  }
  return g;
}

/** Adds the host if new (with ansible_port from "name:port" only then, as Ansible) and puts it in `group`. */
export function addHost(data: InventoryData, name: string, group: string | undefined, port: number | undefined, where: Where): DataHost {
  let host = data.hosts.get(name);
  if (!host) {
    host = { name, vars: {}, varWhere: new Map(), groups: [] };
    data.hosts.set(name, host);
    if (port !== undefined) setVar(host, 'ansible_port', port, where);
  }
  if (group !== undefined) {
    const g = addGroup(data, group);
    if (!g.hostSet.has(name)) {
      g.hostSet.add(name);
      g.hosts.push(name);
      host.groups.push(group);
    }
  }
  return host;
}

/** The chain of groups from `from` down to `to` through children, if `to` is inside `from`. */
function descentPath(data: InventoryData, from: string, to: string, seen = new Set<string>()): string[] | undefined {
  if (from === to) return [to];
  if (seen.has(from)) return undefined;
  seen.add(from);
  for (const c of data.groups.get(from)?.children ?? []) {
    const rest = descentPath(data, c, to, seen);
    if (rest) return [from, ...rest];
  }
  return undefined;
}

/** Puts group `child` under `parent`; a message saying why not when that would make a loop. */
export function addChild(data: InventoryData, parent: string, child: string): string | undefined {
  if (child === 'all' && parent !== 'all') return `'all' holds every group and cannot be a child of '${parent}'`;
  if (child === parent) return `group '${child}' cannot be a child of itself`;
  const up = descentPath(data, child, parent);
  if (up) return `group '${child}' cannot be a child of '${parent}': '${parent}' is already inside '${child}' (cycle: ${[...up, child].join(' > ')})`;
  const p = addGroup(data, parent);
  const c = addGroup(data, child);
  if (!p.children.includes(child)) p.children.push(child);
  if (!c.parents.includes(parent)) c.parents.push(parent);
  return undefined;
}

export function setVar(target: { vars: Vars; varWhere: Map<string, Where> }, key: string, value: unknown, where: Where): void {
  target.vars[key] = value;
  target.varWhere.set(key, where);
}

/** A group var from an inventory source; ansible_group_priority sets the priority instead, as in Ansible. */
export function setGroupVar(data: InventoryData, group: DataGroup, key: string, value: unknown, where: Where): void {
  if (key !== 'ansible_group_priority') {
    setVar(group, key, value, where);
    return;
  }
  const n = typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n)) group.priority = n;
  else data.problems.push({ ...where(), message: `ansible_group_priority must be a whole number, got ${JSON.stringify(value)}` });
}

/** After every source: Ansible's reconcile_inventory. */
export function reconcileInventory(data: InventoryData): void {
  for (const g of data.groups.values()) {
    if (g.name !== 'all' && g.parents.length === 0) addChild(data, 'all', g.name);
  }
  const ungrouped = data.groups.get('ungrouped') as DataGroup;
  for (const host of data.hosts.values()) {
    const named = host.groups.filter((g) => g !== 'all' && g !== 'ungrouped');
    if (host.groups.includes('ungrouped')) {
      if (named.length > 0) {
        ungrouped.hostSet.delete(host.name); // its list is filtered once, below
        host.groups = host.groups.filter((g) => g !== 'ungrouped');
      }
    } else if (named.length === 0) {
      ungrouped.hostSet.add(host.name);
      ungrouped.hosts.push(host.name);
      host.groups.push('ungrouped');
    }
  }
  ungrouped.hosts = ungrouped.hosts.filter((h) => ungrouped.hostSet.has(h));
  for (const name of data.hosts.keys()) {
    if (data.groups.has(name)) data.warnings.push(`found both a group and a host named '${name}'`);
  }
  // As Ansible (TRANSFORM_INVALID_GROUP_CHARS 'never'): such names work, but not as variable names.
  const odd = [...data.groups.keys()].filter((g) => /^\p{Nd}|[^\p{L}\p{N}_]/u.test(g));
  if (odd.length > 0) data.warnings.push(`group names that are not valid variable names (only letters, digits and _, not first a digit): ${odd.join(', ')}`);
}
