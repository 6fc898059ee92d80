/**
 * Issue 12's "Done means" for the reports: ONE real run on the lab, through the CLI, with a failed
 * host, an unreachable host (sshd stopped) and a host that never comes back from its reboot, and a
 * host that needs a reboot and runs a stale application. Every format written by that run is read by
 * its real consumer: JUnit by junitparser and xmllint, metrics by promtool and Prometheus, Markdown
 * by markdown-it, HTML in headless Chromium (screenshot: test-output/lab-report.png), and the log
 * as GitHub Actions folds it.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, suiteLabName, type Lab, type LabHost } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { hostThatDoesNotComeBack, probeTcp, stopSshd } from '../lab/misbehave.js';
import { setRebootRequired, startUserApplication } from '../lab/scenarios.js';
import type { RunReport } from '../../src/model/results.js';
import { remedy, type CliResult } from '../cli/run-cli.js';
import { parseJunit, parseMarkdown, promtoolCheck, xmllint, type ParsedSuite } from './consumers.js';
import { keepScreenshot, launchBrowser } from './browser.js';
import { scrapeWithPrometheus } from './prometheus.js';

const PLAYBOOK = `- name: Patch window
  hosts: all
  tasks:
    - name: Gather facts
      gather_facts: {}
    - name: Restart the payment service
      command: [systemctl, restart, remedy-payments.service]
      when: inventory_hostname == failing
    - name: Reboot and wait for a new boot id
      reboot: { force: true, reboot_timeout: 20 }
      when: inventory_hostname == lost
`;

describe('reports of a real patch window on the lab (failed, unreachable, never came back)', function () {
  this.timeout(300_000);
  let lab: Lab | undefined;
  let ok: LabHost, failing: LabHost, down: LabHost, lost: LabHost;
  let run: CliResult;
  let report: RunReport;
  const dir = mkdtempSync(join(tmpdir(), 'remedy-reports-lab-'));
  const out = (f: string): string => join(dir, f);
  const text = (f: string): string => readFileSync(out(f), 'utf8');

  before(async function () {
    this.timeout(240_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('report-tests'), count: 4, flavor: 'systemd' });
    [ok, failing, down, lost] = lab.hosts as [LabHost, LabHost, LabHost, LabHost];
    await startUserApplication(lab, ok);
    await setRebootRequired(lab, ok);
    await hostThatDoesNotComeBack(lab, lost);
    await stopSshd(lab, down);
    writeFileSync(out('window.yml'), PLAYBOOK);
    writeFileSync(out('summary.md'), '');
    // The shipped command (package.json's bin, the esbuild bundle): ssh2, the lazily loaded report
    // writers and the generated validators, end to end on real hosts.
    run = await remedy(['run', out('window.yml'), '-i', lab.inventoryFile, '--no-progress', '-e', `failing=${failing.name}`, '-e', `lost=${lost.name}`,
      '--json', out('r.json'), '--junit', out('r.xml'), '--markdown', out('r.md'), '--html', out('r.html'), '--metrics', out('r.prom')],
    { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: out('summary.md') }, built: true });
    report = JSON.parse(text('r.json')) as RunReport;
  });
  after(async function () {
    this.timeout(120_000);
    await lab?.down();
  });

  it('the run: exit 4 (unreachable wins), and on the hosts the failures are real', async () => {
    assert.equal(run.code, 4, `${run.stdout}\n${run.stderr}`);
    const status = Object.fromEntries(report.hosts.map((h) => [h.name, h.status]));
    assert.deepEqual(status, { [ok.name]: 'ok', [failing.name]: 'failed', [down.name]: 'unreachable', [lost.name]: 'failed' }, run.stdout);
    assert.equal(await probeTcp(down.address), 'refused', 'sshd is stopped on the unreachable host');
    assert.notEqual(await probeTcp(lost.address, 22, 3000), 'open', 'the lost host did not come back');
  });

  it('JUnit (junitparser, xmllint): all three problem hosts with their reasons; the reboot as a property', async () => {
    await xmllint([out('r.xml')]);
    const suite: ParsedSuite = (await parseJunit([out('r.xml')]))[0]![0]!;
    const byName = new Map(suite.cases.map((c) => [c.name, c]));
    assert.deepEqual([...byName.keys()].sort(), [ok.name, failing.name, down.name, lost.name].sort());
    const f = byName.get(failing.name)!.results[0]!;
    assert.equal(f.tag, 'failure');
    assert.match(f.message!, /^failed: Restart the payment service: /);
    const u = byName.get(down.name)!.results[0]!;
    assert.deepEqual([u.tag, u.type], ['error', 'connection-refused']);
    const l = byName.get(lost.name)!.results[0]!;
    assert.equal(l.tag, 'failure');
    assert.match(l.message!, /^never came back from reboot: Reboot and wait for a new boot id: (reboot-timeout|[a-z-]+): the host did not come back/);
    const okCase = byName.get(ok.name)!;
    assert.deepEqual(okCase.results, []);
    assert.ok(okCase.properties.some(([k, v]) => k === 'reboot-reason' && v.startsWith('reboot-flag: /run/reboot-required exists')), JSON.stringify(okCase.properties));
  });

  it('Markdown (markdown-it), the file and the step summary: problems first with reasons, the reboot list', () => {
    assert.equal(text('summary.md'), `${text('r.md')}\n`);
    const shape = parseMarkdown(text('r.md'));
    assert.equal(shape.detailsOpen, 4);
    assert.equal(shape.detailsClose, 4);
    const attention = shape.tables.find((t) => t.header.join() === 'host,problem,reason')!;
    assert.deepEqual(attention.rows.map((r) => [r[0], r[1]]), [[lost.name, 'never came back from reboot'], [failing.name, 'failed'], [down.name, 'unreachable']]);
    assert.match(attention.rows[0]![2]!, /the host did not come back/);
    assert.match(attention.rows[1]![2]!, /^Restart the payment service: /);
    assert.match(attention.rows[2]![2]!, /^Gather facts: connection-refused: .*connection refused/);
    const reboot = shape.tables.find((t) => t.header.join() === 'host,reasons')!;
    assert.ok(reboot.rows.some((r) => r[0] === ok.name && r[1]!.includes('reboot-flag')), JSON.stringify(reboot.rows));
  });

  it('HTML (Chromium): the three hosts with reasons, the stale application in the details; filtering and sorting work', async () => {
    const browser = await launchBrowser();
    try {
      const o = await browser.openPage(out('r.html'));
      const { page } = o;
      await page.waitForSelector('body[data-ready="true"]');
      const attention = await page.$$eval('#attention tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      assert.deepEqual(attention.map((r) => r[0]), [lost.name, failing.name, down.name]);
      assert.match(attention[0]![2]!, /the host did not come back/);
      await page.fill('#filter', 'status:unreachable');
      assert.deepEqual(await page.$$eval('#hosts > tbody > tr:not([hidden]) button.host', (b) => b.map((x) => x.textContent)), [down.name]);
      await page.fill('#filter', '');
      await page.click('#hosts th:has-text("stale") button');
      await page.click('#hosts th:has-text("stale") button');
      await page.click(`#hosts button.host:text-is("${ok.name}")`);
      const details = await page.textContent('tr.detail-row');
      assert.match(details ?? '', /remedy-lab-app.*remedy-user.*libremedy-app\.so\.1/s);
      await page.click(`#hosts button.host:text-is("${lost.name}")`);
      await keepScreenshot(page, 'lab-report');
      assert.deepEqual(o.errors, []);
      assert.deepEqual(o.requests, [o.url]);
    } finally {
      await browser.close();
    }
  });

  it('metrics (promtool, Prometheus): failed, unreachable, lost and reboot required per host', async () => {
    await promtoolCheck(text('r.prom'));
    const prom = await scrapeWithPrometheus(text('r.prom'));
    try {
      const hosts = async (q: string): Promise<string[]> => (await prom.query(q)).map((s) => s.labels.host!).sort();
      assert.deepEqual(await hosts('remedy_host_failed == 1'), [failing.name, lost.name].sort());
      assert.deepEqual(await hosts('remedy_host_unreachable == 1'), [down.name]);
      assert.deepEqual(await hosts('remedy_host_reboot_lost == 1'), [lost.name]);
      assert.ok((await hosts('remedy_host_reboot_reason{kind="reboot-flag"}')).includes(ok.name));
      assert.deepEqual(await hosts('remedy_host_stale_processes{owner_kind=~"user|session"} > 0'), [ok.name]);
    } finally {
      await prom.stop();
    }
  });

  it('the log under GITHUB_ACTIONS: the play folded, an ::error:: for each problem host', () => {
    assert.match(run.stdout, /^::group::PLAY \[Patch window\]: 4 hosts$/m);
    assert.match(run.stdout, /^::endgroup::$/m);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    assert.deepEqual(errors.map((l) => /title=remedy%3A (\S+) /.exec(l)?.[1]).sort(), [failing.name, down.name, lost.name].sort(), errors.join('\n'));
  });
});
