import { readFile, stat } from 'node:fs/promises';
import { connectionFor, loadInventory } from '../inventory/index.js';
import type { Inventory } from '../model/inventory.js';
import { ConfigError, type ConfigProblem } from '../model/errors.js';
import { playbookProblems } from '../config/load-playbook.js';
import { parseYamlText, type YamlFile } from '../config/yaml-file.js';

export type FileKind = 'playbook' | 'inventory';

export interface FileValidation {
  kind: FileKind;
  problems: ConfigProblem[];
}

/** A YAML list at the top is a playbook; anything else (a mapping) is an inventory. */
export function detectKind(value: unknown): FileKind {
  return Array.isArray(value) ? 'playbook' : 'inventory';
}

/** An Ansible INI inventory opens with a "[group]" line (YAML would read it as a list). */
export function looksLikeIniInventory(text: string): boolean {
  const first = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'));
  return first !== undefined && /^\[[^\]\s,]+\]$/.test(first);
}

/** When the content cannot tell (unreadable, empty, not YAML): guess from the name. */
function kindFromName(file: string): FileKind {
  return /inventor|(^|[/\\])hosts(\.[a-z]+)?$/i.test(file) ? 'inventory' : 'playbook';
}

/** A directory is an inventory (every inventory file in it, as Ansible reads one); one with no host is a mistake. */
async function directoryProblems(dir: string): Promise<ConfigProblem[]> {
  try {
    const inventory = await loadInventory(dir);
    if (inventory.hosts.length === 0) return [{ file: dir, message: 'is a directory with no inventory host in it (expected a playbook file or an inventory)' }];
    return connectionProblems(inventory);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

/** An inventory may be a directory (every inventory file in it, as Ansible reads one). */
async function isDirectory(file: string): Promise<boolean> {
  return stat(file).then((st) => st.isDirectory(), () => false);
}

function readProblem(file: string, err: unknown): ConfigProblem {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'file not found'
    : code === 'EISDIR' ? 'is a directory, expected a YAML file'
      : code === 'EACCES' ? 'permission denied' : `cannot read file: ${(err as Error).message}`;
  return { file, message: why };
}

/** Every host's connection settings, as a run would read them (a wrongly typed password is a problem). */
function connectionProblems(inventory: Inventory): ConfigProblem[] {
  return inventory.hosts.flatMap((host) => {
    try {
      connectionFor(host);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  });
}

async function inventoryProblems(file: string): Promise<ConfigProblem[]> {
  try {
    return connectionProblems(await loadInventory(file));
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

/**
 * For `remedy validate FILE...`: says whether a file is a playbook or an inventory and lists
 * every problem in it (empty when valid). Bad input never throws; only a bug does.
 */
export async function validateFile(file: string): Promise<FileValidation> {
  if (await isDirectory(file)) return { kind: 'inventory', problems: await directoryProblems(file) };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { kind: kindFromName(file), problems: [readProblem(file, err)] };
  }
  if (looksLikeIniInventory(text)) return { kind: 'inventory', problems: await inventoryProblems(file) };
  let yaml: YamlFile;
  try {
    yaml = parseYamlText(file, text);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { kind: kindFromName(file), problems: err.problems };
  }
  if (yaml.value === null || yaml.value === undefined) {
    const kind = kindFromName(file);
    const expected = kind === 'playbook' ? 'a list of plays' : 'an inventory mapping (all: …)';
    return { kind, problems: [{ file, line: 1, column: 1, pointer: '', message: `the file is empty: expected ${expected}` }] };
  }
  const kind = detectKind(yaml.value);
  if (kind === 'playbook') return { kind, problems: playbookProblems(yaml) };
  return { kind, problems: await inventoryProblems(file) };
}
