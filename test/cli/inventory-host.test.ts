import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { remedy, scratch } from './run-cli.js';

describe('remedy inventory --host: the vars as ansible-inventory prints them, and how remedy will connect', function () {
  this.timeout(30_000);
  const dir = scratch({
    'inv.yml': [
      'all:',
      '  hosts:',
      '    web1: { ansible_host: 10.0.0.5, ansible_user: deploy, ansible_port: 2222, ansible_ssh_common_args: "-J jump@bastion:2200" }',
      '    here: { ansible_connection: local }',
      '',
    ].join('\n'),
  });

  it('stdout is the vars JSON alone; stderr says address, port, user and the jump host', async () => {
    const r = await remedy(['inventory', '-i', join(dir, 'inv.yml'), '--host', 'web1']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ansible_host: '10.0.0.5', ansible_port: 2222, ansible_ssh_common_args: '-J jump@bastion:2200', ansible_user: 'deploy' });
    for (const line of ['hostname 10.0.0.5', 'port 2222', 'user deploy', 'stricthostkeychecking yes']) assert.ok(r.stderr.split('\n').includes(line), `${line} not in:\n${r.stderr}`);
    assert.match(r.stderr, /proxyjump.*bastion|jump.*bastion/i);
  });

  it('a local host says so', async () => {
    const r = await remedy(['inventory', '-i', join(dir, 'inv.yml'), '--host', 'here']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /remedy connects to here: local \(no SSH\)/);
  });
});
