import { strict as assert } from 'node:assert';
import { runPlaybooks } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { createLocalTransport } from '../../src/transport/local.js';
import type { RunEvent } from '../../src/model/events.js';

describe('engine: a command that prints more than remedy keeps', function () {
  this.timeout(30_000);

  it('is cut at the bound, and says so in its message and in what register keeps', async () => {
    const events: RunEvent[] = [];
    await runPlaybooks({
      playbooks: [parsePlaybookText('p.yml', `
- hosts: all
  tasks:
    - name: flood
      shell: "head -c 3000000 /dev/zero | tr '\\\\0' x"
      register: out
    - name: look
      debug: { msg: "{{ out.stdout | length }} {{ out.truncated }}" }
`)],
      inventory: parseInventoryText('i.yml', 'all:\n  hosts:\n    h: { ansible_connection: local }\n'),
      transportFor: createLocalTransport,
    }, (e) => events.push(e));
    const results = new Map(events.flatMap((e) => (e.type === 'task-result' ? [[e.task, e.result] as const] : [])));
    assert.equal(results.get('flood')?.status, 'changed');
    assert.match(results.get('flood')?.message ?? '', /output cut: the command printed more than remedy keeps \(1 MiB each of stdout and stderr\)/);
    assert.equal(results.get('look')?.message, '1048576 True');
  });
});
