/**
 * The variable names that the group_vars/ and host_vars/ beside a playbook set, for any group or
 * host (validate cannot know which hosts a play will run on): the top-level keys of every file
 * the vars plugin would read there (.yml, .yaml, .json or no extension, directories recursed,
 * hidden files and backups skipped). A file that does not parse sets nothing here.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readYamlSync } from './read-files.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

function filesBelow(dir: string, depth = 0): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => !n.startsWith('.') && !n.endsWith('~')).flatMap((n) => {
    const full = join(dir, n);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      return [];
    }
    if (isDir) return depth < 8 ? filesBelow(full, depth + 1) : [];
    return EXTENSIONS.includes(extname(n)) ? [full] : [];
  });
}

export function varNamesBeside(dir: string): Set<string> {
  const names = new Set<string>();
  for (const sub of ['group_vars', 'host_vars']) {
    for (const file of filesBelow(join(dir, sub))) {
      const value = readYamlSync(file).yaml?.value;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const k of Object.keys(value)) names.add(k);
    }
  }
  return names;
}
