import { connectionFor, formatHostVars, formatInventoryGraph, formatInventoryList, inventoryWarnings, loadInventory, selectHostsReporting } from '../inventory/index.js';
import type { Host } from '../model/inventory.js';
import { describeSshConnection, formatSshConnection } from '../transport/index.js';
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

/** How remedy will reach the host: local, or the SSH settings resolved as `ssh -G` prints them. */
function describeConnection(host: Host): string {
  const spec = connectionFor(host);
  if (spec.kind === 'local') return `# remedy connects to ${host.name}: local (no SSH), commands run on this machine${spec.become ? ', with sudo' : ''}`;
  return `# remedy connects to ${host.name} with (inventory, then ~/.ssh/config, as ssh -G resolves them):\n${formatSshConnection(describeSshConnection(spec))}`;
}

/**
 * `remedy inventory`: the selected hosts as a list of names, JSON (--list), a tree (--graph), or
 * one host's vars (--host, as ansible-inventory --host; the connection remedy will use goes to stderr).
 * Warnings (a part of the pattern that matches nothing…) go to stderr.
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
    // stdout stays exactly ansible-inventory's; how remedy will reach the host goes to stderr.
    process.stderr.write(`${describeConnection(hosts[0])}\n`);
    return EXIT.ok;
  }
  const { hosts, warnings } = selectHostsReporting(inv, flags.limit);
  warnings.forEach(warn);
  if (flags.list) process.stdout.write(`${formatInventoryList(inv, hosts)}\n`);
  else if (flags.graph) process.stdout.write(`${formatInventoryGraph(inv, hosts)}\n`);
  else process.stdout.write(`  hosts (${hosts.length}):\n${hosts.map((h) => `    ${h.name}\n`).join('')}`);
  return EXIT.ok;
}
