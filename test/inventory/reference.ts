import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What ansible-core printed for one command: its exit status, stdout and stderr. */
export interface Printed {
  rc: number;
  out: string;
  err: string;
}

export interface ReferenceJob {
  id: string;
  inventory: string;
  playbookDir?: string;
  hosts: string[];
  patterns: string[];
}

export interface ReferenceResult {
  list: Printed;
  graph: Printed;
  host: Record<string, Printed>;
  /** `ansible PATTERN --list-hosts`, as Ansible runs it and with its set order pinned. */
  patterns: Record<string, { real: Printed; pinned: Printed }>;
  /** `ansible all --list-hosts -l PATTERN`. */
  limits: Record<string, { real: Printed; pinned: Printed }>;
}

export const python = '/usr/bin/python3';
const driver = fileURLToPath(new URL('./ansible-reference.py', import.meta.url));
export const corpusDir = fileURLToPath(new URL('./corpus/', import.meta.url));

/** Runs every job in one ansible-core process, from an empty directory (no group_vars in '.'). */
export function runReference(jobs: ReferenceJob[]): Promise<Record<string, ReferenceResult>> {
  const cwd = mkdtempSync(join(tmpdir(), 'remedy-ansible-ref-'));
  writeFileSync(join(cwd, 'ansible.cfg'), ''); // Ansible's defaults, whatever this machine has configured
  return new Promise((resolve, reject) => {
    const child = execFile(python, [driver], { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(cwd, 'ansible.cfg') } }, (err, stdout, stderr) => {
      rmSync(cwd, { recursive: true, force: true });
      if (err) reject(new Error(`ansible reference failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, ReferenceResult>);
    });
    child.stdin?.end(JSON.stringify(jobs));
  });
}

/** Runs an ansible-core command as a process, from an empty directory. */
export function ansibleCommand(command: string, args: string[]): Promise<Printed> {
  const cwd = mkdtempSync(join(tmpdir(), 'remedy-ansible-cmd-'));
  writeFileSync(join(cwd, 'ansible.cfg'), '');
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_CONFIG: join(cwd, 'ansible.cfg'), COLUMNS: '1000' } }, (err, out, errText) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ rc: err ? Number((err as { code?: number }).code ?? 1) : 0, out, err: errText });
    });
  });
}

/** What `ansible … --list-hosts` said: the hosts, its warnings, or its error. */
export interface ListedHosts {
  hosts: string[];
  /** The X of each "Could not match supplied host pattern, ignoring: X". */
  unmatched: string[];
  warnings: string[];
  error?: string;
}

export function readListHosts(p: Printed): ListedHosts {
  const warnings = [...p.err.matchAll(/^\[WARNING\]: (.*)$/gm)].map((m) => m[1] as string);
  const unmatched = warnings.flatMap((w) => /^Could not match supplied host pattern, ignoring: (.*)$/.exec(w)?.[1] ?? []);
  const error = /^ERROR! (.*)$/m.exec(p.err)?.[1];
  const hosts = p.out.split('\n').slice(1).map((l) => l.trim()).filter((l) => l !== '');
  return error === undefined ? { hosts, unmatched, warnings } : { hosts: [], unmatched, warnings, error };
}

/** A corpus entry: its inventory (a file or directory named hosts… or inventory…), playbook dir, extra patterns. */
export interface CorpusCase {
  name: string;
  inventory: string;
  playbookDir?: string;
  patternsFile?: string;
}

export function corpusCases(): CorpusCase[] {
  return readdirSync(corpusDir).sort().map((name) => {
    const dir = join(corpusDir, name);
    const entries = readdirSync(dir).sort();
    const source = entries.find((e) => /^(hosts|inventory)/.test(e));
    if (!source) throw new Error(`corpus ${name}: no hosts… or inventory… entry`);
    const playbook = entries.includes('playbook') && statSync(join(dir, 'playbook')).isDirectory() ? join(dir, 'playbook') : undefined;
    return {
      name,
      inventory: join(dir, source),
      ...(playbook ? { playbookDir: playbook } : {}),
      ...(entries.includes('patterns') ? { patternsFile: join(dir, 'patterns') } : {}),
    };
  });
}
