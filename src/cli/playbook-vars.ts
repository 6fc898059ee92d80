/**
 * group_vars/ and host_vars/ beside the playbooks, as ansible-playbook reads them: each play sees
 * the ones beside its own playbook file (an imported playbook's beside that file), above the
 * inventory's own of the same kind. How a host is reached is read once per run: from the inventory
 * with those beside the first play's playbook.
 */
import { dirname } from 'node:path';
import type { Inventory } from '../model/inventory.js';
import type { Playbook, Vars } from '../model/playbook.js';
import { secretValues, withPlaybookVars } from '../inventory/index.js';

export interface WithPlaybookVars {
  /** The run's inventory: with the first play's playbook directory applied. */
  inventory: Inventory;
  /** The playbooks, each play whose directory differs carrying its hosts' variables. */
  playbooks: Playbook[];
  /** Connection secrets that the playbooks' group_vars/host_vars hold (to mask). */
  secrets: string[];
}

export async function applyPlaybookVars(inventory: Inventory, playbooks: Playbook[]): Promise<WithPlaybookVars> {
  const dirs = [...new Set(playbooks.flatMap((pb) => pb.plays.map((p) => dirname(p.source.file))))];
  if (dirs.length === 0) return { inventory, playbooks, secrets: [] };
  const byDir = new Map<string, Inventory>();
  for (const dir of dirs) byDir.set(dir, await withPlaybookVars(inventory, dir));
  const secrets = new Set<string>();
  for (const inv of byDir.values()) for (const host of inv.hosts) for (const s of secretValues(host.vars)) secrets.add(s);
  const first = dirs[0]!;
  const hostVars = (dir: string): ReadonlyMap<string, Vars> => new Map(byDir.get(dir)!.hosts.map((h) => [h.name, h.vars]));
  return {
    inventory: byDir.get(first)!,
    playbooks: playbooks.map((pb) => ({
      ...pb,
      plays: pb.plays.map((p) => (dirname(p.source.file) === first ? p : { ...p, hostVars: hostVars(dirname(p.source.file)) })),
    })),
    secrets: [...secrets],
  };
}
