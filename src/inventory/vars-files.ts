import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pathToPointer, parseYamlText } from '../config/yaml-file.js';
import { ConfigError, type ConfigProblem } from '../model/errors.js';
import type { Vars } from '../model/playbook.js';
import type { Where } from './data.js';
import { yamlWhere } from './yaml-inventory.js';

/**
 * group_vars/ and host_vars/ as Ansible's host_group_vars plugin reads them beside an inventory or
 * a playbook: for a group or host NAME, the first of NAME (a file or a directory), NAME.yml,
 * NAME.yaml, NAME.json that exists; a directory gives its files with no extension or one of
 * those, sorted, recursing into subdirectories without an extension, skipping hidden files and
 * backups (~). Each file is a mapping (or empty); later files win, key by key.
 */

export const varsExtensions = ['', '.yml', '.yaml', '.json'];

/** The vars one entity (group or host) gets from one directory, and where each was set. */
export interface EntityVars {
  vars: Vars;
  varWhere: Map<string, Where>;
}

/** Byte order of names, as Python sorts os.listdir() results. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function kindOf(path: string): Promise<'dir' | 'file' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

async function filesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of (await readdir(dir)).sort(byBytes)) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const full = join(dir, name);
    const ext = extname(name);
    const kind = await kindOf(full);
    if (kind === 'dir' && ext === '') found.push(...(await filesIn(full)));
    else if (kind === 'file' && varsExtensions.includes(ext)) found.push(full);
  }
  return found;
}

/** Ansible's DataLoader.find_vars_files(dir, name). */
export async function findVarsFiles(dir: string, name: string): Promise<string[]> {
  for (const ext of varsExtensions) {
    const full = join(dir, `${name}${ext}`);
    const kind = await kindOf(full);
    if (kind === 'dir') return filesIn(full);
    if (kind === 'file') return [full];
  }
  return [];
}

/** Reads one vars file: a mapping of vars, or nothing when empty. */
async function readVarsFile(file: string, into: EntityVars, problems: ConfigProblem[]): Promise<void> {
  let yaml;
  try {
    yaml = parseYamlText(file, await readFile(file, 'utf8'));
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.problems);
    else problems.push({ file, message: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return;
  }
  const value = yaml.value;
  const empty = value === null || value === undefined || value === '' || value === false || value === 0 || (Array.isArray(value) && value.length === 0);
  if (empty) return; // Ansible skips empty data
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(yaml.problemAt('', `a vars file must be a mapping of name: value, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`));
    return;
  }
  for (const [k, v] of Object.entries(value as Vars)) {
    into.vars[k] = v;
    into.varWhere.set(k, yamlWhere(yaml, pathToPointer([k])));
  }
}

/** The group_vars/ and host_vars/ of one directory (an inventory's or a playbook's), read. */
export interface VarsDir {
  groupVars(name: string): EntityVars;
  hostVars(name: string): EntityVars;
  /** No group and no host has a var here. */
  empty: boolean;
}

const nothing = (): EntityVars => ({ vars: {}, varWhere: new Map() });

/** Reads BASE/group_vars/<group> and BASE/host_vars/<host> for the given names. */
export async function readVarsDir(base: string, groups: string[], hosts: string[], problems: ConfigProblem[], warnings: string[]): Promise<VarsDir> {
  const side = async (sub: 'group_vars' | 'host_vars', names: string[]): Promise<Map<string, EntityVars>> => {
    const found = new Map<string, EntityVars>();
    let dir: string;
    try {
      dir = await realpath(join(base, sub));
    } catch {
      return found;
    }
    if ((await kindOf(dir)) !== 'dir') {
      warnings.push(`${join(base, sub)} is not a directory: ignored`);
      return found;
    }
    // One listing, so that only names with a file or directory there cost a stat.
    const present = new Set(await readdir(dir));
    const candidate = (name: string) => name.includes('/') || varsExtensions.some((ext) => present.has(`${name}${ext}`));
    for (const name of names) {
      if (name.startsWith('/') || !candidate(name)) continue; // '/…': as Ansible
      const into = nothing();
      for (const file of await findVarsFiles(dir, name)) await readVarsFile(file, into, problems);
      if (into.varWhere.size > 0) found.set(name, into);
    }
    return found;
  };
  const groupVars = await side('group_vars', groups);
  const hostVars = await side('host_vars', hosts);
  return {
    groupVars: (name) => groupVars.get(name) ?? nothing(),
    hostVars: (name) => hostVars.get(name) ?? nothing(),
    empty: groupVars.size === 0 && hostVars.size === 0,
  };
}
