/**
 * One timed run for ssh-vs-openssh, in its own process so that its peak RSS is its own:
 *   node --import tsx test/bench/ssh-worker.ts transport|engine '<json>'
 * Prints one JSON line: { ms, ok, failed } or { error }.
 */
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { SshPool } from '../../src/transport/pool.js';

interface Job {
  hosts: { name: string; address: string }[];
  keyFile: string;
  knownHostsFile: string;
  inventoryFile: string;
  command: string;
  handshakeConcurrency?: number;
}

async function viaTransport(job: Job): Promise<{ ok: number; failed: number }> {
  const pool = new SshPool({ sshConfig: null, agentSocket: null, handshakeConcurrency: job.handshakeConcurrency });
  const spec = (h: { name: string; address: string }): ConnectionSpec => ({
    host: h.name, kind: 'ssh', address: h.address, port: 22, user: 'root', privateKeyFile: job.keyFile,
    knownHostsFile: job.knownHostsFile, hostKeyChecking: 'yes', become: false, extra: {},
  });
  const results = await Promise.allSettled(job.hosts.map((h) => pool.get(spec(h)).exec({ script: job.command })));
  await pool.closeAll();
  const ok = results.filter((r) => r.status === 'fulfilled' && r.value.exitCode === 0).length;
  return { ok, failed: results.length - ok };
}

async function viaEngine(job: Job): Promise<{ ok: number; failed: number }> {
  const { runPlaybooks } = await import('../../src/engine/index.js');
  const { loadInventory } = await import('../../src/inventory/index.js');
  const { parsePlaybookText } = await import('../../src/config/index.js');
  const inventory = await loadInventory(job.inventoryFile);
  const text = `- name: bench\n  hosts: all\n  tasks:\n    - name: one command\n      shell: ${JSON.stringify(job.command)}\n`;
  const playbook = parsePlaybookText('bench.yml', text);
  const pool = new SshPool({ sshConfig: null, agentSocket: null, handshakeConcurrency: job.handshakeConcurrency });
  const report = await runPlaybooks(
    { playbooks: [playbook], inventory, forks: job.hosts.length, transportFor: (spec) => pool.get(spec) },
    () => undefined,
  );
  await pool.closeAll();
  const ok = report.hosts.filter((h) => h.status === 'ok' || h.status === 'changed').length;
  return { ok, failed: report.hosts.length - ok };
}

const [mode, raw] = process.argv.slice(2);
const job = JSON.parse(raw ?? '{}') as Job;
const started = performance.now();
try {
  const counts = mode === 'engine' ? await viaEngine(job) : await viaTransport(job);
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, ...counts })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
}
