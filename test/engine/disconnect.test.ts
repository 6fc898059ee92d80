import { strict as assert } from 'node:assert';
import { runPlaybooks } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { createLocalTransport } from '../../src/transport/local.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import type { RunEvent } from '../../src/model/events.js';
import type { Transport } from '../../src/transport/transport.js';

/** Real local transports, with which of them are connected at each moment (by host). */
function countingTransports() {
  const open = new Set<string>();
  const connects = new Map<string, number>();
  let most = 0;
  const transportFor = (spec: ConnectionSpec): Transport => {
    const inner = createLocalTransport(spec);
    let name = '';
    return {
      get host() { return inner.host; },
      async connect() {
        await inner.connect();
        name = inner.host;
        open.add(name);
        connects.set(name, (connects.get(name) ?? 0) + 1);
        most = Math.max(most, open.size);
      },
      exec: (req) => inner.exec(req),
      put: (path, content, mode) => inner.put(path, content, mode),
      async close() {
        open.delete(name);
        await inner.close();
      },
    };
  };
  return { transportFor, open, connects, most: () => most };
}

async function run(yaml: string, names: string[]) {
  const counting = countingTransports();
  const events: RunEvent[] = [];
  const openAtBatch: string[][] = [];
  const hosts = names.map((n) => `    ${n}: { ansible_connection: local, ansible_host: ${n} }`).join('\n');
  const report = await runPlaybooks({
    playbooks: [parsePlaybookText('play.yml', yaml)],
    inventory: parseInventoryText('inv.yml', `all:\n  hosts:\n${hosts}\n`),
    transportFor: counting.transportFor,
  }, (e) => {
    events.push(e);
    if (e.type === 'batch-start' || e.type === 'play-start') openAtBatch.push([...counting.open].sort());
  });
  return { report, events, openAtBatch, counting };
}

describe('engine: a host is disconnected when its work ends', function () {
  this.timeout(60_000);

  it('serial: each batch\'s hosts are disconnected before the next batch starts, so at most a batch is connected', async () => {
    const { report, openAtBatch, counting } = await run('- hosts: all\n  serial: 2\n  tasks:\n    - command: "true"\n    - command: "true"\n', ['h1', 'h2', 'h3', 'h4', 'h5']);
    assert.deepEqual(report.hosts.map((h) => h.status), ['changed', 'changed', 'changed', 'changed', 'changed']);
    assert.deepEqual(openAtBatch, [[], [], [], []], 'play start and three batch starts');
    assert.equal(counting.most(), 2);
    assert.deepEqual([...counting.connects.values()], [1, 1, 1, 1, 1]);
    assert.equal(counting.open.size, 0);
  });

  it('a host in a later play keeps its one connection until that play; a failed host is let go after its batch', async () => {
    const yaml = [
      '- name: first', '  hosts: all', '  serial: 2', '  tasks:', '    - shell: "test {{ inventory_hostname }} != h2"',
      '- name: second', '  hosts: h1:h2', '  tasks:', '    - command: "true"', '',
    ].join('\n');
    const { report, events, openAtBatch, counting } = await run(yaml, ['h1', 'h2', 'h3', 'h4']);
    assert.deepEqual(report.hosts.map((h) => h.status), ['changed', 'failed', 'changed', 'changed']);
    assert.equal(report.hosts[0]!.steps.length, 2, 'h1 ran both plays');
    const starts = events.flatMap((e) => (e.type === 'play-start' || e.type === 'batch-start' ? [`${e.type} ${e.play}`] : []));
    assert.deepEqual(starts, ['play-start first', 'batch-start first', 'batch-start first', 'play-start second']);
    // h2 failed and h3, h4 are in no later play: only h1 is still connected when the second play starts.
    assert.deepEqual(openAtBatch, [[], [], ['h1'], ['h1']]);
    assert.deepEqual(Object.fromEntries(counting.connects), { h1: 1, h2: 1, h3: 1, h4: 1 });
    assert.equal(counting.open.size, 0);
  });
});
