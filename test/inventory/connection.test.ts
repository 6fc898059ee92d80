import { strict as assert } from 'node:assert';
import { ConfigError } from '../../src/model/errors.js';
import type { ConnectionSpec, Host } from '../../src/model/inventory.js';
import { connectionFor, parseInventoryText } from '../../src/inventory/index.js';

/** The connection of host h, whose vars are given as YAML lines (indented under the host). */
function specOf(...varLines: string[]): ConnectionSpec {
  const text = ['all:', '  hosts:', '    h:', ...varLines.map((l) => `      ${l}`)].join('\n') + '\n';
  const host = parseInventoryText('inv.yml', text).hosts[0] as Host;
  return connectionFor(host);
}

const base: ConnectionSpec = { host: 'h', kind: 'ssh', address: 'h', become: false, extra: {} };

const SETTINGS: Array<[string, string[], Partial<ConnectionSpec>]> = [
  ['no vars: ssh to the inventory name', [], {}],
  ['ansible_host', ['ansible_host: 192.0.2.7'], { address: '192.0.2.7' }],
  ['ansible_ssh_host (older name, wins when both are set)', ['ansible_host: a', 'ansible_ssh_host: b'], { address: 'b' }],
  ['ansible_port', ['ansible_port: 2222'], { port: 2222 }],
  ['ansible_port as a string', ['ansible_port: "2222"'], { port: 2222 }],
  ['ansible_ssh_port', ['ansible_ssh_port: 2200'], { port: 2200 }],
  ['ansible_user', ['ansible_user: ops'], { user: 'ops' }],
  ['ansible_ssh_user', ['ansible_ssh_user: ops2'], { user: 'ops2' }],
  ['ansible_connection: ssh', ['ansible_connection: ssh'], {}],
  ['ansible_connection: paramiko means ssh', ['ansible_connection: paramiko'], {}],
  ['ansible_connection: smart means ssh', ['ansible_connection: smart'], {}],
  ['ansible_connection: ansible.builtin.ssh', ['ansible_connection: ansible.builtin.ssh'], {}],
  ['ansible_connection: local', ['ansible_connection: local'], { kind: 'local' }],
  ['ansible_connection: ansible.builtin.local', ['ansible_connection: ansible.builtin.local'], { kind: 'local' }],
  ['ansible_ssh_private_key_file', ['ansible_ssh_private_key_file: /keys/id'], { privateKeyFile: '/keys/id' }],
  ['ansible_private_key_file', ['ansible_private_key_file: /keys/id2'], { privateKeyFile: '/keys/id2' }],
  ['ansible_password', ['ansible_password: s3cret'], { password: 's3cret' }],
  ['ansible_ssh_pass', ['ansible_ssh_pass: s3cret'], { password: 's3cret' }],
  ['ansible_become: yes', ['ansible_become: yes'], { become: true, becomeMethod: 'sudo' }],
  ['ansible_become: true', ['ansible_become: true'], { become: true, becomeMethod: 'sudo' }],
  ['ansible_become: "True"', ['ansible_become: "True"'], { become: true, becomeMethod: 'sudo' }],
  ['ansible_become: 1', ['ansible_become: 1'], { become: true, becomeMethod: 'sudo' }],
  ['ansible_become: no', ['ansible_become: no'], { become: false }],
  ['ansible_become_user', ['ansible_become: yes', 'ansible_become_user: postgres'], { become: true, becomeUser: 'postgres', becomeMethod: 'sudo' }],
  ['ansible_become_method: sudo', ['ansible_become_method: sudo'], { becomeMethod: 'sudo' }],
  ['ansible_become_password', ['ansible_become_password: pw'], { becomePassword: 'pw' }],
  ['ansible_become_pass', ['ansible_become_pass: pw2'], { becomePassword: 'pw2' }],
  ['ansible_ssh_common_args and extra args go to extra', ['ansible_ssh_common_args: -o ProxyJump=bastion', 'ansible_ssh_extra_args: -v'], { extra: { ansible_ssh_common_args: '-o ProxyJump=bastion', ansible_ssh_extra_args: '-v' } }],
  ['other ansible_* vars go to extra, plain vars do not', ['ansible_python_interpreter: /usr/bin/python3', 'http_port: 80'], { extra: { ansible_python_interpreter: '/usr/bin/python3' } }],
  ['remedy_host_key_checking: yes', ['remedy_host_key_checking: yes'], { hostKeyChecking: 'yes' }],
  ['remedy_host_key_checking: accept-new', ['remedy_host_key_checking: accept-new'], { hostKeyChecking: 'accept-new' }],
  ['remedy_host_key_checking: no', ['remedy_host_key_checking: no'], { hostKeyChecking: 'no' }],
  ['remedy_host_key_checking: false', ['remedy_host_key_checking: false'], { hostKeyChecking: 'no' }],
  ['ansible_host_key_checking: false', ['ansible_host_key_checking: false'], { hostKeyChecking: 'no' }],
  ['ansible_host_key_checking: true', ['ansible_host_key_checking: true'], { hostKeyChecking: 'yes' }],
  ['remedy_host_key_checking wins over ansible_host_key_checking', ['ansible_host_key_checking: false', 'remedy_host_key_checking: accept-new'], { hostKeyChecking: 'accept-new' }],
  ['remedy_known_hosts_file', ['remedy_known_hosts_file: /lab/known_hosts'], { knownHostsFile: '/lab/known_hosts' }],
  ['ansible_ssh_timeout', ['ansible_ssh_timeout: 10'], { connectTimeout: 10 }],
  ['ansible_timeout', ['ansible_timeout: 5'], { connectTimeout: 5 }],
  ['ansible_ssh_timeout wins over ansible_timeout', ['ansible_timeout: 5', 'ansible_ssh_timeout: 7'], { connectTimeout: 7 }],
  ['a null var counts as unset', ['ansible_user: ~', 'ansible_port: null'], {}],
];

describe('inventory/connection: settings', () => {
  for (const [name, lines, want] of SETTINGS) it(name, () => assert.deepEqual(specOf(...lines), { ...base, ...want }));

  it('takes settings from group vars, host vars winning, and the port from name:port', () => {
    const inv = parseInventoryText('inv.yml', ['web:', '  vars:', '    ansible_user: deploy', '    ansible_become: yes', '  hosts:', '    web1:2222:', '      ansible_user: root'].join('\n'));
    assert.deepEqual(connectionFor(inv.hosts[0] as Host), { ...base, host: 'web1', address: 'web1', port: 2222, user: 'root', become: true, becomeMethod: 'sudo' });
  });
});

const ERRORS: Array<[string, string[], string, RegExp]> = [
  ['an unknown connection', ['ansible_connection: docker'], '4:27', /host 'h': ansible_connection is not supported: expected 'ssh' \(or 'paramiko', 'smart', which mean ssh\) or 'local', got "docker"/],
  ['winrm', ['ansible_user: x', 'ansible_connection: winrm'], '5:27', /ansible_connection is not supported/],
  ['a port that is not a number', ['ansible_port: twenty'], '4:21', /ansible_port must be a port number from 1 to 65535, got "twenty"/],
  ['a port out of range', ['ansible_port: 70000'], '4:21', /ansible_port must be a port number from 1 to 65535, got 70000/],
  ['port 0', ['ansible_port: 0'], '4:21', /ansible_port must be a port number/],
  ['a templated port', ['ansible_port: "{{ p }}"'], '4:21', /got "\{\{ p \}\}" \(templates are not evaluated in connection vars\)/],
  ['become that is not a boolean', ['ansible_become: maybe'], '4:23', /ansible_become must be a boolean \(yes\/no, true\/false\), got "maybe"/],
  ['become method su', ['ansible_become_method: su'], '4:30', /ansible_become_method is not supported: remedy becomes with 'sudo' only, got "su"/],
  ['a bad host key checking mode', ['remedy_host_key_checking: ask'], '4:33', /remedy_host_key_checking must be 'yes', 'accept-new' or 'no', got "ask"/],
  ['ansible_host_key_checking that is not a boolean', ['ansible_host_key_checking: sometimes'], '4:34', /ansible_host_key_checking must be a boolean/],
  ['a zero timeout', ['ansible_ssh_timeout: 0'], '4:28', /ansible_ssh_timeout must be a number of seconds greater than 0, got 0/],
  ['a user that is a mapping', ['ansible_user: {name: x}'], '4:21', /ansible_user must be a non-empty string/],
  ['an empty address', ['ansible_host: ""'], '4:21', /ansible_host must be a non-empty string/],
];

describe('inventory/connection: errors at the var that set them', () => {
  for (const [name, lines, where, message] of ERRORS) {
    it(name, () => {
      assert.throws(() => specOf(...lines), (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(`${e.file}:${e.line}:${e.column}`, `inv.yml:${where}`, e.message);
        assert.match(e.message, message);
        return true;
      });
    });
  }
  it('points at a group var when the group set it', () => {
    const inv = parseInventoryText('inv.yml', ['web:', '  vars:', '    ansible_connection: telnet', '  hosts:', '    web1:'].join('\n'));
    assert.throws(() => connectionFor(inv.hosts[0] as Host), (e: unknown) => e instanceof ConfigError && e.line === 3 && e.column === 25 && /host 'web1': ansible_connection/.test(e.message));
  });
  it('names the host when the host did not come from a file', () => {
    const host: Host = { name: 'x', vars: { ansible_port: 'p' }, groups: ['all'] };
    assert.throws(() => connectionFor(host), (e: unknown) => e instanceof ConfigError && e.message === `host 'x': ansible_port must be a port number from 1 to 65535, got "p"`);
  });
});
