/**
 * Benchmark (not a test): the real shared-library remediation on N lab hosts (systemd), side by side in
 * one run. Before each tool, the lab library is replaced on half the hosts (remedy-labd maps the old
 * copy); each tool then finds what maps it, restarts it and checks again:
 *   floor    OpenSSH in parallel (`xargs -P N ssh`): needrestart -b, systemctl restart of what it
 *            names, needrestart -b again, in one session per host;
 *   remedy   `remedy run playbooks/shared-libraries.yml -f N` (the built CLI);
 *   ansible  ansible-playbook, forks = N, the floor's script in a `shell` task (when installed).
 * Afterwards every host is checked with an independent tool (grep of /proc/PID/maps for the deleted
 * library): the row says how many hosts a tool left stale. Prints wall time, controller CPU per host,
 * peak RSS and ratios to the floor; asserts nothing.
 *   REMEDY_BENCH_LAB_HOSTS   host counts, comma separated (default 20)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab, type Lab, type LabHost } from '../lab/index.js';
import { replaceSharedLibrary } from '../lab/scenarios.js';
import { LAB_LIB } from '../lab/layer.js';
import { quietRootShell } from '../steps/lab-helpers.js';
import { timed, type Timed } from './timed.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The floor's work on one host: find with needrestart, restart what it names, check again. */
const FLOOR_SH = [
  'svcs=$(needrestart -b -l 2>/dev/null | sed -n "s/^NEEDRESTART-SVC: //p")',
  '[ -z "$svcs" ] || systemctl restart $svcs',
  'needrestart -b -l >/dev/null 2>&1',
  'echo reached',
].join('; ');

interface Row { tool: string; run: Timed; stale: number }

async function plant(lab: Lab): Promise<LabHost[]> {
  const half = lab.hosts.filter((_, i) => i % 2 === 0);
  await Promise.all(half.map((h) => replaceSharedLibrary(lab, h)));
  return half;
}

/** Hosts where a process still maps the replaced (deleted) lab library, by grep on the host. */
async function staleHosts(lab: Lab): Promise<number> {
  const out = await Promise.all(lab.hosts.map((h) => lab.exec(h, `grep -l -F '${LAB_LIB} (deleted)' /proc/[0-9]*/maps 2>/dev/null | head -1`)));
  return out.filter((r) => r.stdout.trim() !== '').length;
}

function print(count: number, rows: Row[]): void {
  const base = rows[0]!.run;
  const cores = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  console.log(`\nlab remediation: stale library on ${Math.ceil(count / 2)} of ${count} lab hosts (find, restart, check again), ${new Date().toISOString().slice(0, 16)}Z, ${cores} cores`);
  console.log('  tool                                  wall s   ratio   controller CPU ms/host   peak RSS MB   hosts left stale');
  for (const { tool, run, stale } of rows) {
    console.log(`  ${tool.padEnd(36)}${run.wallS.toFixed(1).padStart(7)}  ${(run.wallS / base.wallS).toFixed(2).padStart(6)}  ${((run.cpuS * 1000) / count).toFixed(0).padStart(23)}  ${run.rssMb.toFixed(0).padStart(12)}  ${String(stale).padStart(17)}${run.code ? `  (exit ${run.code})` : ''}`);
  }
  const noise = rows.flatMap((r) => r.run.stderr.split('\n').filter((l) => /Warning|\(node:\d+\)/.test(l)).map((l) => `${r.tool}: ${l}`));
  if (noise.length) console.log(`  Node printed:\n    ${noise.slice(0, 5).join('\n    ')}`);
}

async function benchCount(count: number): Promise<void> {
  const lab = await startLab({ name: `bench-remediation-${process.pid}`, count, flavor: 'systemd', bootTimeoutMs: 60_000 + count * 5_000 });
  const scratch = mkdtempSync('/tmp/remedy-bench-lab-');
  try {
    await quietRootShell(lab);
    const addresses = lab.hosts.map((h) => h.address).join('\n');
    const sshOpts = lab.sshArgs(lab.hosts[0]!).slice(0, -1);
    const rows: Row[] = [];
    const measure = async (tool: string, go: () => Promise<Timed>) => {
      await plant(lab);
      const run = await go();
      rows.push({ tool, run, stale: await staleHosts(lab) });
    };
    await measure(`OpenSSH (xargs -P ${count} ssh)`, () => timed(['xargs', '-P', String(count), '-I', '{}', 'ssh', ...sshOpts, 'root@{}', FLOOR_SH], addresses));
    const json = join(scratch, 'report.json');
    await measure(`remedy shared-libraries.yml (-f ${count})`, () => timed([process.execPath, join(ROOT, 'dist/bundle/main.js'), 'run', '-i', lab.inventoryFile, '-f', String(count), '--no-progress', '--json', json, join(ROOT, 'playbooks/shared-libraries.yml')]));
    if (spawnSync('ansible-playbook', ['--version']).status === 0) {
      const book = join(scratch, 'ansible.yml');
      writeFileSync(book, `- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: ${JSON.stringify(FLOOR_SH)}\n`);
      const env = { ...process.env, ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_NOCOLOR: '1' };
      await measure(`ansible-playbook (forks ${count})`, () => timed(['ansible-playbook', '-i', lab.inventoryFile, '-f', String(count), book], '', env));
    }
    print(count, rows);
    try {
      const report = JSON.parse(readFileSync(json, 'utf8')) as { summary?: Record<string, unknown> };
      console.log(`  remedy's report summary: ${JSON.stringify(report.summary ?? {})}`);
    } catch { /* printed above as its exit code */ }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await lab.down();
  }
}

export async function runLabRemediation(): Promise<void> {
  for (const count of (process.env.REMEDY_BENCH_LAB_HOSTS ?? '20').split(',').map(Number)) await benchCount(count);
}

export const bench = { name: 'lab-remediation', run: runLabRemediation };
