import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJsonReport } from '../../src/report/json-report.js';
import type { HostReport, RunReport } from '../../src/model/results.js';
import { mergeReports } from '../../src/report/merge.js';
import { renderReport } from '../../src/report/render.js';
import { db1, report, web01, web02 } from '../report/fixtures.js';
import { parseJunit } from '../report/consumers.js';
import { remedy, scratch } from './run-cli.js';

const ok: HostReport = { ...web01, name: 'ok1', status: 'ok', rebootRequired: true, rebootReasons: [{ kind: 'kernel-pending', detail: 'x' }] };
const part = (index: number, hosts: HostReport[]): string => formatJsonReport(report(hosts, { shard: { index, count: 3 } }));

describe('remedy report merge A.json B.json… (CLI)', function () {
  this.timeout(60_000);
  const dir = scratch({ '1.json': part(1, [web01]), '2.json': part(2, [ok]), '3.json': part(3, []), 'bad.json': part(2, [db1]), 'fail.json': part(3, [web02]) });
  const f = (name: string): string => join(dir, name);

  it('writes every format of the whole and prints its table; exit code of the whole', async () => {
    const res = await remedy(['report', 'merge', f('1.json'), f('2.json'), f('3.json'), '--json', f('m.json'), '--junit', f('m.xml'), '--markdown', f('m.md')]);
    assert.equal(res.code, 0, res.stderr);
    const merged = JSON.parse(readFileSync(f('m.json'), 'utf8')) as RunReport;
    const expected = mergeReports([1, 2, 3].map((i) => ({ file: f(`${i}.json`), report: JSON.parse(readFileSync(f(`${i}.json`), 'utf8')) as RunReport })));
    assert.deepEqual(merged, expected);
    assert.equal(res.stdout, renderReport(merged, 'table'));
    assert.equal(readFileSync(f('m.md'), 'utf8'), renderReport(merged, 'markdown'));
    const suite = (await parseJunit([f('m.xml')]))[0]![0]!;
    assert.deepEqual(suite.cases.map((c) => c.name), ['ok1', 'web01']);
  });

  it('--fail-on-reboot reaches the merge (exit 3); a failed host in a shard fails the whole (2)', async () => {
    const reboot = await remedy(['report', 'merge', f('1.json'), f('2.json'), f('3.json'), '--fail-on-reboot']);
    assert.equal(reboot.code, 3, reboot.stderr);
    const failed = await remedy(['report', 'merge', f('1.json'), f('2.json'), f('fail.json')]);
    assert.equal(failed.code, 2, failed.stderr);
  });

  it('a missing shard: the report of what is there, a warning, and exit 6', async () => {
    const res = await remedy(['report', 'merge', f('1.json'), f('3.json'), '--json', '-']);
    assert.equal(res.code, 6);
    assert.match(res.stderr, /^remedy: warning: shard 2 of 3 missing: their hosts are not in this report$/m);
    assert.match(res.stderr, /not finished: shard 2 of 3 missing from this merged report/, 'the table went to stderr: stdout holds the report');
    assert.deepEqual((JSON.parse(res.stdout) as RunReport).shards, { count: 3, present: [1, 3] });
  });

  it('overlapping parts and bad files are exit 5, saying which', async () => {
    const overlap = await remedy(['report', 'merge', f('1.json'), f('2.json'), f('2.json')]);
    assert.equal(overlap.code, 5);
    assert.match(overlap.stderr, /report merge: shard 2\/3 is in both .*2\.json and .*2\.json/);
    const missing = await remedy(['report', 'merge', f('1.json'), f('nope.json')]);
    assert.equal(missing.code, 5);
    assert.match(missing.stderr, /nope\.json: cannot read the report: no such file/);
    const none = await remedy(['report', 'merge']);
    assert.equal(none.code, 5);
  });

  it('remedy report FILE --format still renders one report', async () => {
    const res = await remedy(['report', f('2.json'), '--format', 'markdown']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, renderReport(JSON.parse(readFileSync(f('2.json'), 'utf8')) as RunReport, 'markdown'));
  });
});
