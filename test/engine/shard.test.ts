import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { inShard, shardOf } from '../../src/engine/shard.js';
import { planPlays } from '../../src/engine/run.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';

const names = [
  ...Array.from({ length: 300 }, (_, i) => `web${String(i + 1).padStart(3, '0')}.example.com`),
  'db1', 'h01', '10.0.0.7', 'ünïcode-host', 'a', '',
];

/** The shard formula the README gives, run by Python itself (hashlib), for every name and count at once. */
function pythonShards(counts: number[]): number[][] {
  const script = `import hashlib, json, sys
names, counts = json.load(sys.stdin)
print(json.dumps([[int.from_bytes(hashlib.sha256(n.encode()).digest()[:6], 'big') % c + 1 for n in names] for c in counts]))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify([names, counts]) }).toString()) as number[][];
}

describe('--shard: a stable subset by a hash of the host name', () => {
  it('matches the formula the README documents (computed by Python), for 1 to 7 shards', () => {
    const counts = [1, 2, 3, 4, 5, 7];
    const expected = pythonShards(counts);
    counts.forEach((count, i) => assert.deepEqual(names.map((n) => shardOf(n, count)), expected[i], `count ${count}`));
  });

  it('every host is in exactly one shard, and the shards are about even', () => {
    const count = 3;
    const sizes = [1, 2, 3].map((index) => names.filter((n) => inShard(n, { index, count })).length);
    assert.equal(sizes.reduce((a, b) => a + b, 0), names.length);
    for (const size of sizes) assert.ok(size > names.length / count / 2, `shard sizes ${sizes.join(', ')}`);
  });

  it('a host stays in its shard whatever the inventory order or size', () => {
    const inventory = (hosts: string[]) => parseInventoryText('i.yml', `all:\n  hosts:\n${hosts.map((h) => `    ${h}: {}`).join('\n')}\n`);
    const playbook = parsePlaybookText('p.yml', '- hosts: all\n  tasks: []\n');
    const small = names.slice(0, 50);
    const shard = { index: 2, count: 3 };
    const pick = (hosts: string[]) => new Set(planPlays([playbook], inventory(hosts), undefined, {}, shard)[0]!.hosts.map((h) => h.name));
    const inSmall = pick(small);
    const inReversed = pick([...small].reverse());
    const inBigger = pick(names.slice(0, 300));
    assert.deepEqual([...inReversed].sort(), [...inSmall].sort());
    for (const n of inSmall) assert.ok(inBigger.has(n), `${n} moved when the inventory grew`);
    assert.ok(inSmall.size > 0 && inSmall.size < small.length);
  });
});
