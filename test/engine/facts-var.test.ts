import { strict as assert } from 'node:assert';
import { runPlaybooks } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { createLocalTransport } from '../../src/transport/local.js';
import type { RunEvent } from '../../src/model/events.js';
import type { StepResult } from '../../src/model/results.js';

async function run(yaml: string): Promise<Map<string, StepResult>> {
  const events: RunEvent[] = [];
  await runPlaybooks({
    playbooks: [parsePlaybookText('play.yml', yaml)],
    inventory: parseInventoryText('inv.yml', 'all:\n  hosts:\n    localhost: { ansible_connection: local }\n'),
    transportFor: createLocalTransport,
  }, (e) => events.push(e));
  return new Map(events.flatMap((e) => (e.type === 'task-result' ? [[e.task, e.result] as const] : [])));
}

describe('engine: the host facts variable remedy_facts', function () {
  this.timeout(30_000);

  it('is undefined before any scan, the typed facts after gather_facts, and survives into later plays', async () => {
    const r = await run(`
- hosts: all
  tasks:
    - name: before
      debug: { msg: "{{ remedy_facts is defined }}" }
    - gather_facts:
    - name: after
      debug: { msg: "{{ remedy_facts.os.family }} {{ remedy_facts.stale is iterable }}" }
- hosts: all
  tasks:
    - name: next play
      debug: { msg: "{{ remedy_facts.os.bootId | length }}" }
`);
    assert.equal(r.get('before')?.message, 'false');
    assert.match(r.get('after')?.message ?? '', /^(dpkg|rpm|unknown) True$/);
    assert.equal(r.get('next play')?.message, '36');
  });

  it('is read-only: register and set_fact of remedy_facts fail the task', async () => {
    const r = await run(`
- hosts: all
  tasks:
    - name: register it
      command: ['true']
      register: remedy_facts
      ignore_errors: true
    - name: set it
      set_fact: { remedy_facts: { stale: [] } }
`);
    assert.equal(r.get('register it')?.status, 'failed');
    assert.match(r.get('register it')?.message ?? '', /register: remedy_facts is read-only/);
    assert.equal(r.get('set it')?.status, 'failed');
    assert.match(r.get('set it')?.message ?? '', /set_fact: remedy_facts is read-only/);
  });
});
