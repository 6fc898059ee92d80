import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, type ConfigProblem } from '../model/errors.js';
import type { Inventory } from '../model/inventory.js';
import { createInventoryData, type InventoryData, reconcileInventory } from './data.js';
import { resolveInventory } from './resolve.js';
import { addInventorySource, addInventoryText } from './sources.js';
import { readVarsDir, type VarsDir } from './vars-files.js';

export interface LoadOptions {
  /**
   * The playbook's directory: its group_vars/ and host_vars/ apply too, each above the
   * inventory's own (as ansible-playbook, or ansible-inventory --playbook-dir).
   */
  playbookDir?: string;
}

/** What an inventory was built from, kept to add a playbook's group_vars/host_vars later. */
interface Loaded {
  data: InventoryData;
  source: string;
  inventoryVars?: VarsDir;
  warnings: string[];
}

const loaded = new WeakMap<Inventory, Loaded>();

function byPlace(a: ConfigProblem, b: ConfigProblem): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

function throwProblems(problems: ConfigProblem[]): void {
  if (problems.length > 0) throw new ConfigError([...problems].sort(byPlace));
}

async function readAdjacent(data: InventoryData, base: string, problems: ConfigProblem[], warnings: string[]): Promise<VarsDir> {
  return readVarsDir(base, [...data.groups.keys()], [...data.hosts.keys()], problems, warnings);
}

/**
 * Reads an inventory as Ansible does: a YAML or INI file, or a directory of them, with the
 * group_vars/ and host_vars/ beside it (in it, for a directory) and, when given, beside the
 * playbook. Every problem at once, as one ConfigError (file:line:column).
 */
export async function loadInventory(path: string, options: LoadOptions = {}): Promise<Inventory> {
  const data = createInventoryData();
  await addInventorySource(data, path);
  throwProblems(data.problems);
  reconcileInventory(data);
  let base: string;
  try {
    base = (await stat(path)).isDirectory() ? path : dirname(path);
  } catch {
    base = dirname(path);
  }
  const problems: ConfigProblem[] = [];
  const warnings = [...data.warnings];
  const inventoryVars = await readAdjacent(data, base, problems, warnings);
  const playbookVars = options.playbookDir === undefined ? undefined : await readAdjacent(data, options.playbookDir, problems, warnings);
  throwProblems(problems);
  const inventory = resolveInventory(data, path, { inventory: inventoryVars, playbook: playbookVars });
  loaded.set(inventory, { data, source: path, inventoryVars, warnings });
  return inventory;
}

/** The same from text already in memory (embedded defaults, tests): YAML, or INI; no group_vars. */
export function parseInventoryText(file: string, text: string): Inventory {
  const data = createInventoryData();
  addInventoryText(data, file, text, true);
  throwProblems(data.problems);
  reconcileInventory(data);
  const inventory = resolveInventory(data, file);
  loaded.set(inventory, { data, source: file, warnings: [...data.warnings] });
  return inventory;
}

/**
 * The inventory with the group_vars/ and host_vars/ beside a playbook added, at Ansible's
 * precedence (above the inventory's own of the same kind). The inventory itself is unchanged.
 */
export async function withPlaybookVars(inventory: Inventory, playbookDir: string): Promise<Inventory> {
  const from = loaded.get(inventory);
  if (!from) throw new Error('withPlaybookVars: the inventory was not loaded by loadInventory');
  const problems: ConfigProblem[] = [];
  const warnings = [...from.warnings];
  const playbookVars = await readAdjacent(from.data, playbookDir, problems, warnings);
  throwProblems(problems);
  // Nothing beside the playbook: the same inventory (resolving 10,000 hosts again costs time and memory).
  if (playbookVars.empty && warnings.length === from.warnings.length) return inventory;
  const next = resolveInventory(from.data, inventory.file, { inventory: from.inventoryVars, playbook: playbookVars });
  loaded.set(next, { ...from, warnings });
  return next;
}

/** Warnings met while loading (as Ansible's: a group and a host with the same name…). */
export function inventoryWarnings(inventory: Inventory): string[] {
  return [...(loaded.get(inventory)?.warnings ?? [])];
}
