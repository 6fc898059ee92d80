/**
 * The facts probe on a host with 2,000 processes: starts sleepers on this machine (tracked by pid,
 * ended by pid), then times the probe through the local transport (one exec) and the parser.
 * Every sleeper preloads ~25 common libraries (about 30 mappings, like a real daemon), and a third
 * also map a library that is then replaced, so the parser has stale processes to find. Prints
 * times and sizes; asserts nothing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProbeScript } from '../../src/facts/probe.sh.js';
import { parseProbeOutput } from '../../src/facts/parse-facts.js';
import { createLocalTransport } from '../../src/transport/local.js';

const countProcesses = (): number => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length;

/** Libraries preloaded into every sleeper so each maps ~30 files, like a real daemon does. */
const TYPICAL_LIBS = [
  'libz.so.1', 'libcrypto.so.3', 'libssl.so.3', 'libsystemd.so.0', 'libselinux.so.1', 'libpcre2-8.so.0', 'liblzma.so.5',
  'libzstd.so.1', 'liblz4.so.1', 'libgcrypt.so.20', 'libgpg-error.so.0', 'libcap.so.2', 'libacl.so.1', 'libattr.so.1',
  'libblkid.so.1', 'libmount.so.1', 'libaudit.so.1', 'libcrypt.so.1', 'libkrb5.so.3', 'libk5crypto.so.3',
  'libgssapi_krb5.so.2', 'libkrb5support.so.0', 'libcom_err.so.2', 'libkeyutils.so.1', 'libexpat.so.1',
].map((l) => join('/usr/lib/x86_64-linux-gnu', l)).filter((p) => existsSync(p));

function compileLib(out: string): boolean {
  writeFileSync(`${out}.c`, 'int remedy_bench_marker(void) { return 1; }\n');
  return spawnSync('gcc', ['-shared', '-fPIC', '-o', out, `${out}.c`]).status === 0;
}

export interface ProbeBenchResult { processes: number; runs: number[]; bytes: number; parseMs: number; stale: number }

/** Runs the probe `runs` times with about `target` processes on this machine; prints and returns the numbers. */
export async function benchProbe(target = 2000, runs = 3): Promise<ProbeBenchResult> {
  const dir = mkdtempSync('/srv/remedy-bench-probe-');
  const children: ChildProcess[] = [];
  try {
    const lib = join(dir, 'libbench.so');
    const withLib = compileLib(lib);
    for (let i = 0; i < target * 2 && (i % 50 !== 0 || countProcesses() < target); i++) {
      const preload = [...TYPICAL_LIBS, ...(withLib && i % 3 === 0 ? [lib] : [])].join(':');
      const env = { ...process.env, LD_PRELOAD: preload };
      const c = spawn('/bin/sleep', ['900'], { stdio: 'ignore', env });
      c.on('error', () => undefined);
      children.push(c);
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 500));
    if (withLib) { compileLib(`${lib}.new`); renameSync(`${lib}.new`, lib); }
    const processes = countProcesses();
    const transport = createLocalTransport({ host: 'localhost', kind: 'local', address: 'localhost', become: false, extra: {} });
    const script = buildProbeScript();
    const times: number[] = [];
    let output = '';
    for (let i = 0; i < runs; i++) {
      const res = await transport.exec({ script, maxOutputBytes: 64 * 1024 * 1024, timeoutMs: 300_000 });
      times.push(res.durationMs);
      output = res.stdout;
    }
    const t0 = performance.now();
    const facts = parseProbeOutput(output);
    const parseMs = performance.now() - t0;
    const stalePids = facts.stale.reduce((n, s) => n + s.pids.length, 0);
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`processes on this machine: ${processes} (started ${children.length})`);
    console.log(`probe (one exec): median ${sorted[Math.floor(sorted.length / 2)]} ms, runs ${times.join(', ')} ms`);
    console.log(`output: ${(output.length / 1024).toFixed(0)} KiB; parse: ${parseMs.toFixed(0)} ms; processes scanned ${facts.processCount}; stale pids found ${stalePids}`);
    // The tools remedy is compared with, on the same processes (when installed), for a ratio.
    const median = sorted[Math.floor(sorted.length / 2)]!;
    for (const [label, argv] of [['needrestart -b -r l', ['needrestart', '-b', '-r', 'l']], ['lsof -nP', ['lsof', '-nP']]] as const) {
      const t1 = performance.now();
      const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 300_000 });
      if (r.error) continue;
      const ms = performance.now() - t1;
      console.log(`${label}: ${ms.toFixed(0)} ms on the same processes (probe / ${argv[0]} = ${(median / ms).toFixed(2)})`);
    }
    return { processes, runs: times, bytes: output.length, parseMs, stale: stalePids };
  } finally {
    for (const c of children) if (c.pid && c.exitCode === null) { try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ } }
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench = { name: 'probe', run: async (): Promise<void> => { await benchProbe(); } };
