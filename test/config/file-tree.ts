/** Playbook trees written to a temporary directory, and the problems of loading one (config tests). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPlaybook } from '../../src/config/load-playbook.js';
import { ConfigError } from '../../src/model/errors.js';

/** A directory with these files (names may hold subdirectories); returns its path. */
export function tree(files: Record<string, string>, prefix = 'remedy-config-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The problems of loading dir/pb.yml, as "file:line:column message" with the directory cut. */
export async function problems(dir: string): Promise<string[]> {
  try {
    await loadPlaybook(join(dir, 'pb.yml'));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.file.replace(`${dir}/`, '')}:${p.line}:${p.column} ${p.message.replaceAll(`${dir}/`, '')}`);
  }
  return [];
}
