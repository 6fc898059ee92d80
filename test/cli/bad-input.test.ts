import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remedy, scratch } from './run-cli.js';

const INVENTORY = 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n';
/** A file a task would create if a bad input let it run. */
const TOUCHED = join(tmpdir(), `remedy-bad-input-${process.pid}.touched`);

/** Each bad input: its files, the command, and what the error must say. Every one exits 5, no stack trace. */
const cases: Array<{ name: string; files: Record<string, string>; args: (dir: string) => string[]; expect: RegExp }> = [
  {
    name: 'a YAML syntax error',
    files: { 'p.yml': '- hosts: all\n  tasks:\n    - command: [a, b\n', 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml')],
    expect: /p\.yml:\d+:\d+: /,
  },
  {
    name: 'an unknown step type',
    files: { 'p.yml': '- hosts: all\n  tasks:\n    - comand: ls\n', 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml')],
    expect: /p\.yml:3:7: .*comand.*command/,
  },
  {
    name: 'a wrong argument type',
    files: { 'p.yml': '- hosts: all\n  tasks:\n    - command: 42\n', 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml')],
    expect: /p\.yml:3:\d+: /,
  },
  {
    name: 'an unknown play key',
    files: { 'p.yml': '- hosts: all\n  taks: []\n', 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml')],
    expect: /p\.yml:2:3: .*taks/,
  },
  {
    name: 'a missing playbook file',
    files: { 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'nope.yml'), '-i', join(d, 'i.yml')],
    expect: /nope\.yml.*(not found|no such file)/i,
  },
  {
    name: 'a missing inventory file',
    files: { 'p.yml': '- hosts: all\n  tasks: []\n' },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'nope.yml')],
    expect: /nope\.yml.*(not found|no such file)/i,
  },
  {
    name: 'an undefined variable',
    files: { 'p.yml': '- hosts: all\n  tasks:\n    - debug:\n        msg: "{{ missing_var }}"\n', 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml'), '--no-progress'],
    expect: /p\.yml:3:\d+: .*undefined variable 'missing_var'/,
  },
  {
    name: 'a pattern that matches no host',
    files: { 'p.yml': '- hosts: webservers\n  tasks: []\n', 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml')],
    expect: /webservers/,
  },
  {
    name: 'a --limit that matches no host',
    files: { 'p.yml': '- hosts: all\n  tasks: []\n', 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml'), '-l', 'db*'],
    expect: /db\*/,
  },
  {
    name: 'an expression syntax error',
    files: { 'p.yml': '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n      when: "x =="\n', 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml')],
    expect: /p\.yml:4:\d+: /,
  },
  {
    name: 'an inventory with a bad connection type',
    files: { 'p.yml': '- hosts: all\n  tasks: []\n', 'i.yml': 'all:\n  hosts:\n    a:\n      ansible_connection: telnet\n' },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml')],
    expect: /i\.yml:4:\d+: .*telnet/,
  },
  {
    name: 'an ssh setting remedy cannot honour (found before any host is touched, also the local one)',
    files: {
      'p.yml': `- hosts: all\n  tasks:\n    - shell: "touch ${TOUCHED}"\n`,
      'i.yml': "all:\n  hosts:\n    alpha: { ansible_connection: local }\n    gamma: { ansible_host: 127.0.0.1, ansible_ssh_common_args: '-o CanonicalizeHostname=yes' }\n",
    },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml'), '--no-progress'],
    expect: /host gamma.*canonicalize/,
  },
  ...['-1', '0', '1.5', 'abc', '150%'].map((batch) => ({
    name: `a serial from -e batch=${batch}, checked before the first play touches a host`,
    files: {
      'p.yml': `- hosts: all\n  tasks:\n    - shell: "touch ${TOUCHED}"\n- hosts: all\n  serial: "{{ batch }}"\n  tasks:\n    - shell: "true"\n`,
      'i.yml': INVENTORY,
    },
    args: (d: string) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml'), '--no-progress', '-e', `batch=${batch}`],
    expect: /p\.yml:4:3: play 'all': serial: /,
  })),
  {
    name: 'an unknown flag',
    files: {},
    args: () => ['run', '--frobnicate'],
    expect: /unknown option '--frobnicate'/,
  },
  {
    name: 'a bad -e',
    files: { 'p.yml': '- hosts: all\n  tasks: []\n', 'i.yml': INVENTORY },
    args: (d) => ['run', join(d, 'p.yml'), '-i', join(d, 'i.yml'), '-e', '=oops'],
    expect: /-e '=oops'/,
  },
];

describe('bad input: a clear message, exit code 5, never a stack trace', function () {
  this.timeout(30_000);
  for (const c of cases) {
    it(c.name, async () => {
      const dir = scratch(c.files);
      const res = await remedy(c.args(dir));
      const output = res.stderr + res.stdout;
      assert.equal(res.code, 5, `exit code for ${c.name}; output:\n${output}`);
      assert.match(output, c.expect);
      assert.doesNotMatch(output, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
      assert.ok(!existsSync(TOUCHED), 'nothing ran on any host');
    });
  }
});
