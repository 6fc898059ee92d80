/**
 * Benchmark (not a test): the controller at scale. The same light work (one `true` per host) on N
 * scale-harness hosts (scale-harness.ts: loopback addresses from 127.0.3.1, one sshd), side by side:
 * the floor (OpenSSH, `xargs -P forks ssh`), remedy (`remedy run`, the built CLI) and ansible-playbook
 * when it is installed (at most REMEDY_BENCH_SCALE_ANSIBLE_MAX hosts, default 1,000). Prints wall time,
 * controller CPU per host (user + sys of the whole process tree), peak RSS and ratios to the floor.
 *   REMEDY_BENCH_SCALE_HOSTS   host counts, comma separated (default 1000)
 *   REMEDY_BENCH_SCALE_FORKS   sessions at once for every tool (default 100)
 *   REMEDY_BENCH_SCALE_SERIAL  remedy's and Ansible's batch size (default: 1,000 above 1,000 hosts)
 *   REMEDY_BENCH_SCALE_TOOLS   which to run, comma separated: openssh,remedy,remedy-live,ansible (default all; the
 *                              ratios need openssh, which takes about 100 s per 1,000 hosts)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCALE_DIR, startScaleHarness, type ScaleHarness } from './scale-harness.js';
import { timed } from './timed.js';
import { shellJoin } from '../../src/model/shell-quote.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Row { tool: string; wallS: number; cpuS: number; rssMb: number; reached: number; note?: string }

function playbook(count: number, serial: number | undefined): string {
  const file = join(SCALE_DIR, `playbook-${count}.yml`);
  writeFileSync(file, [
    '- name: scale', '  hosts: all', '  gather_facts: false', ...(serial ? [`  serial: ${serial}`] : []),
    '  tasks:', '    - name: one command', '      command: "true"', '',
  ].join('\n'));
  return file;
}

async function floor(h: ScaleHarness, forks: number): Promise<Row> {
  const r = await timed(['xargs', '-P', String(forks), '-I', '{}', 'ssh', ...h.sshOptions, '{}', 'true && echo reached'], h.addresses.join('\n'));
  return { tool: `OpenSSH (xargs -P ${forks} ssh)`, wallS: r.wallS, cpuS: r.cpuS, rssMb: r.rssMb, reached: r.stdout.split('\n').filter((l) => l === 'reached').length };
}

/**
 * remedy on the harness: the plain log (`--no-progress`) or, with `live`, the live view on a terminal
 * (`script` gives it a pty of 120x40). Besides the totals: the longest pause in its output (the live
 * view redraws every 250 ms: a long pause is a frozen screen) and the time from the END line to the exit
 * (the table and the JSON report being written).
 */
async function remedy(h: ScaleHarness, forks: number, book: string, live: boolean): Promise<Row> {
  const json = join(SCALE_DIR, 'report.json');
  rmSync(json, { force: true });
  const argv = [process.execPath, join(ROOT, 'dist/bundle/main.js'), 'run', '-i', h.inventoryFile, '-f', String(forks), ...(live ? [] : ['--no-progress']), '--json', json, book];
  const quoted = shellJoin(argv);
  const r = live
    ? await timed(['script', '-qec', `stty cols 120 rows 40; exec ${quoted}`, '/dev/null'], '', { ...process.env, TERM: 'xterm-256color' }, /END: /)
    : await timed(argv, '', process.env, /END: /);
  let reached = 0;
  try {
    const report = JSON.parse(readFileSync(json, 'utf8')) as { hosts: Array<{ status: string }> };
    reached = report.hosts.filter((x) => x.status === 'ok' || x.status === 'changed').length;
  } catch { /* counted as none */ }
  const warnings = `${r.stderr}\n${live ? r.stdout : ''}`.split('\n').filter((l) => /Warning|Error/.test(l)).slice(0, 2).join(' | ');
  const responsive = `longest pause in output ${r.longestPauseS.toFixed(2)} s, END to exit ${r.afterMarkerS?.toFixed(2) ?? '?'} s`;
  return { tool: `remedy run, ${live ? 'live view' : 'plain log'} (forks ${forks})`, wallS: r.wallS, cpuS: r.cpuS, rssMb: r.rssMb, reached, note: warnings ? `${responsive}; ${warnings}` : responsive };
}

async function ansible(h: ScaleHarness, forks: number, book: string): Promise<Row> {
  const env = { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_NOCOLOR: '1' };
  const r = await timed(['ansible-playbook', '-i', h.inventoryFile, '-f', String(forks), book], '', env);
  const reached = r.stdout.split('\n').filter((l) => / : ok=\d+ .*unreachable=0\s+failed=0/.test(l)).length;
  return { tool: `ansible-playbook (forks ${forks})`, wallS: r.wallS, cpuS: r.cpuS, rssMb: r.rssMb, reached };
}

function print(count: number, rows: Row[]): void {
  const base = rows.find((r) => r.tool.startsWith('OpenSSH')) ?? { wallS: NaN, cpuS: NaN };
  console.log(`\nscale: one \`true\` on each of ${count} harness hosts (one sshd on this machine), ${new Date().toISOString().slice(0, 10)}, ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores`);
  console.log('  tool                                      wall s   ratio   controller CPU ms/host   ratio   peak RSS MB   hosts reached');
  for (const r of rows) {
    const perHost = (r.cpuS * 1000) / count;
    console.log(`  ${r.tool.padEnd(40)}${r.wallS.toFixed(1).padStart(7)}  ${(r.wallS / base.wallS).toFixed(2).padStart(6)}  ${perHost.toFixed(1).padStart(23)}  ${(r.cpuS / base.cpuS).toFixed(2).padStart(6)}  ${r.rssMb.toFixed(0).padStart(12)}  ${`${r.reached}/${count}`.padStart(14)}${r.note ? `  (${r.note})` : ''}`);
  }
  console.log('  (controller CPU: user + sys of the tool\'s whole process tree; peak RSS: its largest process — for OpenSSH one ssh of the N)');
}

export async function runScale(): Promise<void> {
  const counts = (process.env.REMEDY_BENCH_SCALE_HOSTS ?? '1000').split(',').map(Number);
  const forks = Number(process.env.REMEDY_BENCH_SCALE_FORKS ?? 100);
  const ansibleMax = Number(process.env.REMEDY_BENCH_SCALE_ANSIBLE_MAX ?? 1000);
  const haveAnsible = spawnSync('ansible-playbook', ['--version']).status === 0;
  for (const count of counts) {
    const serial = process.env.REMEDY_BENCH_SCALE_SERIAL ? Number(process.env.REMEDY_BENCH_SCALE_SERIAL) : count > 1000 ? 1000 : undefined;
    const h = await startScaleHarness(count);
    try {
      const book = playbook(count, serial);
      const tools = (process.env.REMEDY_BENCH_SCALE_TOOLS ?? 'openssh,remedy,remedy-live,ansible').split(',');
      const rows: Row[] = [];
      if (tools.includes('openssh')) rows.push(await floor(h, forks));
      if (tools.includes('remedy')) rows.push(await remedy(h, forks, book, false));
      if (tools.includes('remedy-live')) rows.push(await remedy(h, forks, book, true));
      if (tools.includes('ansible') && haveAnsible && count <= ansibleMax) rows.push(await ansible(h, forks, book));
      print(count, rows);
      if (serial) console.log(`  (remedy and Ansible in batches of ${serial}: serial)`);
    } finally {
      await h.stop();
    }
  }
}

export const bench = { name: 'scale', run: runScale };
