/**
 * notify must name a handler of the play. Ansible stops with "The requested handler 'x' was not
 * found" when such a task changes a host; remedy refuses the playbook at load time, at the task, and
 * fails the task of an include_tasks file (read at run time) instead of dropping the notification.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadPlaybook } from '../../src/config/load-playbook.js';
import { runPlaybooks } from '../../src/engine/index.js';
import { parseInventoryText } from '../../src/inventory/index.js';
import { createLocalTransport } from '../../src/transport/local.js';
import { problems, tree } from './file-tree.js';

const HANDLERS = '  handlers:\n    - name: restart web\n      command: "true"\n    - name: other\n      listen: [web changed]\n      command: "true"\n';

describe('config: notify names a handler of the play', () => {
  it('accepts names and listen topics; refuses an unknown name in a task, a block, an imported file and a handler, at the task', async () => {
    const dir = tree({
      'pb.yml': [
        '- name: web', '  hosts: all', '  tasks:',
        '    - { name: ok, command: "true", notify: [restart web, web changed] }',
        '    - { name: typo, command: "true", notify: restart wbe }',
        '    - block:', '        - { name: inner, command: "true", notify: nope }',
        '    - import_tasks: more.yml',
        HANDLERS + '    - { name: chained, command: "true", notify: gone }',
      ].join('\n'),
      'more.yml': '- name: imported\n  command: "true"\n  notify: missing\n',
    });
    const listed = "its handlers: 'restart web', 'other', 'web changed', 'chained'";
    assert.deepEqual(await problems(dir), [
      `pb.yml:5:7 task 'typo': notify: no handler named 'restart wbe' in play 'web' (${listed}) (did you mean 'restart web'?)`,
      `pb.yml:7:11 task 'inner': notify: no handler named 'nope' in play 'web' (${listed})`,
      `pb.yml:15:7 task 'chained': notify: no handler named 'gone' in play 'web' (${listed})`,
      `more.yml:1:3 task 'imported': notify: no handler named 'missing' in play 'web' (${listed})`,
    ]);
  });

  it('a play without handlers says so', async () => {
    const dir = tree({ 'pb.yml': '- hosts: all\n  tasks:\n    - { name: t, command: "true", notify: h }\n' });
    assert.deepEqual(await problems(dir), ["pb.yml:3:7 task 't': notify: no handler named 'h' in play 'all' (it has no handlers)"]);
  });

  it('a task of an include_tasks file that changes the host and names no handler fails, the others go on', async () => {
    const dir = tree({
      'pb.yml': '- hosts: all\n  tasks:\n    - include_tasks: inc.yml\n    - { name: after, command: "true" }\n' + HANDLERS,
      'inc.yml': '- { name: included, command: "true", notify: absent }\n',
    });
    const report = await runPlaybooks({
      playbooks: [await loadPlaybook(join(dir, 'pb.yml'))],
      inventory: parseInventoryText('inv.yml', 'all:\n  hosts:\n    h1: { ansible_connection: local }\n'),
      transportFor: createLocalTransport,
    }, () => undefined);
    const step = report.hosts[0]!.steps.find((s) => s.task === 'included')!;
    assert.equal(step.status, 'failed');
    assert.match(step.message ?? '', /inc\.yml:1:3: task 'included' changed the host, but notify names no handler of play 'all': 'absent'/);
    assert.equal(report.hosts[0]!.status, 'failed');
  });

  it('ansible-playbook stops on the same playbook (differential)', function () {
    this.timeout(60_000);
    const dir = tree({ 'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - { name: t, command: "true", notify: nope }\n' + HANDLERS });
    const r = spawnSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', join(dir, 'pb.yml')], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
    if (r.error) throw new Error(`ansible-playbook is required (.ci/run installs ansible-core): ${r.error.message}`);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /The requested handler 'nope' was not found/);
    return problems(dir).then((p) => assert.equal(p.length, 1));
  });
});
