import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderJunit } from '../../src/report/junit.js';
import { sanitizeText } from '../../src/report/text.js';
import type { RebootReasonKind, RunReport } from '../../src/model/results.js';
import { parseJunit, xmllint, type ParsedCase, type ParsedSuite } from './consumers.js';
import { db1, hostile, HOSTILE_TEXT, report, web01, web02, web03, windowReport } from './fixtures.js';
import { fleetReport } from './fleet.js';

/** The cases, each rendered to a file, read by junitparser and xmllint in one call each. */
const CASES: Record<string, { report: RunReport; failOnReboot?: boolean }> = {
  window: { report: windowReport() },
  failOnReboot: { report: windowReport(), failOnReboot: true },
  hostile: { report: report([hostile, web01]) },
  empty: { report: report([], { check: true, interrupted: true }) },
  skipped: { report: report([{ ...web01, name: 'idle', status: 'skipped', steps: [], restarted: [] }]) },
  fleet: { report: fleetReport(1000) },
};

describe('JUnit XML (renderJunit), read by python3-junitparser and xmllint', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'remedy-junit-'));
  const parsed = new Map<string, ParsedSuite[]>();
  const suite = (name: string): ParsedSuite => parsed.get(name)![0]!;
  const testcase = (name: string, host: string): ParsedCase => {
    const c = suite(name).cases.find((x) => x.name === host);
    assert.ok(c, `no test case ${host} in ${name}: ${suite(name).cases.map((x) => x.name).join(', ')}`);
    return c;
  };
  const prop = (c: ParsedCase, name: string): string[] => c.properties.filter(([k]) => k === name).map(([, v]) => v);

  before(async () => {
    const names = Object.keys(CASES);
    const files = names.map((n) => {
      const file = join(dir, `${n}.xml`);
      writeFileSync(file, renderJunit(CASES[n]!.report, { failOnReboot: CASES[n]!.failOnReboot }));
      return file;
    });
    await xmllint(files);
    const all = await parseJunit(files);
    names.forEach((n, i) => parsed.set(n, all[i]!));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('one suite for the run, one case per host of the run, in report order, with the totals', () => {
    const s = suite('window');
    assert.equal(parsed.get('window')!.length, 1);
    assert.deepEqual(s.cases.map((c) => c.name), ['web01', 'web02', 'db1', 'web03']);
    assert.deepEqual([s.tests, s.failures, s.errors, s.skipped], [4, 2, 1, 0]);
    assert.equal(s.name, 'remedy: services.yml, kernel.yml');
    assert.ok(s.cases.every((c) => c.classname === 'remedy.services+kernel'));
    assert.equal(s.time, 12.3);
    assert.deepEqual(s.properties.find(([k]) => k === 'reboot-required'), ['reboot-required', 'web02, web03']);
  });

  it('a failed host is a failure with the failed task, its cause and message (the ignored failure is not)', () => {
    const c = testcase('window', 'web02');
    assert.deepEqual(c.results.map((r) => [r.tag, r.type, r.message]), [['failure', 'exit-code', 'failed: restart sshd: exit-code: exit code 1']]);
    assert.match(c.results[0]!.text!, /^play: services\nfailed: restart sshd: exit-code: exit code 1\nreboot required: kernel: /);
    assert.match(c.systemOut!, /^failed \(ignored\) \[exit-code\]: services \/ optional \(0\.0s\): exit code 3$/m);
    assert.equal(c.time, 0.35);
  });

  it('an unreachable host is an error with its kind and message', () => {
    const c = testcase('window', 'db1');
    assert.deepEqual(c.results.map((r) => [r.tag, r.type, r.message]), [['error', 'connection-refused', 'unreachable: connection-refused: connect ECONNREFUSED 192.0.2.3:22']]);
    assert.deepEqual(prop(c, 'reboot-required'), ['unknown']);
  });

  it('a host that never came back from its reboot is a failure saying so, with the timeout', () => {
    const c = testcase('window', 'web03');
    assert.equal(c.results[0]!.tag, 'failure');
    assert.equal(c.results[0]!.type, 'reboot-timeout');
    assert.match(c.results[0]!.message!, /^never came back from reboot: Reboot and wait for a new boot id: reboot-timeout: the host did not come back within 30s/);
    assert.deepEqual(prop(c, 'problem'), ['never came back from reboot']);
  });

  it('a host that needs a reboot shows it as properties, and fails only with --fail-on-reboot', () => {
    const changed = { ...web01, name: 'web04', rebootRequired: true, rebootReasons: [{ kind: 'kernel' as RebootReasonKind, detail: 'running 6.1.0-1' }] };
    const r = report([changed]);
    const plainXml = renderJunit(r);
    assert.match(plainXml, /<property name="reboot-required" value="true"\/>/);
    assert.match(plainXml, /<property name="reboot-reason" value="kernel: running 6.1.0-1"\/>/);
    assert.doesNotMatch(plainXml, /<failure/);
    assert.match(renderJunit(r, { failOnReboot: true }), /<failure type="reboot-required" message="reboot required: kernel: running 6.1.0-1">/);
    const c = testcase('window', 'web02');
    assert.deepEqual(prop(c, 'reboot-reason'), ['kernel: running 6.1.0-1, newest installed 6.1.0-9', 'core-package: glibc updated after boot']);
    assert.deepEqual(prop(c, 'killed'), ['4242 in.telnetd (KILL)']);
    assert.deepEqual(prop(testcase('window', 'web01'), 'restarted'), ['sshd.service']);
  });

  it('with --fail-on-reboot: the failed host keeps its own failure (one result per case)', () => {
    const s = suite('failOnReboot');
    assert.deepEqual([s.failures, s.errors], [2, 1]);
    assert.equal(testcase('failOnReboot', 'web02').results.length, 1);
    assert.equal(testcase('failOnReboot', 'web02').results[0]!.type, 'exit-code');
  });

  it('hostile host text stays text: the XML parses and gives back the cleaned strings', () => {
    const c = testcase('hostile', 'evil"<01>');
    const cleaned = sanitizeText(HOSTILE_TEXT).replace('\ud800', '\ufffd');
    assert.deepEqual(prop(c, 'address'), [cleaned]);
    assert.ok(c.results[0]!.text!.includes(cleaned), c.results[0]!.text!);
    assert.ok(!c.results[0]!.message!.includes('\n'), 'the message attribute is one line');
    assert.doesNotMatch(JSON.stringify(c), /\u001b|\u0007/);
    assert.equal(suite('hostile').cases.length, 2);
  });

  it('an empty, interrupted check run is a valid suite with no cases; a host where nothing ran is skipped', () => {
    assert.deepEqual([suite('empty').tests, suite('empty').cases.length], [0, 0]);
    assert.deepEqual(suite('empty').properties.filter(([k]) => k === 'interrupted' || k === 'check-mode'), [['check-mode', 'true'], ['interrupted', 'true']]);
    assert.deepEqual(testcase('skipped', 'idle').results.map((r) => [r.tag, r.message]), [['skipped', 'no step ran on this host']]);
    assert.equal(suite('skipped').skipped, 1);
  });

  it('1,000 hosts: every host is a case and the counts match the report', () => {
    const r = CASES.fleet!.report;
    const s = suite('fleet');
    assert.equal(s.cases.length, 1000);
    assert.deepEqual(new Set(s.cases.map((c) => c.name)), new Set(r.hosts.map((h) => h.name)));
    assert.equal(s.errors, r.summary.unreachable);
    assert.equal(s.failures, r.summary.failed);
  });

  it('the same hosts as the other fixtures, whatever their order', () => {
    const xml = renderJunit(report([web03, db1, web02]));
    assert.deepEqual([...xml.matchAll(/<testcase name="([^"]+)"/g)].map((m) => m[1]), ['web03', 'db1', 'web02']);
  });
});
