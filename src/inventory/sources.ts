import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { validateYaml } from '../config/schema.js';
import { parseYamlText, type YamlFile } from '../config/yaml-file.js';
import { ConfigError, type ConfigProblem } from '../model/errors.js';
import { addIniInventory } from './ini-inventory.js';
import { type DataGroup, type InventoryData } from './data.js';
import { addYamlInventory } from './yaml-inventory.js';
import { explainProblem } from './yaml-problems.js';

/**
 * Inventory sources as Ansible's InventoryManager reads them: a directory is every entry in it,
 * sorted by name, recursively, except hidden ones, group_vars, host_vars, vars_plugins and the
 * ignored extensions; a file is tried as YAML when its extension is .yml, .yaml, .json or none
 * (Ansible's yaml plugin) and otherwise, or when that fails, as INI. Scripts, inventory plugin
 * configs and TOML files are refused: remedy runs nothing to build its inventory.
 */

/** Ansible's IGNORED_ALWAYS and default INVENTORY_IGNORE_EXTS (REJECT_EXTS, .orig, .ini, .cfg, .retry). */
const ignored = /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;
const yamlExtensions = ['', '.yml', '.yaml', '.json'];

const exportHint = 'export it with: ansible-inventory -i FILE --list --yaml';

function readProblem(file: string, err: unknown): ConfigProblem {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
  return { file, message: `cannot read file: ${why}` };
}

/** The line (1-based) of an INI section header such as "[web]" that opens the text, or 0. */
export function iniHeaderLine(text: string): number {
  const lines = text.split('\n').map((l) => l.trim());
  const i = lines.findIndex((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'));
  return i >= 0 && /^\[[^\]\s]+\](\s*#.*)?$/.test(lines[i] as string) ? i + 1 : 0;
}

function copyData(data: InventoryData): InventoryData {
  const groups = new Map<string, DataGroup>();
  for (const [k, g] of data.groups) groups.set(k, { ...g, hosts: [...g.hosts], hostSet: new Set(g.hostSet), children: [...g.children], parents: [...g.parents], vars: { ...g.vars } });
  const hosts = new Map([...data.hosts].map(([k, h]) => [k, { ...h, vars: { ...h.vars }, groups: [...h.groups] }]));
  return { groups, hosts, problems: [], warnings: [] };
}

/** A YAML inventory's own problems: its shape (schema) first, a plugin config alone. */
function yamlShapeProblems(yaml: YamlFile): ConfigProblem[] {
  const problems = validateYaml(yaml, 'inventory').map((p) => explainProblem(p, yaml.value));
  const plugin = problems.find((p) => p.pointer === '/plugin');
  return plugin ? [plugin] : problems; // the rest of a plugin's config is not groups either
}

/**
 * Adds one inventory file read from `text`. `alone`: the file is the whole inventory (not one
 * file of a directory), where an empty file is an error rather than nothing.
 */
export function addInventoryText(data: InventoryData, file: string, text: string, alone: boolean): void {
  const ext = extname(file);
  if (text.startsWith('#!')) {
    data.problems.push({ file, line: 1, column: 1, message: `inventory scripts are not supported (remedy runs nothing to build its inventory): ${exportHint}` });
    return;
  }
  if (ext === '.toml') {
    data.problems.push({ file, message: `TOML inventories are not supported: ${exportHint}` });
    return;
  }
  if (!yamlExtensions.includes(ext)) {
    addIniInventory(data, file, text);
    return;
  }
  let yamlProblems: ConfigProblem[];
  try {
    const yaml = parseYamlText(file, text);
    const v = yaml.value;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const shape = yamlShapeProblems(yaml);
      data.problems.push(...shape);
      if (!shape.some((p) => p.pointer === '/plugin')) addYamlInventory(data, yaml);
      // What was read is in `data`; its vars' locations parse the text again if a problem needs one.
      yaml.release();
      return;
    }
    if ((v === null || v === undefined) && !alone) return; // an empty file adds nothing
    yamlProblems = yamlShapeProblems(yaml);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    yamlProblems = err.problems;
  }
  // As Ansible: what the YAML plugin cannot read, the INI plugin tries.
  const trial = copyData(data);
  addIniInventory(trial, file, text);
  const emptyIni = trial.hosts.size === data.hosts.size && trial.groups.size === data.groups.size;
  if (trial.problems.length === 0 && !(alone && emptyIni)) addIniInventory(data, file, text);
  else data.problems.push(...(iniHeaderLine(text) > 0 ? trial.problems : yamlProblems));
}

async function addPath(data: InventoryData, path: string, alone: boolean): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    data.problems.push(readProblem(path, err));
    return;
  }
  if (isDir) {
    const names = (await readdir(path)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) if (!ignored.test(name)) await addPath(data, join(path, name), false);
    return;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    data.problems.push(readProblem(path, err));
    return;
  }
  addInventoryText(data, path, text, alone);
}

/** Adds an inventory file, or every inventory file of a directory. */
export async function addInventorySource(data: InventoryData, path: string): Promise<void> {
  await addPath(data, path, true);
}
