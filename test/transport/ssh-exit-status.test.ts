/**
 * Regression: a fast command's data, exit-status and close can arrive in the same packet as the
 * channel-open confirmation; ssh2 emits them before an awaiting caller resumes. The transport lost
 * the exit code of about 1 exec in 40 on the lab (exitCode null with the right stdout).
 */
import assert from 'node:assert/strict';
import { connectionFor, loadInventory } from '../../src/inventory/index.js';
import { createTransport } from '../../src/transport/index.js';
import { startLab, type Lab, suiteLabName } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';

describe('ssh transport: exit codes of fast commands (lab)', function () {
  this.timeout(180_000);
  let lab: Lab | undefined;

  before(async function () {
    if (!requireLab(this)) return;
    lab = await startLab({ name: suiteLabName('ssh-exit-tests'), count: 8, flavor: 'systemd' });
  });

  after(async () => {
    await lab?.down();
  });

  it('every exec reports the exit code the host returned, across fresh connections', async () => {
    assert.ok(lab, 'the lab did not start');
    const inventory = await loadInventory(lab.inventoryFile);
    const lost: string[] = [];
    let total = 0;
    for (let round = 0; round < 40; round++) {
      const transports = inventory.hosts.map((h) => createTransport(connectionFor(h), { sshConfig: null }));
      const results = await Promise.all(transports.map(async (t, i) => {
        await t.connect();
        return t.exec({ script: `uname -r; exit ${i + 1}` });
      }));
      results.forEach((r, i) => {
        total++;
        if (r.exitCode !== i + 1) lost.push(`round ${round} host ${i}: exitCode ${r.exitCode}, stdout ${JSON.stringify(r.stdout)}`);
      });
      await Promise.all(transports.map((t) => t.close()));
    }
    assert.deepEqual(lost, [], `${lost.length} of ${total} execs lost their exit code`);
  });
});
