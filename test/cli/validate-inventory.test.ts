import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { remedy, repoRoot, scratch } from './run-cli.js';

const INVENTORY = `all:
  vars:
    ansible_connection: local
  children:
    web:
      hosts:
        web[01:03]:
    db:
      hosts:
        db1:
`;

describe('remedy validate and remedy inventory', function () {
  this.timeout(30_000);

  it('validate says what each file is, and lists every problem of a bad one at once (exit 5)', async () => {
    const dir = scratch({
      'good.yml': '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n',
      'inv.yml': INVENTORY,
      'bad.yml': '- hosts: all\n  taks: []\n  tasks:\n    - comand: ls\n    - debug: { msg: hi }\n      when: "x =="\n',
    });
    const res = await remedy(['validate', join(dir, 'good.yml'), join(dir, 'inv.yml'), join(dir, 'bad.yml')]);
    assert.equal(res.code, 5, res.stdout + res.stderr);
    assert.match(res.stdout, /good\.yml: valid playbook/);
    assert.match(res.stdout, /inv\.yml: valid inventory/);
    assert.match(res.stderr, /bad\.yml: 3 problems \(playbook\)/);
    assert.match(res.stderr, /bad\.yml:2:3: .*taks/);
    assert.match(res.stderr, /bad\.yml:4:7: .*comand/);
    assert.match(res.stderr, /bad\.yml:6:\d+: /);
  });

  it('every shipped playbook and the example inventory validate', async () => {
    const files = ['apply-errata', 'applications', 'check', 'kernel', 'shared-libraries', 'sysv-services', 'xinetd-services']
      .map((p) => join(repoRoot, 'playbooks', `${p}.yml`));
    const res = await remedy(['validate', ...files, join(repoRoot, 'inventory.example.yml')]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.equal(res.stdout.trim().split('\n').length, files.length + 1);
  });

  it('inventory lists the hosts a pattern selects, as a list, JSON or a graph', async () => {
    const dir = scratch({ 'inv.yml': INVENTORY });
    const inv = join(dir, 'inv.yml');
    const plain = await remedy(['inventory', '-i', inv, '-l', 'web:!web02']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /hosts \(2\):\n\s+web01\n\s+web03\n/);
    const list = await remedy(['inventory', '-i', inv, '--list']);
    const json = JSON.parse(list.stdout) as { _meta: { hostvars: Record<string, Record<string, unknown>> }; web: { hosts: string[] } };
    assert.deepEqual(json.web.hosts, ['web01', 'web02', 'web03']);
    assert.equal(json._meta.hostvars.db1?.ansible_connection, 'local');
    const graph = await remedy(['inventory', '-i', inv, '--graph']);
    assert.match(graph.stdout, /@all:\n[\s\S]*@web:\n[\s\S]*web03\n[\s\S]*@db:\n[\s\S]*db1/); // file order, as ansible-core 2.14
  });

  it('inventory --host prints one host\'s vars as ansible-inventory --host; warnings go to stderr', async () => {
    const dir = scratch({ 'hosts': '[web]\nw1 ansible_port=2222 tags="[\'a\']"\nw2\n[web:vars]\nansible_become=yes\n' });
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'group_vars', 'web.yml'), 'debug_mode: no\n');
    const host = await remedy(['inventory', '-i', join(dir, 'hosts'), '--host', 'w1']);
    assert.equal(host.code, 0, host.stderr);
    assert.equal(host.stdout, '{\n    "ansible_become": "yes",\n    "ansible_port": 2222,\n    "debug_mode": false,\n    "tags": [\n        "a"\n    ]\n}\n');
    const many = await remedy(['inventory', '-i', join(dir, 'hosts'), '--host', 'w*']);
    assert.equal(many.code, 5);
    assert.match(many.stderr, /--host 'w\*' must name one host; it selects 2/);
    const warned = await remedy(['inventory', '-i', join(dir, 'hosts'), '-l', 'web:&typo']);
    assert.equal(warned.code, 0, warned.stderr);
    assert.equal(warned.stderr, "WARNING: pattern 'typo' matches no host or group in " + join(dir, 'hosts') + '; ignored\n');
    assert.match(warned.stdout, /hosts \(0\):/);
  });

  it('inventory with a pattern matching nothing exits 5 and names it', async () => {
    const dir = scratch({ 'inv.yml': INVENTORY });
    const res = await remedy(['inventory', '-i', join(dir, 'inv.yml'), '-l', 'mail*']);
    assert.equal(res.code, 5);
    assert.match(res.stderr, /mail\*/);
  });
});
