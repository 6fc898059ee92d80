/** The plain view of a host's connection that `remedy inventory --host` prints. */
import assert from 'node:assert/strict';
import { describeSshConnection, formatSshConnection } from '../../src/transport/index.js';
import { parseSshConfig } from '../../src/transport/ssh-config.js';

describe('ssh connection view', () => {
  const config = parseSshConfig([
    'Host web01',
    '  HostName 10.0.0.5',
    '  ProxyJump ops@bastion:2222',
    '  StrictHostKeyChecking accept-new',
    'Host bastion',
    '  HostName bastion.example.com',
    '  ProxyCommand nc -X connect -x proxy:3128 %h %p',
    'Host *',
    '  IdentityFile ~/.ssh/id_ed25519',
    '  UserKnownHostsFile ~/.ssh/known_hosts.d/%h',
  ].join('\n'), '/home/u/.ssh/config');

  it('says where and how remedy connects, through what, and where each setting came from', () => {
    const v = describeSshConnection({ host: 'web01', kind: 'ssh', address: 'web01', user: 'deploy', become: false, extra: {} }, config);
    assert.equal(v.address, '10.0.0.5');
    assert.equal(v.user, 'deploy');
    assert.equal(v.port, 22);
    assert.equal(v.hostKeyPolicy, 'accept-new');
    assert.match(v.identityFiles[0] ?? '', /\/\.ssh\/id_ed25519$/);
    assert.match(v.knownHostsFiles[0] ?? '', /\/\.ssh\/known_hosts\.d\/10\.0\.0\.5$/);
    assert.deepEqual(v.from, {
      address: '/home/u/.ssh/config:2', port: 'default', user: 'inventory (web01)', identityFiles: '/home/u/.ssh/config:9',
      knownHostsFiles: '/home/u/.ssh/config:10', hostKeyPolicy: '/home/u/.ssh/config:4', via: '/home/u/.ssh/config:3',
    });
    assert.ok(v.via && 'jumpHost' in v.via);
    const jump = v.via.jumpHost;
    assert.deepEqual([jump.host, jump.address, jump.port, jump.user], ['bastion', 'bastion.example.com', 2222, 'ops']);
    assert.deepEqual(jump.via, { proxyCommand: 'nc -X connect -x proxy:3128 bastion.example.com 2222' });
    const text = formatSshConnection(v);
    assert.match(text, /^host web01\nhostname 10\.0\.0\.5\nport 22\nuser deploy\n/);
    assert.match(text, /\nproxyjump bastion\n  host bastion\n  hostname bastion\.example\.com\n[\s\S]*\n  proxycommand nc -X connect -x proxy:3128 bastion\.example\.com 2222$/);
    assert.doesNotThrow(() => JSON.stringify(v));
  });
});
