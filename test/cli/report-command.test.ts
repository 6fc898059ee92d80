import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport, REPORT_FORMATS } from '../../src/report/render.js';
import { formatJsonReport } from '../../src/report/json-report.js';
import { windowReport } from '../report/fixtures.js';
import { remedy, scratch } from './run-cli.js';

describe('remedy report FILE.json --format … [-o OUT]', function () {
  this.timeout(60_000);
  const report = windowReport();
  const dir = scratch({ 'r.json': formatJsonReport(report) });
  const file = join(dir, 'r.json');

  it('re-renders a saved report in every format, to stdout and to a file', async () => {
    for (const format of REPORT_FORMATS) {
      const res = await remedy(['report', file, '--format', format]);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout, renderReport(report, format), format);
    }
    const out = join(dir, 'out.html');
    const res = await remedy(['report', file, '--format', 'html', '-o', out]);
    assert.deepEqual([res.code, res.stdout], [0, '']);
    assert.equal(readFileSync(out, 'utf8'), renderReport(report, 'html'));
  });

  it('the table is the default; --fail-on-reboot makes JUnit fail hosts that need a reboot', async () => {
    const table = await remedy(['report', file]);
    assert.equal(table.stdout, renderReport(report, 'table'));
    const rebootOnly = { ...report, hosts: [{ ...report.hosts[0]!, rebootRequired: true, rebootReasons: [{ kind: 'kernel', detail: 'x' }] }] };
    writeFileSync(join(dir, 'reboot.json'), JSON.stringify(rebootOnly));
    const junit = await remedy(['report', join(dir, 'reboot.json'), '--format', 'junit', '--fail-on-reboot']);
    assert.match(junit.stdout, /<failure type="reboot-required" message="reboot required: kernel: x">/);
    assert.equal(junit.code, 0);
  });

  it('a bad report is exit 5 with file:line:column and what is wrong', async () => {
    const bad = JSON.parse(formatJsonReport(report)) as Record<string, any>;
    bad.hosts[1].status = 'done';
    bad.extra = true;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad, null, 2));
    writeFileSync(join(dir, 'syntax.json'), '{\n  "version": 1,\n  "hosts": [,]\n}\n');
    writeFileSync(join(dir, 'playbook.yml'), '- hosts: all\n');
    const cases: Array<[string, RegExp]> = [
      ['bad.json', /bad\.json:\d+:3: not a remedy report \(schemas\/report\.schema\.json\): \/ must NOT have additional properties: 'extra'\n.*bad\.json:\d+:\d+: not a remedy report .*: \/hosts\/1\/status must be equal to one of the allowed values/],
      ['syntax.json', /syntax\.json:3:13: not valid JSON: Unexpected token ','\n$/],
      ['playbook.yml', /playbook\.yml:1:2: not valid JSON: No number after minus sign\n$/],
      ['missing.json', /missing\.json: cannot read the report: no such file\n$/],
    ];
    for (const [name, expected] of cases) {
      const res = await remedy(['report', join(dir, name), '--format', 'junit']);
      assert.equal(res.code, 5, `${name}: ${res.stderr}`);
      assert.match(res.stderr, expected);
      assert.doesNotMatch(res.stderr, /internal error|    at /);
      assert.equal(res.stdout, '');
    }
  });

  it('a bad format or output is exit 5', async () => {
    const format = await remedy(['report', file, '--format', 'pdf']);
    assert.equal(format.code, 5);
    assert.match(format.stderr, /argument 'pdf' is invalid\. Allowed choices are table, json, junit, markdown, html, metrics/);
    const out = await remedy(['report', file, '-o', join(dir, 'no', 'x.xml')]);
    assert.equal(out.code, 5);
    assert.match(out.stderr, /^remedy: -o .*x\.xml: the directory .*no does not exist$/m);
  });
});
