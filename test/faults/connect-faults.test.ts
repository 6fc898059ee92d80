/**
 * The fault catalogue, getting in: remedy run against real lab hosts that refuse the connection, never
 * answer (a silent port), refuse the key, show a changed host key, or sit behind a jump host that goes
 * away mid-run; the controller interrupted while a host is still connecting (every format written);
 * then many hosts failing at once (10,000 addresses nobody listens on, 20 silent ones).
 * Each run is checked in its report (JSON and JUnit), its exit code and on the hosts themselves.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, suiteLabName, type Lab, type LabHost } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { changeHostKey, listenSilently, sshdGoesAway, stopSshd, type SilentListener } from '../lab/scenarios.js';
import { quietRootShell } from '../steps/lab-helpers.js';
import { parseJunit, promtoolCheck, xmllint } from '../report/consumers.js';
import { fileOnHost, labInventory, readReport, scratchDir, startRemedy, statuses, until, writeOnHost } from './fault-helpers.js';

describe('faults on the lab: getting in (refused, silent, key refused, host key changed, jump host gone, 10,000 unreachable)', function () {
  this.timeout(240_000);
  let lab: Lab | undefined;
  let h: LabHost[] = [];
  let silent: SilentListener | undefined;
  const scratch = scratchDir('connect-faults');

  before(async function () {
    this.timeout(180_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('connect-faults'), count: 5, flavor: 'systemd' });
    h = lab.hosts;
    await quietRootShell(lab);
    silent = await listenSilently(lab);
  });
  after(async function () {
    this.timeout(120_000);
    await silent?.stop();
    await lab?.down();
  });

  it('one run: refused, a port that never answers, a refused key, a changed host key and a jump host that goes away mid-step; the healthy host carries on', async () => {
    const [refused, shared, rekeyed, jump, behind] = h as [LabHost, LabHost, LabHost, LabHost, LabHost];
    await stopSshd(lab!, refused);
    await changeHostKey(lab!, rekeyed);
    const stranger = scratch.file('stranger');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    // the jump hop takes its key and known_hosts from ~/.ssh/config, as a user's would (a home of its own)
    const home = scratch.file('home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh/config'), `Host ${jump.address}\n  User root\n  IdentityFile ${lab!.keyFile}\n  UserKnownHostsFile ${lab!.knownHostsFile}\n`);
    const inventory = scratch.file('inventory.yml', labInventory(lab!, {
      refused: { ansible_host: refused.address },
      silent: { ansible_host: silent!.address, ansible_timeout: 3 },
      'wrong-key': { ansible_host: shared.address, ansible_ssh_private_key_file: stranger },
      rekeyed: { ansible_host: rekeyed.address },
      'behind-jump': { ansible_host: behind.address, ansible_ssh_common_args: `-o UserKnownHostsFile=${lab!.knownHostsFile} -o StrictHostKeyChecking=yes -J root@${jump.address}` },
      healthy: { ansible_host: shared.address },
    }));
    const play = scratch.file('play.yml', [
      '- hosts: all',
      '  tasks:',
      "    - name: step one",
      "      shell: 'touch /root/fault-one; if [ -e /root/hold ]; then while [ ! -e /root/go ]; do sleep 0.1; done; fi'",
      "    - name: step two",
      "      shell: 'touch /root/fault-two'",
      '',
    ].join('\n'));
    writeOnHost(behind, 'root/hold');
    const [json, junit] = [scratch.file('connect.json'), scratch.file('connect.xml')];
    const run = startRemedy(['run', play, '-i', inventory, '--json', json, '--junit', junit, '-v', '--no-progress'], { home });
    await until('step one to run on the host behind the jump host', () => fileOnHost(behind, 'root/fault-one') !== undefined, 30_000, run);
    const gone = await sshdGoesAway(lab!, jump);
    try {
      await run.waitFor(/\[behind-jump\] UNREACHABLE \(connection-lost\)/);
    } finally {
      writeOnHost(behind, 'root/go');
      await gone.restore();
    }
    const res = await run.done;
    assert.equal(res.code, 4, run.output());
    const r = readReport(json, run.output());
    assert.deepEqual(statuses(r), {
      refused: 'unreachable', silent: 'unreachable', 'wrong-key': 'unreachable', rekeyed: 'unreachable', 'behind-jump': 'unreachable', healthy: 'changed',
    });
    const kinds = Object.fromEntries(r.hosts.filter((x) => x.unreachable).map((x) => [x.name, x.unreachable!.kind]));
    assert.deepEqual(kinds, { refused: 'connection-refused', silent: 'timeout', 'wrong-key': 'auth-failed', rekeyed: 'host-key-changed', 'behind-jump': 'connection-lost' });
    assert.match(r.host('silent').unreachable!.message, /timed out after 3s waiting for the SSH handshake/);
    // the step that was running when the jump host went away says so, and that it may have run
    const lost = r.host('behind-jump').steps;
    assert.deepEqual(lost.map((s) => [s.task, s.status]), [['step one', 'unreachable']]);
    assert.match(lost[0]!.message, /connection lost.*while the command ran on the host/);
    assert.deepEqual(r.summary.unreachable, 5);
    // on the hosts: nothing ran where remedy could not get in; the host behind the jump ran step one only
    assert.equal(fileOnHost(refused, 'root/fault-one'), undefined);
    assert.equal(fileOnHost(rekeyed, 'root/fault-one'), undefined);
    assert.deepEqual([fileOnHost(behind, 'root/fault-one'), fileOnHost(behind, 'root/fault-two')], ['', undefined]);
    assert.deepEqual([fileOnHost(shared, 'root/fault-one'), fileOnHost(shared, 'root/fault-two')], ['', '']);
    await xmllint([junit]);
    const suite = (await parseJunit([junit]))[0]![0]!;
    assert.deepEqual([suite.tests, suite.errors, suite.failures], [6, 5, 0]);
    assert.deepEqual(Object.fromEntries(suite.cases.map((c) => [c.name, c.results.map((x) => `${x.tag}:${x.type}`)])), {
      refused: ['error:connection-refused'], silent: ['error:timeout'], 'wrong-key': ['error:auth-failed'],
      rekeyed: ['error:host-key-changed'], 'behind-jump': ['error:connection-lost'], healthy: [],
    });
  });

  it('interrupted while a host is still connecting (a port that never answers): the handshake ends, the host is not reached "while connecting", the finished host and every format are written, exit 130', async () => {
    const done = h[1]!;
    await lab!.exec(done, 'rm -f /root/fault-one /root/fault-two');
    const inventory = scratch.file('int-inventory.yml', labInventory(lab!, {
      done: { ansible_host: done.address },
      waiting: { ansible_host: silent!.address, ansible_timeout: 100 },
    }));
    const play = scratch.file('int-play.yml', "- hosts: all\n  strategy: free\n  tasks:\n    - shell: 'touch /root/fault-one'\n    - shell: 'touch /root/fault-two'\n");
    const out = (ext: string) => scratch.file(`int.${ext}`);
    const run = startRemedy(['run', play, '-i', inventory, '--json', out('json'), '--junit', out('xml'), '--markdown', out('md'), '--html', out('html'), '--metrics', out('prom'), '-v', '--no-progress']);
    await until('the reachable host to finish', () => fileOnHost(done, 'root/fault-two') !== undefined, 30_000, run);
    run.child.kill('SIGINT');
    const res = await run.done;
    assert.deepEqual([res.code, res.signal], [130, null], run.output());
    const r = readReport(out('json'), run.output());
    assert.equal(r.interrupted, true);
    // not unreachable after the 100 s connect timeout: the interrupt ended the handshake
    assert.deepEqual(statuses(r), { done: 'changed', waiting: 'not-reached' });
    assert.deepEqual([r.host('waiting').notReached, r.host('waiting').unreachable], [{ reason: 'interrupted', play: 'all' }, undefined]);
    assert.deepEqual(r.host('waiting').steps.map((s) => [s.status, s.cause]), [['skipped', 'aborted']]);
    assert.match(r.host('waiting').steps[0]!.message, /^interrupted by SIGINT while connecting \(the SSH handshake had not completed\): nothing ran on the host/);
    assert.deepEqual(r.host('done').steps.map((s) => s.status), ['changed', 'changed']);
    await xmllint([out('xml')]);
    const suite = (await parseJunit([out('xml')]))[0]![0]!;
    assert.deepEqual([suite.tests, suite.skipped, suite.errors], [2, 1, 0]);
    const md = readFileSync(out('md'), 'utf8');
    assert.ok(md.includes('waiting') && md.includes('done'), md);
    assert.match(readFileSync(out('html'), 'utf8'), /<\/html>\s*$/);
    const prom = readFileSync(out('prom'), 'utf8');
    await promtoolCheck(prom);
    assert.match(prom, /remedy_host_not_reached\{[^}]*"waiting"[^}]*\} 1/);
  });

  it('10,000 unreachable hosts, 20 that accept and never answer, and a healthy one: bounded by the connect timeout, in bounded memory, every host in every report', async function () {
    this.timeout(300_000);
    const healthy = h[4]!;
    await lab!.exec(healthy, 'rm -f /root/fault-one /root/fault-two');
    const hosts: Record<string, { ansible_host: string; ansible_timeout?: number }> = {};
    // addresses nobody listens on: 127.0.3.0 and up (the lab claims 127.0.1.x only)
    for (let i = 0; i < 10_000; i++) hosts[`gone${String(i).padStart(5, '0')}`] = { ansible_host: `127.0.${3 + Math.floor(i / 256)}.${i % 256}` };
    for (let i = 0; i < 20; i++) hosts[`mute${String(i).padStart(2, '0')}`] = { ansible_host: silent!.address, ansible_timeout: 3 };
    const inventory = scratch.file('10k.yml', labInventory(lab!, { ...hosts, healthy: { ansible_host: healthy.address } }));
    const play = scratch.file('10k-play.yml', "- hosts: all\n  tasks:\n    - shell: 'touch /root/fault-one'\n");
    const [json, junit] = [scratch.file('10k.json'), scratch.file('10k.xml')];
    const res = await startRemedy(['run', play, '-i', inventory, '--json', json, '--junit', junit, '--no-progress'], { measure: true }).done;
    assert.equal(res.code, 4, res.stderr);
    const r = readReport(json);
    assert.equal(r.hosts.length, 10_021);
    assert.deepEqual({ ...r.summary, rebootRequired: undefined }, { hosts: 10_021, ok: 0, changed: 1, failed: 0, unreachable: 10_020, locked: 0, notReached: 0, rebootRequired: undefined });
    const kinds = new Map<string, number>();
    for (const x of r.hosts) if (x.unreachable) kinds.set(x.unreachable.kind, (kinds.get(x.unreachable.kind) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(kinds), { 'connection-refused': 10_000, timeout: 20 });
    assert.ok(r.hosts.filter((x) => x.name.startsWith('mute')).every((x) => /timed out after 3s/.test(x.unreachable!.message)));
    assert.equal(fileOnHost(healthy, 'root/fault-one'), '');
    await xmllint([junit]);
    const suite = (await parseJunit([junit]))[0]![0]!;
    assert.deepEqual([suite.tests, suite.errors], [10_021, 10_020]);
    // the controller's own peak memory (VmHWM): a generous bound, far below what a leak per host would need
    assert.ok(res.peakKb !== undefined, 'remedy did not report its peak memory');
    assert.ok(res.peakKb < 1536 * 1024, `remedy peaked at ${Math.round(res.peakKb / 1024)} MB for 10,021 hosts`);
  });
});
