/**
 * ProxyCommand on the lab: a host whose name only another lab host can resolve is reached through
 * `ProxyCommand ssh -W %h:%p` via that host, from ~/.ssh/config alone. The target's sshd sees the
 * connection coming from the jump host's sshd, the command runs while connected and is gone
 * afterwards; a ProxyCommand that fails makes the host unreachable in the run report, with the
 * command's stderr.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import { runPlaybooks } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { UnreachableError } from '../../src/model/errors.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import { createTransport } from '../../src/transport/index.js';
import { loadSshConfig, type SshConfig } from '../../src/transport/ssh-config.js';
import { createSshTransport } from '../../src/transport/ssh-transport.js';
import { type Lab, type LabHost, startLab, stopLab, suiteLabName } from '../lab/index.js';
import { leaderPid } from '../lab/host.js';
import { labDir } from '../lab/paths.js';
import { requireLab } from '../lab/require-lab.js';
import { childrenOf } from './processes.js';

const HIDDEN_NAME = 'remedy-behind-jump';

async function waitFor(ok: () => boolean, ms = 10_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

describe('ssh ProxyCommand on the lab (real OpenSSH servers)', function () {
  this.timeout(180_000);
  const name = suiteLabName('ssh-proxy');
  let lab: Lab | undefined;
  let jump: LabHost;
  let target: LabHost;
  let dir: string;
  let config: SshConfig;
  const spec = (host: string, extra: ConnectionSpec['extra'] = {}): ConnectionSpec => ({ host, kind: 'ssh', address: host, become: false, extra });

  before(async function () {
    requireLab(this);
    dir = mkdtempSync(join(tmpdir(), 'remedy-proxy-lab-'));
    if (existsSync(labDir(name))) await stopLab(name);
    lab = await startLab({ name, count: 2, flavor: 'systemd' });
    [jump, target] = lab.hosts as [LabHost, LabHost];
    for (const h of lab.hosts) writeFileSync(join(h.root, 'root/.bashrc'), '# ssh-proxy-tests: quiet lab shell\n');
    // a name only the jump host can resolve: a direct connection cannot even start
    const hosts = await lab.exec(jump, `echo '${target.address} ${HIDDEN_NAME}' >> /etc/hosts`);
    assert.equal(hosts.code, 0, hosts.stderr);
    const ssh = `ssh -i ${lab.keyFile} -o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
    const file = join(dir, 'config');
    writeFileSync(file, [
      'Host behind',
      `  HostName ${HIDDEN_NAME}`,
      `  HostKeyAlias ${target.address}`,
      `  ProxyCommand ${ssh} -W %h:%p root@${jump.address}`,
      'Host broken',
      `  HostName ${target.address}`,
      `  ProxyCommand ${ssh.replace(lab.knownHostsFile, '/dev/null')} -W %h:%p root@${jump.address}`,
      'Host *',
      '  User root',
      `  IdentityFile ${lab.keyFile}`,
      `  UserKnownHostsFile ${lab.knownHostsFile}`,
      '',
    ].join('\n'));
    config = loadSshConfig([file]);
  });

  after(async () => {
    if (lab && existsSync(labDir(name))) await lab.down();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reaches a host only the jump host can name; its sshd sees the connection from the jump host', async () => {
    const direct = createSshTransport(spec('behind', { ansible_ssh_common_args: '-o ProxyCommand=none' }), { sshConfig: config, agentSocket: null });
    await assert.rejects(direct.connect(), (err: unknown) => err instanceof UnreachableError && err.kind === 'name-not-found');
    await direct.close();

    const t = createSshTransport(spec('behind'), { sshConfig: config, agentSocket: null });
    const proxy = () => childrenOf(process.pid).filter((c) => c.comm === 'ssh' && c.args.includes(`-W ${HIDDEN_NAME}:22 root@${jump.address}`));
    try {
      const r = await t.exec({ script: 'hostname; echo "$SSH_CONNECTION"' });
      const [hostname, connection] = r.stdout.trim().split('\n');
      assert.equal(hostname, target.name, r.stderr);
      // the TCP connection into the target belongs to an sshd running in the jump host (its UTS namespace)
      const srcPort = connection?.split(' ')[1];
      const ss = spawnSync('ss', ['-tnpH', 'state', 'established', 'sport', '=', `:${srcPort}`, 'dport', '=', ':22'], { encoding: 'utf8' }).stdout;
      const owner = /"sshd",pid=(\d+),/.exec(ss)?.[1];
      assert.ok(owner, `no sshd owns the connection from port ${srcPort}: ${ss}`);
      const leader = await leaderPid({ lab: name, name: jump.name, address: jump.address, flavor: jump.flavor });
      assert.equal(readlinkSync(`/proc/${owner}/ns/uts`), readlinkSync(`/proc/${leader}/ns/uts`));
      // the ProxyCommand (ssh -W) runs while connected, as a child of remedy
      assert.equal(proxy().length, 1, JSON.stringify(childrenOf(process.pid)));
    } finally {
      await t.close();
    }
    assert.ok(await waitFor(() => proxy().length === 0), 'the ProxyCommand is gone after close');
  });

  it('a failing ProxyCommand: the host is unreachable in the run report, with the command\'s stderr', async () => {
    const report = await runPlaybooks({
      playbooks: [parsePlaybookText('play.yml', '- hosts: all\n  tasks:\n    - name: where\n      command: [hostname]\n')],
      inventory: parseInventoryText('inv.yml', 'all:\n  hosts:\n    behind: {}\n    broken: {}\n'),
      transportFor: (s) => createTransport(s, { sshConfig: config, agentSocket: null }),
    }, () => undefined);
    const host = (n: string) => report.hosts.find((h) => h.name === n);
    assert.equal(host('behind')?.status, 'changed', JSON.stringify(host('behind')));
    assert.equal(host('broken')?.status, 'unreachable');
    assert.equal(host('broken')?.unreachable?.kind, 'jump-failed');
    assert.match(host('broken')?.unreachable?.message ?? '', /^broken \(127\.0\.1\.\d+:22\): ProxyCommand "ssh .* -W %h:%p root@127\.0\.1\.\d+" exit 255 before the SSH handshake completed: .*Host key verification failed\./s);
    assert.ok(await waitFor(() => childrenOf(process.pid).every((c) => c.comm !== 'ssh')), 'no ProxyCommand left behind');
  });
});
