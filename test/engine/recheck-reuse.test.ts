/**
 * recheck keeps the last scan when no step changed the host since (issue 14: scan once, read again only
 * what changed), and probes again when a step changed it or may have. Real probes on this machine
 * through the local transport, counted.
 */
import { strict as assert } from 'node:assert';
import { runPlaybooks } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { createLocalTransport } from '../../src/transport/local.js';
import type { RunEvent } from '../../src/model/events.js';
import type { StepResult } from '../../src/model/results.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';

interface Ran { results: Map<string, StepResult>; probes: number }

async function run(tasks: string, check = false): Promise<Ran> {
  const events: RunEvent[] = [];
  let probes = 0;
  const transportFor = (spec: ConnectionSpec) => {
    const inner = createLocalTransport(spec);
    return { ...inner, host: inner.host, exec: (req: Parameters<typeof inner.exec>[0]) => {
      if (req.script?.includes('@@%s')) probes++;
      return inner.exec(req);
    } };
  };
  await runPlaybooks({
    playbooks: [parsePlaybookText('play.yml', `- hosts: all\n  tasks:\n${tasks}`)],
    inventory: parseInventoryText('inv.yml', 'all:\n  hosts:\n    localhost: { ansible_connection: local }\n'),
    transportFor,
    check,
  }, (e) => events.push(e));
  return { results: new Map(events.flatMap((e) => (e.type === 'task-result' ? [[e.task, e.result] as const] : []))), probes };
}

const reused = (r: Ran) => r.results.get('again')?.data?.['reused'] === true;

describe('engine: recheck reuses the scan when nothing changed the host', function () {
  this.timeout(60_000);

  it('keeps the scan after read-only steps, and says so', async () => {
    const r = await run('    - gather_facts:\n    - debug: { msg: hi }\n    - name: again\n      recheck:\n');
    assert.equal(r.probes, 1);
    assert.ok(reused(r));
    assert.match(r.results.get('again')?.message ?? '', /kept from earlier: no step has changed the host since/);
    assert.equal(r.results.get('again')?.status, 'ok');
  });

  it('probes again after a task that changed the host, even one that says it did not (changed_when: false)', async () => {
    const changed = await run('    - gather_facts:\n    - shell: "true"\n    - name: again\n      recheck:\n');
    assert.equal(changed.probes, 2);
    assert.ok(!reused(changed));
    const hidden = await run('    - gather_facts:\n    - shell: "true"\n      changed_when: false\n    - name: again\n      recheck:\n');
    assert.equal(hidden.probes, 2);
  });

  it('probes again after a task that failed (it may have changed the host in part)', async () => {
    const r = await run('    - gather_facts:\n    - shell: "exit 3"\n      ignore_errors: true\n    - name: again\n      recheck:\n');
    assert.equal(r.probes, 2);
    assert.ok(!reused(r));
  });

  it('probes again when the scan asks for other settings (library_glob, core_extra, ignore)', async () => {
    const r = await run('    - gather_facts: { library_glob: "libz.so*" }\n    - name: again\n      recheck:\n');
    assert.equal(r.probes, 2);
    const same = await run('    - gather_facts: { library_glob: "libz.so*" }\n    - name: again\n      recheck: { library_glob: "libz.so*" }\n');
    assert.equal(same.probes, 1);
  });

  it('gather_facts always probes; in check mode a remediation changes nothing, so recheck keeps its scan', async () => {
    const g = await run('    - gather_facts:\n    - name: again\n      gather_facts:\n');
    assert.equal(g.probes, 2);
    const c = await run('    - gather_facts:\n    - restart_services: {}\n    - name: again\n      recheck:\n', true);
    assert.equal(c.probes, 1);
    assert.ok(reused(c));
  });
});
