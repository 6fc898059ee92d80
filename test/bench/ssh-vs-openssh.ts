/**
 * Benchmark (not a test): one command across the lab's N hosts through remedy's SSH transport, through
 * the whole engine, and with `xargs -P N ssh ...` (the floor: OpenSSH, one process per host).
 * Prints the median wall time of each, their ratio to OpenSSH, and peak RSS. No assertions.
 * REMEDY_BENCH_HOSTS (default 8) and REMEDY_BENCH_ROUNDS (default 3) tune it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { type Lab, startLab, stopLab, findLab } from '../lab/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const COMMAND = 'uname -r';

interface Sample {
  /** Wall time of the whole process (node start and TypeScript loading included for remedy). */
  wallMs: number;
  /** Time spent connecting and running, as measured inside the process (= wallMs for OpenSSH). */
  ms: number;
  rssKb: number;
  ok: number;
  failed: number;
  error?: string;
}

/** Runs argv under GNU time; returns wall ms (measured here unless the worker reports its own) and max RSS. */
function timed(argv: string[], input?: string): Promise<{ ms: number; rssKb: number; stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'REMEDY-RSS=%M', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const m = /REMEDY-RSS=(\d+)/.exec(stderr);
      resolve({ ms, rssKb: m ? Number(m[1]) : 0, stdout, stderr: stderr.replace(/REMEDY-RSS=\d+\n?/, ''), code });
    });
    child.stdin.end(input ?? '');
  });
}

async function runWorker(mode: 'transport' | 'engine', lab: Lab): Promise<Sample> {
  const job = {
    hosts: lab.hosts.map((h) => ({ name: h.name, address: h.address })),
    keyFile: lab.keyFile,
    knownHostsFile: lab.knownHostsFile,
    inventoryFile: lab.inventoryFile,
    command: COMMAND,
  };
  const r = await timed([process.execPath, '--import', 'tsx', join(HERE, 'ssh-worker.ts'), mode, JSON.stringify(job)]);
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  const out = JSON.parse(line.startsWith('{') ? line : '{}') as { ms?: number; ok?: number; failed?: number; error?: string };
  if (out.error || out.ms === undefined) {
    return { wallMs: r.ms, ms: NaN, rssKb: r.rssKb, ok: 0, failed: job.hosts.length, error: out.error ?? r.stderr.trim().slice(0, 300) };
  }
  return { wallMs: r.ms, ms: out.ms, rssKb: r.rssKb, ok: out.ok ?? 0, failed: out.failed ?? 0 };
}

async function runOpenssh(lab: Lab): Promise<Sample> {
  const args = lab.sshArgs(lab.hosts[0]!).slice(0, -1); // options without the destination
  const input = lab.hosts.map((h) => `root@${h.address}\n`).join('');
  const r = await timed(['xargs', '-P', String(lab.hosts.length), '-I', '{}', 'ssh', ...args, '{}', COMMAND], input);
  const ok = r.stdout.trim() === '' ? 0 : r.stdout.trim().split('\n').length;
  return { wallMs: r.ms, ms: r.ms, rssKb: r.rssKb, ok, failed: lab.hosts.length - ok, ...(r.code === 0 ? {} : { error: r.stderr.trim().slice(0, 300) }) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export async function runSshVsOpenssh(): Promise<void> {
  const count = Number(process.env.REMEDY_BENCH_HOSTS ?? 8);
  const rounds = Number(process.env.REMEDY_BENCH_ROUNDS ?? 3);
  const name = 'bench-ssh';
  if (await findLab(name)) await stopLab(name);
  console.log(`ssh-vs-openssh: starting a lab of ${count} hosts…`);
  const lab = await startLab({ name, count, flavor: 'systemd' });
  try {
    const rows: [string, Sample[]][] = [['openssh (xargs -P N ssh)', []], ['remedy transport', []], ['remedy engine', []]];
    for (let i = 0; i < rounds; i++) {
      rows[0]![1].push(await runOpenssh(lab));
      rows[1]![1].push(await runWorker('transport', lab));
      rows[2]![1].push(await runWorker('engine', lab));
    }
    const floor = median(rows[0]![1].map((s) => s.ms));
    const floorWall = median(rows[0]![1].map((s) => s.wallMs));
    console.log(`\nssh-vs-openssh: \`${COMMAND}\` on ${count} lab hosts, median of ${rounds} rounds`);
    console.log('  variant                     connect+run ms  ratio   process wall ms  ratio   peak RSS MB   hosts ok');
    for (const [label, samples] of rows) {
      const ms = median(samples.map((s) => s.ms));
      const wall = median(samples.map((s) => s.wallMs));
      const rss = Math.max(...samples.map((s) => s.rssKb)) / 1024;
      const ok = Math.min(...samples.map((s) => s.ok));
      const err = samples.find((s) => s.error)?.error;
      console.log(`  ${label.padEnd(26)}  ${ms.toFixed(0).padStart(14)}  ${(ms / floor).toFixed(2).padStart(5)}   ${wall.toFixed(0).padStart(15)}  ${(wall / floorWall).toFixed(2).padStart(5)}   ${rss.toFixed(1).padStart(11)}   ${ok}/${count}${err ? `  (${err})` : ''}`);
    }
    console.log('  (connect+run: measured inside remedy\'s process, without node start-up and TypeScript loading; process wall: all of it)');
    console.log('  (peak RSS: remedy = its one node process; openssh = the largest single ssh/xargs process, N run at once)');
  } finally {
    await lab.down();
  }
}

export const bench = { name: 'ssh-vs-openssh', run: runSshVsOpenssh };
