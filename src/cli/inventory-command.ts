import { formatHostVars, formatInventoryGraph, formatInventoryList, inventoryWarnings, loadInventory, selectHostsReporting } from '../inventory/index.js';
import { UsageError } from '../model/errors.js';
import { EXIT } from './exit.js';

export interface InventoryFlags {
  inventory: string;
  limit: string;
  list?: boolean;
  graph?: boolean;
  host?: string;
  playbookDir?: string;
}

/**
 * `remedy inventory`: the selected hosts as a list of names, JSON (--list), a tree (--graph), or
 * one host's vars (--host, as ansible-inventory --host). Warnings (a part of the pattern that
 * matches nothing…) go to stderr.
 */
export async function inventoryCommand(flags: InventoryFlags): Promise<number> {
  const inv = await loadInventory(flags.inventory, { playbookDir: flags.playbookDir });
  const warn = (w: string) => process.stderr.write(`WARNING: ${w}\n`);
  inventoryWarnings(inv).forEach(warn);
  if (flags.host !== undefined) {
    // As ansible-inventory: --host takes a pattern that must select exactly one host.
    const { hosts, warnings } = selectHostsReporting(inv, flags.host);
    warnings.forEach(warn);
    if (hosts.length !== 1 || !hosts[0]) throw new UsageError(`--host '${flags.host}' must name one host; it selects ${hosts.length}`);
    process.stdout.write(`${formatHostVars(hosts[0])}\n`);
    return EXIT.ok;
  }
  const { hosts, warnings } = selectHostsReporting(inv, flags.limit);
  warnings.forEach(warn);
  if (flags.list) process.stdout.write(`${formatInventoryList(inv, hosts)}\n`);
  else if (flags.graph) process.stdout.write(`${formatInventoryGraph(inv, hosts)}\n`);
  else process.stdout.write(`  hosts (${hosts.length}):\n${hosts.map((h) => `    ${h.name}\n`).join('')}`);
  return EXIT.ok;
}
