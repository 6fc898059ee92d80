import { strict as assert } from 'node:assert';
import { renderMetrics, escapeLabel } from '../../src/report/metrics.js';
import { sanitizeText } from '../../src/report/text.js';
import { promtoolCheck } from './consumers.js';
import { hostile, report, web01, windowReport } from './fixtures.js';
import { fleetReport } from './fleet.js';
import { scrapeWithPrometheus, type Sample, type ScrapedPrometheus } from './prometheus.js';

const byHost = (samples: Sample[]): Record<string, string> => Object.fromEntries(samples.map((s) => [s.labels.host ?? '', s.value]));

describe('Prometheus metrics (renderMetrics)', function () {
  this.timeout(60_000);

  it('promtool check metrics accepts every case without a lint warning', async () => {
    for (const r of [windowReport(), report([hostile, web01]), report([], { check: true, interrupted: true }), fleetReport(1000)]) {
      await promtoolCheck(renderMetrics(r));
    }
  });

  it('HELP and TYPE once per family, every name prefixed remedy_, every series labelled with the playbooks', () => {
    const text = renderMetrics(windowReport());
    const names = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]!);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.every((n) => n.startsWith('remedy_')), names.join(' '));
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /^remedy_\w+\{playbooks="services\.yml, kernel\.yml"[,}]/);
  });

  it('escapes label values as the text format requires', () => {
    assert.equal(escapeLabel('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  });

  describe('as Prometheus reads it (a real server scraping the text over loopback)', () => {
    let prom: ScrapedPrometheus | undefined;
    const weird = { ...web01, name: 'we"b\\01\nx' };
    const r = report([...windowReport().hosts, hostile, weird], { playbooks: ['playbooks/check.yml'] });
    before(async function () {
      this.timeout(60_000);
      prom = await scrapeWithPrometheus(renderMetrics(r));
    });
    after(async () => { await prom?.stop(); });

    it('reboot required per host, with the reason kinds; unknown (absent) for the unreachable host', async () => {
      assert.deepEqual(byHost(await prom!.query('remedy_host_reboot_required')), { web01: '0', web02: '1', web03: '1', 'evil"<01>': '1', [weird.name]: '0' });
      const reasons = (await prom!.query('remedy_host_reboot_reason')).map((s) => `${s.labels.host} ${s.labels.kind}`).sort();
      assert.deepEqual(reasons, ['evil"<01> kernel"<x>', 'web02 core-package', 'web02 kernel', 'web03 kernel']);
    });

    it('unreachable, failed and never-came-back per host', async () => {
      assert.deepEqual(byHost(await prom!.query('remedy_host_unreachable == 1')), { db1: '1' });
      assert.deepEqual(byHost(await prom!.query('remedy_host_failed == 1')), { web02: '1', web03: '1', 'evil"<01>': '1' });
      assert.deepEqual(byHost(await prom!.query('remedy_host_reboot_lost == 1')), { web03: '1' });
    });

    it('stale processes per host and owner kind, every kind present (0 included) for reached hosts', async () => {
      const samples = await prom!.query('remedy_host_stale_processes');
      assert.equal(samples.filter((s) => s.labels.host === 'web03').length, 8, 'systemd-unit, init-script, xinetd, session, user, container, kernel, unknown');
      assert.deepEqual(byHost(await prom!.query('sum by (host) (remedy_host_stale_processes)')), { web01: '0', web02: '1', web03: '2', 'evil"<01>': '1', [weird.name]: '0' });
      const web03 = samples.filter((s) => s.labels.host === 'web03' && s.value !== '0').map((s) => `${s.labels.owner_kind}=${s.value}`).sort();
      assert.deepEqual(web03, ['systemd-unit=1', 'xinetd=1']);
    });

    it('last run time, duration and success; hosts by status', async () => {
      const [ts] = await prom!.query('remedy_last_run_timestamp_seconds');
      assert.equal(Number(ts!.value), Date.parse(r.finishedAt) / 1000);
      assert.deepEqual(ts!.labels, { __name__: 'remedy_last_run_timestamp_seconds', playbooks: 'check.yml' });
      assert.equal((await prom!.query('remedy_last_run_duration_seconds'))[0]!.value, '12.3');
      assert.equal((await prom!.query('remedy_last_run_success'))[0]!.value, '0');
      const hosts = Object.fromEntries((await prom!.query('remedy_hosts')).map((s) => [s.labels.status, s.value]));
      assert.deepEqual(hosts, { ok: '0', changed: '2', failed: '3', unreachable: '1', skipped: '0', locked: '0', 'not-reached': '0' });
    });

    it('host text in labels reads back exactly (quotes, angle brackets, backslashes, line breaks)', async () => {
      assert.ok(Object.keys(byHost(await prom!.query('remedy_host_failed'))).includes('we"b\\01\nx'));
      const kinds = (await prom!.query('remedy_host_reboot_reason{host="evil\\"<01>"}')).map((s) => s.labels.kind);
      assert.deepEqual(kinds, [sanitizeText('kernel"<x>')]);
    });
  });
});
