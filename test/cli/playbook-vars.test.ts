/**
 * group_vars/ and host_vars/ beside the playbook in a run, compared with ansible-playbook: the
 * inventory's own (beside it), the playbook's (winning over the inventory's of the same kind),
 * and an imported playbook's in its own directory, which its plays see instead.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { remedy } from './run-cli.js';

const FILES: Record<string, string> = {
  'inv/hosts.yml': 'all:\n  vars: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 }\n  children:\n    web:\n      hosts: { w1: {}, w2: {} }\n',
  'inv/group_vars/all.yml': 'a: inv-all\nb: inv-all\nc: inv-all\nd: inv-all\n',
  'inv/group_vars/web.yml': 'b: inv-web\nc: inv-web\n',
  'inv/host_vars/w1.yml': 'd: inv-w1\n',
  'pb/site.yml': [
    '- hosts: web',
    '  gather_facts: false',
    '  tasks:',
    '    - name: show',
    '      debug: { msg: "{{ a }} {{ b }} {{ c }} {{ d }}" }',
    '- import_playbook: sub/other.yml',
    '',
  ].join('\n'),
  'pb/group_vars/all.yml': 'a: pb-all\nc: pb-all\n',
  'pb/group_vars/web.yml': 'b: pb-web\n',
  'pb/host_vars/w2.yml': 'd: pb-w2\n',
  'pb/sub/other.yml': '- hosts: web\n  gather_facts: false\n  tasks:\n    - name: show sub\n      debug: { msg: "{{ a }} {{ b }} {{ c }} {{ d }}" }\n',
  'pb/sub/group_vars/web.yml': 'b: sub-web\n',
  'ansible.cfg': '',
};

describe('cli: group_vars/ and host_vars/ beside the playbook, compared with ansible-playbook', function () {
  this.timeout(120_000);

  it('each play sees those beside its own playbook file, above the inventory\'s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'remedy-pbvars-'));
    for (const [name, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const out = execFileSync('ansible-playbook', ['-i', join(dir, 'inv/hosts.yml'), join(dir, 'pb/site.yml')], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_LOCAL_TEMP: dir, ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'default' },
    });
    // "ok: [w1] => {\n    "msg": "…"\n}" for each task and host.
    const theirs = [...out.matchAll(/TASK \[([^\]]+)\][^]*?(?=TASK|PLAY RECAP)/g)]
      .flatMap((t) => [...t[0].matchAll(/ok: \[(\w+)\] => \{\s*"msg": "([^"]*)"/g)].map((m) => `${m[1]}: ${m[2]}`).sort());
    const json = join(dir, 'report.json');
    const run = await remedy(['run', join(dir, 'pb/site.yml'), '-i', join(dir, 'inv/hosts.yml'), '--json', json, '--no-progress']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { hosts: Array<{ name: string; steps: Array<{ task: string; message: string }> }> };
    const byTask = (task: string) => report.hosts.map((h) => `${h.name}: ${h.steps.find((s) => s.task === task)?.message}`);
    const ours = [...byTask('show'), ...byTask('show sub')];
    assert.deepEqual(ours, theirs);
    // A group's vars beat all's wherever each was read; the playbook's win over the inventory's of the same kind.
    assert.deepEqual(ours, [
      'w1: pb-all pb-web inv-web inv-w1', 'w2: pb-all pb-web inv-web pb-w2',
      'w1: inv-all sub-web inv-web inv-w1', 'w2: inv-all sub-web inv-web inv-all',
    ]);
  });
});
