/**
 * On real hosts: a serial run holds at most a batch's worth of SSH sessions. The established TCP
 * connections from this machine to the lab hosts' sshd are counted (/proc/net/tcp) when each batch
 * starts, while the run goes on through remedy's SSH transport with host locks.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { useLab } from '../lab/use-lab.js';
import { runPlaybooks } from '../../src/engine/index.js';
import { loadInventory } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { createTransport, SshPool } from '../../src/transport/index.js';

/** "127.0.1.2:22" as /proc/net/tcp writes it (little-endian hex). */
function procNetAddress(address: string, port: number): string {
  const hex = address.split('.').reverse().map((b) => Number(b).toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${hex}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** Established connections to each address's port 22, by address. */
function sessionsTo(addresses: string[]): Record<string, number> {
  const wanted = new Map(addresses.map((a) => [procNetAddress(a, 22), a]));
  const counts: Record<string, number> = Object.fromEntries(addresses.map((a) => [a, 0]));
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const to = wanted.get(f[2] ?? '');
    if (to && f[3] === '01') counts[to]!++;
  }
  return counts;
}

describe('engine on the lab: a serial run holds at most a batch of SSH sessions', function () {
  this.timeout(240_000);
  const testLab = useLab(this, { name: 'disconnect', count: 4, flavor: 'systemd' });

  it('each batch starts with the previous batches disconnected and their locks released', async () => {
    const addresses = testLab.lab.hosts.map((h) => h.address);
    assert.deepEqual(Object.values(sessionsTo(addresses)), [0, 0, 0, 0]);
    const inventory = await loadInventory(testLab.lab.inventoryFile);
    const pool = new SshPool({ sshConfig: null, agentSocket: null });
    const atBatch: number[][] = [];
    let most = 0;
    const yaml = '- hosts: all\n  serial: 2\n  tasks:\n    - command: "true"\n    - command: "true"\n';
    const report = await runPlaybooks({
      playbooks: [parsePlaybookText('serial.yml', yaml)], inventory, forks: 4,
      transportFor: (spec) => createTransport(spec, { pool }), hostLock: { waitSeconds: 0 },
    }, (e) => {
      if (e.type === 'batch-start') atBatch.push(Object.values(sessionsTo(addresses)));
      if (e.type === 'task-result') most = Math.max(most, Object.values(sessionsTo(addresses)).filter((n) => n > 0).length);
    });
    await pool.closeAll();
    assert.deepEqual(report.hosts.map((h) => h.status), ['changed', 'changed', 'changed', 'changed']);
    // Batch 1 starts with nothing open; batch 2 starts once batch 1's two hosts were let go.
    assert.deepEqual(atBatch, [[0, 0, 0, 0], [0, 0, 0, 0]]);
    assert.equal(most, 2, 'hosts connected at once while tasks ran');
    assert.deepEqual(Object.values(sessionsTo(addresses)), [0, 0, 0, 0]);
    // The lock each host held during its batch was released: a new run takes every lock at once.
    const again = await runPlaybooks({
      playbooks: [parsePlaybookText('again.yml', '- hosts: all\n  tasks:\n    - command: "true"\n')], inventory, forks: 4,
      transportFor: (spec) => createTransport(spec, { sshConfig: null }), hostLock: { waitSeconds: 0 },
    }, () => undefined);
    assert.deepEqual(again.hosts.map((h) => h.status), ['changed', 'changed', 'changed', 'changed']);
  });
});
