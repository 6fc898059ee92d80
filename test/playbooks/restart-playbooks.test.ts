/**
 * playbooks/shared-libraries.yml and playbooks/sysv-services.yml end to end: the real CLI against lab
 * hosts of both flavours, checked before and after with needrestart -b (its NEEDRESTART-SVC lines),
 * /proc and the pidfiles; check mode changes nothing; a second run changes nothing.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab, type LabHost } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { replaceServiceExecutable, replaceSharedLibrary, startUserApplication } from '../lab/scenarios.js';
import { LAB_LIB } from '../lab/layer.js';
import { remedy } from '../cli/run-cli.js';
import { hostSh, isAliveOn, quietRootShell } from '../steps/lab-helpers.js';
import type { RunReport } from '../../src/model/results.js';

describe('playbooks shared-libraries.yml and sysv-services.yml on the lab (real CLI)', function () {
  this.timeout(240_000);
  let lab: Lab | undefined;
  const out = mkdtempSync(join(tmpdir(), 'remedy-restart-playbooks-'));

  before(async function () {
    this.timeout(240_000);
    requireLab(this);
    lab = await startLab({ name: 'restart-tests', count: 2, flavor: ['systemd', 'sysv'] });
    await quietRootShell(lab);
  });
  after(async () => { await lab?.down(); });

  const sh = (h: LabHost, script: string): Promise<string> => hostSh(lab!, h, script);
  /** needrestart's own list of services to restart (NEEDRESTART-SVC lines), sorted. */
  const needrestart = async (h: LabHost): Promise<string[]> =>
    (await sh(h, 'needrestart -b 2>/dev/null | sed -n "s/^NEEDRESTART-SVC: //p"')).split('\n').filter(Boolean).sort();
  const labdPid = async (h: LabHost): Promise<number> => Number(await sh(h, 'cat /run/remedy-labd.pid'));
  const pids = (): Promise<number[]> => Promise.all(lab!.hosts.map(labdPid));
  const labdName = (h: LabHost): string => (h.flavor === 'systemd' ? 'remedy-labd.service' : 'remedy-labd');

  async function runPlaybook(playbook: string, tag: string, extra: string[] = []): Promise<{ report: RunReport; stdout: string }> {
    const file = join(out, `${tag}.json`);
    const r = await remedy(['run', `playbooks/${playbook}`, '-i', lab!.inventoryFile, '--json', file, '--no-progress', ...extra]);
    assert.equal(r.code, 0, `remedy ${playbook} ${extra.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return { report: JSON.parse(readFileSync(file, 'utf8')) as RunReport, stdout: r.stdout };
  }

  it('shared-libraries.yml: check mode changes nothing; the run restarts exactly what needrestart lists, skips the user application; a second run changes nothing', async () => {
    const [sysd, sysv] = [lab!.hosts[0]!, lab!.hosts[1]!];
    for (const h of lab!.hosts) await replaceSharedLibrary(lab!, h);
    const app = await startUserApplication(lab!, sysv);
    for (const h of lab!.hosts) assert.deepEqual(await needrestart(h), [labdName(h)], `needrestart on ${h.name} before`);
    const before = await pids();

    const check = await runPlaybook('shared-libraries.yml', 'shared-check', ['--check', '-e', 'library_glob=/usr/lib/*/libwrap.so*']);
    assert.match(check.stdout, /check mode: would restart remedy-labd\.service/);
    assert.match(check.stdout, /check mode: would restart remedy-labd(?!\.)/);
    assert.deepEqual(await pids(), before, 'check mode restarted nothing');
    for (const h of lab!.hosts) assert.deepEqual(await needrestart(h), [labdName(h)]);
    assert.deepEqual(check.report.hosts.map((h) => h.restarted), [[], []]);

    const { report } = await runPlaybook('shared-libraries.yml', 'shared-run', ['-e', 'library_glob=/usr/lib/*/libwrap.so*']);
    assert.deepEqual(report.hosts.map((h) => [h.name, h.status, h.restarted]), [
      [sysd.name, 'changed', ['remedy-labd.service']], [sysv.name, 'changed', ['remedy-labd']],
    ]);
    const after = await pids();
    for (const [i, h] of lab!.hosts.entries()) {
      assert.notEqual(after[i], before[i], `remedy-labd restarted on ${h.name}`);
      assert.deepEqual(await needrestart(h), [], `needrestart on ${h.name} after`);
      assert.equal(await sh(h, `grep -l -F '${LAB_LIB} (deleted)' /proc/[0-9]*/maps 2>/dev/null || true`), '', 'nothing maps the old libwrap');
    }
    // The user's application is not a service: left running, still reported stale by the recheck.
    assert.ok(await isAliveOn(lab!, sysv, app.pid));
    assert.deepEqual(report.hosts[1]!.stale.map((s) => [s.pid, s.owner.kind]), [[app.pid, 'user']]);
    assert.deepEqual(report.hosts[0]!.stale, []);

    const again = await runPlaybook('shared-libraries.yml', 'shared-again');
    assert.equal(again.report.summary.changed, 0, 'the second run changed nothing');
    assert.deepEqual(again.report.hosts.map((h) => h.restarted), [[], []]);
    assert.deepEqual(await pids(), after);
    await sh(sysv, `kill ${app.pid}`);
  });

  it('sysv-services.yml: check mode changes nothing; the run restarts the stale daemon on both init systems; a second run changes nothing', async () => {
    for (const h of lab!.hosts) await replaceServiceExecutable(lab!, h);
    for (const h of lab!.hosts) assert.deepEqual(await needrestart(h), [labdName(h)], `needrestart on ${h.name} before`);
    const before = await pids();

    const check = await runPlaybook('sysv-services.yml', 'sysv-check', ['--check']);
    assert.equal((check.stdout.match(/check mode: would restart remedy-labd/g) ?? []).length, 2, check.stdout);
    assert.deepEqual(await pids(), before, 'check mode restarted nothing');

    const { report } = await runPlaybook('sysv-services.yml', 'sysv-run', ['-e', '{"services": ["remedy-labd"]}']);
    assert.deepEqual(report.hosts.map((h) => [h.status, h.restarted, h.stale]), [
      ['changed', ['remedy-labd.service'], []], ['changed', ['remedy-labd'], []],
    ]);
    const after = await pids();
    for (const [i, h] of lab!.hosts.entries()) {
      assert.notEqual(after[i], before[i]);
      assert.equal(await sh(h, `readlink /proc/${after[i]}/exe`), '/usr/local/sbin/remedy-labd', 'the new binary runs');
      assert.deepEqual(await needrestart(h), [], `needrestart on ${h.name} after`);
    }
    assert.equal(await sh(lab!.hosts[0]!, 'systemctl is-active remedy-labd'), 'active');
    assert.equal(await sh(lab!.hosts[1]!, 'service remedy-labd status >/dev/null 2>&1 && echo running'), 'running');

    const again = await runPlaybook('sysv-services.yml', 'sysv-again');
    assert.equal(again.report.summary.changed, 0);
    assert.deepEqual(await pids(), after);
  });
});
