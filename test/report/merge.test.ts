import { strict as assert } from 'node:assert';
import type { HostReport, RunReport } from '../../src/model/results.js';
import { mergeReports, missingShards } from '../../src/report/merge.js';
import { compiledSchema } from '../../src/config/schema.js';
import { db1, report, web01, web02 } from './fixtures.js';

const shard = (index: number, hosts: HostReport[], extra: Partial<RunReport> = {}): { file: string; report: RunReport } =>
  ({ file: `s${index}.json`, report: report(hosts, { shard: { index, count: 3 }, runId: `run-${index}`, ...extra }) });

const notReached: HostReport = { ...web01, name: 'app9', status: 'not-reached', steps: [], restarted: [], notReached: { reason: 'deadline', play: 'services' } };

describe('remedy report merge: the shards of one run as one report', () => {
  it('hosts in name order, the summary recomputed, run-level fields combined', () => {
    const parts = [
      shard(2, [web02, notReached], { startedAt: '2026-11-21T20:00:05.000Z', finishedAt: '2026-11-21T20:10:00.000Z', deadline: '2026-11-21T21:00:00.000Z',
        stopped: { reason: 'deadline', message: 'm', at: '2026-11-21T20:09:00.000Z' }, maxFail: { value: 10, unit: 'percent', failed: 1, crossed: false } }),
      shard(1, [web01, db1], { startedAt: '2026-11-21T20:00:01.000Z', finishedAt: '2026-11-21T20:05:00.000Z', deadline: '2026-11-21T21:00:01.000Z',
        maxFail: { value: 10, unit: 'percent', failed: 1, crossed: true } }),
      shard(3, [], { interrupted: true }),
    ];
    const m = mergeReports(parts);
    assert.deepEqual(m.hosts.map((h) => h.name), ['app9', 'db1', 'web01', 'web02']);
    assert.deepEqual(m.summary, { hosts: 4, ok: 0, changed: 1, failed: 1, unreachable: 1, locked: 0, notReached: 1, rebootRequired: ['web02'] });
    assert.deepEqual([m.startedAt, m.finishedAt, m.deadline], ['2026-11-21T20:00:00.000Z', '2026-11-21T20:10:00.000Z', '2026-11-21T21:00:01.000Z']);
    assert.deepEqual(m.shards, { count: 3, present: [1, 2, 3] });
    assert.deepEqual(m.maxFail, { value: 10, unit: 'percent', failed: 2, crossed: true });
    assert.equal(m.stopped?.reason, 'deadline');
    assert.equal(m.interrupted, true);
    assert.equal(m.shard, undefined);
    assert.equal(m.runId, undefined);
    const validate = compiledSchema('report');
    assert.ok(validate(JSON.parse(JSON.stringify(m))), JSON.stringify(validate.errors));
    assert.deepEqual(missingShards(m), []);
  });

  it('the order of the inputs does not matter', () => {
    const a = shard(1, [web01]);
    const b = shard(2, [db1]);
    const c = shard(3, [web02]);
    assert.deepEqual(mergeReports([c, a, b]), mergeReports([a, b, c]));
  });

  it('a missing shard is said (missingShards); merged reports merge again', () => {
    const m = mergeReports([shard(1, [web01]), shard(3, [db1])]);
    assert.deepEqual([m.shards, missingShards(m)], [{ count: 3, present: [1, 3] }, [2]]);
    const all = mergeReports([{ file: 'm.json', report: m }, shard(2, [web02])]);
    assert.deepEqual([all.shards, all.hosts.map((h) => h.name)], [{ count: 3, present: [1, 2, 3] }, ['db1', 'web01', 'web02']]);
  });

  it('parts that cannot be one run are a usage error naming the files', () => {
    const cases: Array<[string, Array<{ file: string; report: RunReport }>, RegExp]> = [
      ['a host twice', [shard(1, [web01]), shard(2, [web01])], /host 'web01' is in both s1\.json and s2\.json: the parts overlap/],
      ['a shard twice', [shard(1, [web01]), { ...shard(1, [db1]), file: 'again.json' }], /shard 1\/3 is in both s1\.json and again\.json/],
      ['splits of different sizes', [shard(1, [web01]), { file: 'x.json', report: report([db1], { shard: { index: 1, count: 2 } }) }], /x\.json is a shard of 2 and s1\.json of 3/],
      ['check and not', [shard(1, [web01]), shard(2, [db1], { check: true })], /s2\.json is a check-mode run and s1\.json is not/],
      ['other playbooks', [shard(1, [web01]), shard(2, [db1], { playbooks: ['other.yml'] })], /s2\.json ran other\.yml and s1\.json ran playbooks\/services\.yml/],
      ['a shard and a whole run', [shard(1, [web01]), { file: 'whole.json', report: report([db1]) }], /whole\.json is not a shard \(--shard\) and s1\.json is/],
      ['nothing', [], /no reports to merge/],
    ];
    for (const [what, parts, message] of cases) assert.throws(() => mergeReports(parts), (e: Error) => e.name === 'UsageError' && message.test(e.message), what);
  });

  it('reports without shards (e.g. split by --limit) merge too, as long as no host is twice', () => {
    const m = mergeReports([{ file: 'a.json', report: report([web02]) }, { file: 'b.json', report: report([web01]) }]);
    assert.deepEqual([m.hosts.map((h) => h.name), m.shards], [['web01', 'web02'], undefined]);
  });
});
