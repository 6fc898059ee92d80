import { pathToPointer, type YamlFile } from '../config/yaml-file.js';
import type { ConfigProblem } from '../model/errors.js';
import type { Vars } from '../model/playbook.js';
import { parseAddress } from './address.js';
import { expandHostRange, hasRange } from './ranges.js';

/** A group as written, before membership and vars are resolved. */
export interface RawGroup {
  name: string;
  /** Hosts listed directly under the group, in file order. */
  hosts: string[];
  /** The same names, for quick membership tests. */
  hostSet: Set<string>;
  children: string[];
  parents: string[];
  vars: Vars;
  /** Where each var was set: JSON pointer into the file. */
  varPointers: Map<string, string>;
}

export interface RawHost {
  name: string;
  vars: Vars;
  varPointers: Map<string, string>;
  /** Groups the host is listed under directly. */
  groups: string[];
}

/** The inventory as written: groups and hosts in file order, plus the problems found on the way. */
export interface RawInventory {
  groups: Map<string, RawGroup>;
  hosts: Map<string, RawHost>;
  problems: ConfigProblem[];
}

type Mapping = Record<string, unknown>;

function isMapping(v: unknown): v is Mapping {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Walks a parsed inventory (already checked against the schema: anything of the wrong shape is
 * skipped here, the schema has reported it) the way Ansible's YAML inventory plugin does.
 */
export function walkInventory(yaml: YamlFile): RawInventory {
  const raw: RawInventory = { groups: new Map(), hosts: new Map(), problems: [] };
  // As Ansible: 'all' and 'ungrouped' always exist, ungrouped first among all's children.
  addGroup(raw, 'all');
  addEdge(raw, 'all', addGroup(raw, 'ungrouped').name);
  if (!isMapping(yaml.value)) return raw;
  for (const [name, data] of Object.entries(yaml.value)) walkGroup(raw, yaml, name, data, [name]);
  return raw;
}

function addGroup(raw: RawInventory, name: string): RawGroup {
  let g = raw.groups.get(name);
  if (!g) {
    g = { name, hosts: [], hostSet: new Set(), children: [], parents: [], vars: {}, varPointers: new Map() };
    raw.groups.set(name, g);
  }
  return g;
}

function addEdge(raw: RawInventory, parent: string, child: string): void {
  const p = addGroup(raw, parent);
  const c = addGroup(raw, child);
  if (!p.children.includes(child)) p.children.push(child);
  if (!c.parents.includes(parent)) c.parents.push(parent);
}

/** The chain of groups from `from` down to `to` through children, if `to` is inside `from`. */
function descentPath(raw: RawInventory, from: string, to: string, seen = new Set<string>()): string[] | undefined {
  if (from === to) return [to];
  if (seen.has(from)) return undefined;
  seen.add(from);
  for (const c of raw.groups.get(from)?.children ?? []) {
    const rest = descentPath(raw, c, to, seen);
    if (rest) return [from, ...rest];
  }
  return undefined;
}

function walkGroup(raw: RawInventory, yaml: YamlFile, name: string, data: unknown, path: string[]): void {
  if (data !== null && !isMapping(data)) return;
  const group = addGroup(raw, name);
  if (data === null) return;
  for (const [section, value] of Object.entries(data)) {
    const here = [...path, section];
    if (section === 'vars' && isMapping(value)) {
      for (const [k, v] of Object.entries(value)) setVar(group, k, v, pathToPointer([...here, k]));
    } else if (section === 'children' && (isMapping(value) || typeof value === 'string')) {
      // As Ansible: "children: web" names one child group.
      const entries: Array<[string, unknown]> = typeof value === 'string' ? [[value, null]] : Object.entries(value);
      for (const [child, childData] of entries) {
        const at = typeof value === 'string' ? pathToPointer(here) : pathToPointer([...here, child]);
        const cycle = edgeProblem(raw, name, child);
        if (cycle) {
          raw.problems.push(yaml.problemAt(at, cycle, true));
          continue;
        }
        addEdge(raw, name, child);
        walkGroup(raw, yaml, child, childData, [...here, child]);
      }
    } else if (section === 'hosts' && (isMapping(value) || typeof value === 'string')) {
      const entries: Array<[string, unknown]> = typeof value === 'string' ? [[value, null]] : Object.entries(value);
      for (const [entry, hostVars] of entries) {
        const at = typeof value === 'string' ? pathToPointer(here) : pathToPointer([...here, entry]);
        addHosts(raw, yaml, group, entry, hostVars, at, typeof value !== 'string');
      }
    }
  }
}

/** Why `child` cannot go under `parent`, or undefined when it can. */
function edgeProblem(raw: RawInventory, parent: string, child: string): string | undefined {
  if (child === 'all') return `'all' holds every group and cannot be a child of '${parent}'`;
  if (child === parent) return `group '${child}' cannot be a child of itself`;
  const up = descentPath(raw, child, parent);
  if (up) return `group '${child}' cannot be a child of '${parent}': '${parent}' is already inside '${child}' (cycle: ${[...up, child].join(' > ')})`;
  return undefined;
}

function setVar(target: { vars: Vars; varPointers: Map<string, string> }, key: string, value: unknown, pointer: string): void {
  target.vars[key] = value;
  target.varPointers.set(key, pointer);
}

function addHosts(raw: RawInventory, yaml: YamlFile, group: RawGroup, entry: string, hostVars: unknown, at: string, atKey: boolean): void {
  // As Ansible: "name:port" sets ansible_port, ranges expand to several hosts.
  const parsed = parseAddress(entry);
  const pattern = parsed?.host ?? entry;
  let names = [pattern];
  if (hasRange(pattern)) {
    const expanded = expandHostRange(pattern);
    if (!expanded.ok) {
      raw.problems.push(yaml.problemAt(at, expanded.message, atKey));
      return;
    }
    names = expanded.names;
  }
  for (const name of names) {
    let host = raw.hosts.get(name);
    if (!host) {
      host = { name, vars: {}, varPointers: new Map(), groups: [] };
      raw.hosts.set(name, host);
    }
    if (!host.groups.includes(group.name)) host.groups.push(group.name);
    if (!group.hostSet.has(name)) {
      group.hostSet.add(name);
      group.hosts.push(name);
    }
    if (parsed?.port !== undefined) setVar(host, 'ansible_port', parsed.port, at);
    if (isMapping(hostVars)) {
      for (const [k, v] of Object.entries(hostVars)) setVar(host, k, v, `${at}${pathToPointer([k])}`);
    }
  }
}
