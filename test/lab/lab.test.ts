/** Lab smoke suite: every flavour boots, the real ssh client reaches every host, reboots work, down leaves nothing. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describeHost } from './host-shell.js';
import { type Lab, findLab, startLab } from './index.js';
import { leaderPid } from './host.js';
import { enabledServicesToMask } from './layer.js';
import { labDir, machineName } from './paths.js';
import { requireLab } from './require-lab.js';
import { runCommand } from './run.js';

describe('lab (test/lab): real hosts on this machine', function () {
  this.timeout(180_000);
  const name = `smoke-${process.pid}`;
  let lab: Lab | undefined;
  const the = (): Lab => {
    assert.ok(lab, 'the lab did not start');
    return lab;
  };

  before(async function () {
    requireLab(this);
    lab = await startLab({ name, count: 4, flavor: 'mixed' });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && lab && existsSync(labDir(name))) {
      for (const h of lab.hosts) console.error(await describeHost({ lab: name, name: h.name }));
    }
  });
  after(async () => {
    if (lab && existsSync(labDir(name))) await lab.down();
  });

  it('boots one host of every flavour with its own PID 1, hostname and boot_id', async () => {
    const l = the();
    assert.deepEqual(l.hosts.map((h) => h.flavor), ['systemd', 'sysv', 'rhel', 'rhel-sysv']);
    const script = 'cat /proc/1/comm; hostname; cat /proc/sys/kernel/random/boot_id; test -e /etc/redhat-release && echo redhat || echo debian';
    const out = await Promise.all(l.hosts.map((h) => l.exec(h, script)));
    const boots = new Set<string>([readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()]);
    l.hosts.forEach((h, i) => {
      const r = out[i]!;
      assert.equal(r.code, 0, r.stderr);
      const [init, hostname, boot, release] = r.stdout.trim().split('\n');
      assert.equal(init, h.flavor === 'systemd' || h.flavor === 'rhel' ? 'systemd' : 'remedy-lab-init', `${h.name} PID 1`);
      assert.equal(hostname, h.name);
      assert.equal(release, h.flavor.startsWith('rhel') ? 'redhat' : 'debian');
      assert.ok(boot && !boots.has(boot), `${h.name} has its own boot_id`);
      boots.add(boot);
    });
  });

  it('reaches every host with the ssh client, the lab key and StrictHostKeyChecking=yes, and refuses an unknown key', async () => {
    const l = the();
    for (const h of l.hosts) {
      const args = l.sshArgs(h);
      assert.ok(args.includes('StrictHostKeyChecking=yes'));
      const r = await runCommand('ssh', [...args, 'hostname'], { timeoutMs: 20_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), h.name);
      const strict = args.map((a) => (a.startsWith('UserKnownHostsFile=') ? 'UserKnownHostsFile=/dev/null' : a));
      const refused = await runCommand('ssh', [...strict, 'hostname'], { timeoutMs: 20_000 });
      assert.equal(refused.code, 255);
      assert.match(refused.stderr, /Host key verification failed/);
    }
  });

  it('writes an Ansible-shaped inventory with every host and a known_hosts entry per host', () => {
    const l = the();
    const inv = parse(readFileSync(l.inventoryFile, 'utf8')) as {
      all: { vars: Record<string, string>; children: Record<string, { hosts: Record<string, { ansible_host: string }> }> };
    };
    assert.equal(inv.all.vars.ansible_ssh_private_key_file, l.keyFile);
    const listed = Object.values(inv.all.children).flatMap((g) => Object.entries(g.hosts).map(([n, v]) => `${n}=${v.ansible_host}`));
    assert.deepEqual(listed.sort(), l.hosts.map((h) => `${h.name}=${h.address}`).sort());
    const known = readFileSync(l.knownHostsFile, 'utf8').trim().split('\n');
    assert.deepEqual(known.map((k) => k.split(' ')[0]).sort(), l.hosts.map((h) => h.address).sort());
  });

  it('runs sshd, xinetd (listening on the host address) and the lab SysV service on every host', async () => {
    const l = the();
    for (const h of l.hosts) {
      const r = await l.exec(h, `service remedy-labd status >/dev/null && echo labd-ok; lsof -n -P -a -c xinetd -i TCP@${h.address}:143 -s TCP:LISTEN | tail -n +2 | wc -l`);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split('\n'), ['labd-ok', '1'], `${h.name}: ${r.stdout}`);
    }
  });

  it('runs no service of this machine beyond the lab\'s on a systemd host (a package installed for a test tool stays masked)', async () => {
    const l = the();
    const host = l.hosts.find((h) => h.flavor === 'systemd')!;
    const masked = ['prometheus.service', ...(await enabledServicesToMask())];
    const r = await l.exec(host, `systemctl list-units --type=service --state=running --plain --no-legend | cut -d' ' -f1; for u in ${masked.join(' ')}; do echo "$u $(systemctl is-enabled $u 2>/dev/null)"; done`);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const running = lines.filter((x) => !x.includes(' '));
    const allowed = ['dbus.service', 'remedy-labd.service', 'ssh.service', 'systemd-journald.service', 'systemd-logind.service', 'user@0.service', 'xinetd.service'];
    assert.deepEqual(running.filter((u) => !allowed.includes(u)), [], `unexpected services running: ${running.join(', ')}`);
    for (const u of masked) assert.ok(lines.includes(`${u} masked`) || !existsSync(`/lib/systemd/system/${u}`), `${u} is not masked: ${lines.join('; ')}`);
  });

  it('restarts the lab service with `service remedy-labd restart` on a sysv host (a new pid)', async () => {
    const l = the();
    const sysv = l.hosts.find((h) => h.flavor === 'sysv')!;
    const r = await l.exec(sysv, 'a=$(cat /run/remedy-labd.pid); service remedy-labd restart >/dev/null; b=$(cat /run/remedy-labd.pid); echo $a $b; ps -o comm= -p $b');
    assert.equal(r.code, 0, r.stderr);
    const [before, after, comm] = r.stdout.trim().split(/\s+/);
    assert.notEqual(before, after);
    assert.equal(comm, 'remedy-labd');
  });

  it('reboots a systemd and a sysv host: a new boot_id, services started afresh, the overlay kept', async () => {
    const l = the();
    const hosts = l.hosts.filter((h) => h.flavor === 'systemd' || h.flavor === 'sysv');
    const mark = (h: string) => l.exec(h, 'echo kept >/var/tmp/remedy-lab-mark; cat /proc/sys/kernel/random/boot_id');
    const before = await Promise.all(hosts.map((h) => mark(h.name)));
    await Promise.all(hosts.map((h) => l.reboot(h)));
    for (const [i, h] of hosts.entries()) {
      const r = await l.exec(h, 'cat /proc/sys/kernel/random/boot_id /var/tmp/remedy-lab-mark; service remedy-labd status >/dev/null && echo labd-ok');
      assert.equal(r.code, 0, r.stderr);
      const [boot, kept, labd] = r.stdout.trim().split('\n');
      assert.notEqual(boot, before[i]!.stdout.trim(), `${h.name} boot_id changed`);
      assert.equal(kept, 'kept');
      assert.equal(labd, 'labd-ok');
    }
  });

  it('runs each host in its own cgroup (shared ones made a rebooting systemd host wait forever on a scope another host removed)', async () => {
    const l = the();
    const cgroups = await Promise.all(l.hosts.map(async (h) => {
      const text = readFileSync(`/proc/${await leaderPid({ lab: name, ...h })}/cgroup`, 'utf8');
      return text.split('\n').find((line) => line.startsWith('0::')) ?? text;
    }));
    l.hosts.forEach((h, i) => assert.match(cgroups[i]!, new RegExp(`/rl-${machineName(name, h.name)}/payload(/|$)`), `${h.name}: ${cgroups[i]}`));
    assert.equal(new Set(cgroups).size, l.hosts.length, cgroups.join('\n'));
  });

  it('attaches to the running lab by name', async () => {
    const found = await findLab(name);
    assert.deepEqual(found?.hosts, the().hosts);
    assert.equal(await findLab('no-such-lab'), undefined);
  });

  it('refuses a second lab of the same name and leaves the first one running', async () => {
    const l = the();
    await assert.rejects(startLab({ name, count: 1 }), /already exists/);
    const r = await l.exec('h01', 'true');
    assert.equal(r.code, 0, r.stderr);
  });

  it('down leaves no mount, process or file behind', async () => {
    const l = the();
    const supervisors = l.hosts.map((h) => Number.parseInt(readFileSync(`${labDir(name)}/hosts/${h.name}/supervisor.pid`, 'utf8'), 10));
    await l.down();
    const mounts = await runCommand('findmnt', ['-rn', '-o', 'SOURCE,TARGET']);
    assert.doesNotMatch(mounts.stdout, new RegExp(`remedy-lab-${name}\\b|${labDir(name)}`));
    assert.equal(existsSync(labDir(name)), false);
    for (const pid of supervisors) assert.equal(existsSync(`/proc/${pid}`), false, `supervisor ${pid} is gone`);
    const procs = await runCommand('ps', ['-eo', 'args']);
    assert.doesNotMatch(procs.stdout, new RegExp(`rl-${name}-h\\d`));
    for (const h of l.hosts) assert.equal(existsSync(`/run/systemd/nspawn/propagate/rl-${name}-${h.name}`), false);
    const cgroups = await runCommand('find', ['/sys/fs/cgroup', '-maxdepth', '3', '-type', 'd', '-name', `rl-${machineName(name, '*')}`]);
    assert.equal(cgroups.stdout.trim(), '', 'every host cgroup is removed');
  });
});
