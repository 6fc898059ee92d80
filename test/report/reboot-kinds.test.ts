/**
 * The reboot list in every output after issue 16: one line per host with every reason, its kind and its
 * evidence; the kernel-livepatched note of a host that needs no reboot; a container owner.
 */
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { HostReport } from '../../src/model/results.js';
import { renderReport } from '../../src/report/render.js';
import { checkDetails } from '../../src/report/check-details.js';
import { renderSummaryTable } from '../../src/report/summary-table.js';
import { report } from './fixtures.js';

const base = { status: 'ok' as const, restarted: [], killed: [], steps: [] };
const held: HostReport = {
  ...base, name: 'app1', address: 'app1', rebootRequired: true, stale: [],
  rebootReasons: [
    { kind: 'kernel-livepatched', detail: 'newest installed kernel 6.1.0-18-amd64 is not the running 6.1.0-13-amd64; the running kernel carries live patches: lp_1 (livepatch, enabled): the reboot can wait', evidence: { running: '6.1.0-13-amd64', newest: '6.1.0-18-amd64', livepatches: ['lp_1'] } },
    { kind: 'core-package', detail: 'libc6 2.36-9+deb12u4 installed 2026-11-21T19:00:00.000Z, after boot 2026-11-01T00:00:00.000Z', evidence: { package: 'libc6', version: '2.36-9+deb12u4', installTime: '2026-11-21T19:00:00.000Z', bootTime: '2026-11-01T00:00:00.000Z' } },
    { kind: 'never-restart', detail: 'systemd-logind.service (pid 301) runs replaced code (/usr/lib/systemd/systemd-logind) and is never restarted: only a reboot replaces it', evidence: { unit: 'systemd-logind.service', pids: [301], files: ['/usr/lib/systemd/systemd-logind'] } },
  ],
};
const waits: HostReport = {
  ...base, name: 'app2', address: 'app2', rebootRequired: false,
  rebootReasons: [{ kind: 'kernel-livepatched', detail: 'newest installed kernel 6.1.0-18-amd64 is not the running 6.1.0-13-amd64; live patches: lp_1: the reboot can wait', evidence: { running: '6.1.0-13-amd64', newest: '6.1.0-18-amd64', livepatches: ['lp_1'] } }],
  stale: [{ pid: 4100, command: 'nginx', user: 'root', owner: { kind: 'container', name: 'docker:3f2a9c0d1e4b' }, files: ['/usr/lib/x86_64-linux-gnu/libssl.so.3'] }],
};
const run = report([held, waits]);

describe('report: reboot kinds, evidence and container owners', () => {
  it('the JSON report is valid against the schema, evidence and container included', async () => {
    const schema = JSON.parse(await readFile(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const json = JSON.parse(renderReport(run, 'json')) as unknown;
    assert.ok(validate(json), JSON.stringify(validate.errors));
    assert.deepEqual((json as { summary: { rebootRequired: string[] } }).summary.rebootRequired, ['app1']);
  });
  it('the table: one cell per host with every reason; the covered host says the reboot can wait', () => {
    const table = renderSummaryTable(run, { color: false, width: 2000 });
    const line = (name: string) => table.split('\n').find((l) => l.startsWith(name))!;
    assert.match(line('app1'), /yes \(kernel-livepatched: .*lp_1.*; core-package: libc6 2\.36-9\+deb12u4 installed .*; never-restart: systemd-logind\.service \(pid 301\)/);
    assert.match(line('app2'), /no, can wait \(kernel-livepatched: .*the reboot can wait\)/);
  });
  it('check mode\'s details list each reason under its host', () => {
    const text = checkDetails(run);
    assert.match(text, /app1[^]*reboot required:\n {4}kernel-livepatched: [^\n]+\n {4}core-package: [^\n]+\n {4}never-restart: systemd-logind\.service/);
    assert.match(text, /app2[^]*no reboot needed now, it can wait:\n {4}kernel-livepatched: /);
  });
  it('markdown, HTML, JUnit and metrics show the kinds', () => {
    const md = renderReport(run, 'markdown');
    assert.match(md, /\| app1 \| kernel-livepatched: .*; core-package: .*; never-restart: systemd-logind\.service/);
    assert.match(md, /\*\*Reboot can wait\*\*: kernel-livepatched: /);
    assert.doesNotMatch(md, /\| app2 \| kernel-livepatched/, 'app2 is not on the reboot list');
    assert.match(renderReport(run, 'html'), /no, can wait: kernel-livepatched/);
    assert.match(renderReport(run, 'junit', { failOnReboot: true }), /reboot required: kernel-livepatched: [^"]*; core-package: [^"]*; never-restart: systemd-logind/);
    const metrics = renderReport(run, 'metrics');
    assert.match(metrics, /remedy_host_reboot_reason\{[^}]*host="app1",kind="never-restart"\} 1/);
    assert.match(metrics, /remedy_host_reboot_reason\{[^}]*host="app2",kind="kernel-livepatched"\} 1/);
    assert.match(metrics, /remedy_host_reboot_required\{[^}]*host="app2"\} 0/);
    assert.match(metrics, /remedy_host_stale_processes\{[^}]*host="app2",owner_kind="container"\} 1/);
  });
});
