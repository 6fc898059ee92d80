import { formatInventoryGraph, formatInventoryList, loadInventory, selectHosts } from '../inventory/index.js';
import { EXIT } from './exit.js';

/** `remedy inventory`: the selected hosts as a list of names, JSON (--list) or a tree (--graph). */
export async function inventoryCommand(flags: { inventory: string; limit: string; list?: boolean; graph?: boolean }): Promise<number> {
  const inv = await loadInventory(flags.inventory);
  const hosts = selectHosts(inv, flags.limit);
  if (flags.list) process.stdout.write(`${formatInventoryList(inv, hosts)}\n`);
  else if (flags.graph) process.stdout.write(`${formatInventoryGraph(inv, hosts)}\n`);
  else process.stdout.write(`  hosts (${hosts.length}):\n${hosts.map((h) => `    ${h.name}\n`).join('')}`);
  return EXIT.ok;
}
