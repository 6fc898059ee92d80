import { readFile, stat } from 'node:fs/promises';
import { connectionFor, loadInventory } from '../inventory/index.js';
import type { Inventory } from '../model/inventory.js';
import { ConfigError, type ConfigProblem } from '../model/errors.js';
import { checkPlaybookTree, checkTaskFile } from '../config/load-playbook.js';
import { checkPlaybookNames, type NameWarning } from '../config/check-names.js';
import { parseYamlText, type YamlFile } from '../config/yaml-file.js';

export type FileKind = 'playbook' | 'task file' | 'inventory';

export interface FileValidation {
  kind: FileKind;
  /** What makes the file invalid (in it, or in a file it imports or includes). */
  problems: ConfigProblem[];
  /** A valid playbook's reads of names it does not define (they may come from the inventory or -e). */
  warnings?: NameWarning[];
  /** What a valid playbook holds that remedy accepts and ignores (gather_facts). */
  notes?: ConfigProblem[];
  /** An inventory's variable names (every host's), which the playbooks validated with it may read. */
  names?: string[];
}

function inventoryNames(inventory: Inventory): string[] {
  return [...new Set(inventory.hosts.flatMap((h) => Object.keys(h.vars)))];
}

/** A playbook: its problems and those of the files it names; when all are valid, its undefined names and notes. */
function playbookValidation(yaml: YamlFile): FileValidation {
  const { playbook, problems } = checkPlaybookTree(yaml);
  if (!playbook) return { kind: 'playbook', problems };
  return { kind: 'playbook', problems: [], ...checkPlaybookNames(yaml) };
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keys only a play (or a playbook's import) has. */
const PLAY_KEYS = ['hosts', 'import_playbook', 'tasks', 'handlers', 'vars_files', 'roles', 'pre_tasks', 'post_tasks', 'gather_facts', 'serial', 'strategy'];

/**
 * A YAML list at the top is a playbook, or a task file (for include_tasks and import_tasks) when its
 * items are mappings none of which has a key only plays have; anything else (a mapping) is an inventory.
 */
export function detectKind(value: unknown): FileKind {
  if (!Array.isArray(value)) return 'inventory';
  const items = value.filter(isMapping);
  const play = items.some((i) => PLAY_KEYS.some((k) => k in i));
  return !play && items.length > 0 && items.length === value.length ? 'task file' : 'playbook';
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
async function directoryValidation(dir: string): Promise<FileValidation> {
  try {
    const inventory = await loadInventory(dir);
    if (inventory.hosts.length === 0) return { kind: 'inventory', problems: [{ file: dir, message: 'is a directory with no inventory host in it (expected a playbook file or an inventory)' }] };
    return { kind: 'inventory', problems: connectionProblems(inventory), names: inventoryNames(inventory) };
  } catch (err) {
    if (err instanceof ConfigError) return { kind: 'inventory', problems: err.problems };
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

async function inventoryValidation(file: string): Promise<FileValidation> {
  try {
    const inventory = await loadInventory(file);
    return { kind: 'inventory', problems: connectionProblems(inventory), names: inventoryNames(inventory) };
  } catch (err) {
    if (err instanceof ConfigError) return { kind: 'inventory', problems: err.problems };
    throw err;
  }
}

/**
 * For `remedy validate FILE...`: says whether a file is a playbook or an inventory and lists
 * every problem in it (empty when valid), and for a valid playbook its warnings and notes. Bad
 * input never throws; only a bug does.
 */
export async function validateFile(file: string): Promise<FileValidation> {
  if (await isDirectory(file)) return directoryValidation(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { kind: kindFromName(file), problems: [readProblem(file, err)] };
  }
  if (looksLikeIniInventory(text)) return inventoryValidation(file);
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
  if (kind === 'task file') return { kind, problems: checkTaskFile(yaml) };
  return kind === 'playbook' ? playbookValidation(yaml) : inventoryValidation(file);
}
