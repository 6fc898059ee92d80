import type { Host, Inventory } from '../model/inventory.js';
import type { Vars } from '../model/playbook.js';
import { pythonJson } from './python-json.js';

/** Vars ansible-inventory leaves out of what it prints (its INTERNAL_VARS): magic and run-time vars. */
const internalVars = new Set([
  'ansible_diff_mode', 'ansible_config_file', 'ansible_facts', 'ansible_forks', 'ansible_inventory_sources', 'ansible_limit',
  'ansible_playbook_python', 'ansible_run_tags', 'ansible_skip_tags', 'ansible_verbosity', 'ansible_version', 'inventory_dir',
  'inventory_file', 'inventory_hostname', 'inventory_hostname_short', 'groups', 'group_names', 'omit', 'playbook_dir',
]);

function shownVars(vars: Vars): Vars {
  return Object.fromEntries(Object.entries(vars).filter(([k]) => !internalVars.has(k)));
}

/** `remedy inventory --host NAME`: the host's vars as `ansible-inventory --host NAME` prints them. */
export function formatHostVars(host: Host): string {
  return pythonJson(shownVars(host.vars));
}

/**
 * `remedy inventory --list`: `ansible-inventory --list` to the character: each group with its
 * own hosts (among the selected ones) and children, empty keys and empty groups left out, 'all'
 * with children only, and _meta.hostvars with each selected host's vars.
 */
export function formatInventoryList(inv: Inventory, hosts: Host[]): string {
  const selected = new Set(hosts.map((h) => h.name));
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const g = inv.groups.get(name);
    if (!g) return;
    const entry: { hosts?: string[]; children?: string[] } = {};
    const own = name === 'all' ? [] : g.hosts.filter((h) => selected.has(h));
    if (own.length) entry.hosts = own;
    if (g.children.length) entry.children = [...g.children];
    if (entry.hosts || entry.children) out[name] = entry;
    for (const c of g.children) visit(c);
  };
  visit('all');
  const hostvars: Record<string, unknown> = {};
  for (const h of hosts) {
    const vars = shownVars(h.vars);
    if (Object.keys(vars).length > 0) hostvars[h.name] = vars;
  }
  out['_meta'] = { hostvars };
  return pythonJson(out);
}

/**
 * `remedy inventory --graph`: the tree of `ansible-inventory --graph`: groups as "@name:", child
 * groups then hosts, in the order they were added (as ansible-core 2.14, which does not sort),
 * indented by "  |", e.g. "  |  |--web1"; a group under two parents is drawn under both.
 * When only some hosts are selected, groups with none of them below are left out.
 */
export function formatInventoryGraph(inv: Inventory, hosts: Host[]): string {
  const selected = new Set(hosts.map((h) => h.name));
  const everything = inv.hosts.every((h) => selected.has(h.name));
  const lines: string[] = [];
  const indent = (depth: number, text: string) => (depth === 0 ? text : `${'  |'.repeat(depth)}--${text}`);
  const hasSelected = (name: string, path: Set<string>): boolean => {
    const g = inv.groups.get(name);
    if (!g || path.has(name)) return false;
    if (g.hosts.some((h) => selected.has(h))) return true;
    const next = new Set(path).add(name);
    return g.children.some((c) => hasSelected(c, next));
  };
  const draw = (name: string, depth: number, path: Set<string>) => {
    const g = inv.groups.get(name);
    if (!g || path.has(name)) return;
    lines.push(indent(depth, `@${name}:`));
    const next = new Set(path).add(name);
    for (const c of g.children) {
      if (everything || hasSelected(c, next)) draw(c, depth + 1, next);
    }
    if (name === 'all') return;
    for (const h of g.hosts) if (selected.has(h)) lines.push(indent(depth + 1, h));
  };
  draw('all', 0, new Set());
  return lines.join('\n');
}
