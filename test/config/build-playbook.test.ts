import assert from 'node:assert/strict';
import { defaultTaskName, toConditions, toTags } from '../../src/config/build-playbook.js';
import { parsePlaybookText } from '../../src/config/load-playbook.js';
import type { Play } from '../../src/model/playbook.js';
import { flattenTasks } from '../../src/model/playbook.js';

const text = `# yaml-language-server: $schema=../schemas/playbook.schema.json
- name: services
  hosts: [web, "db:&prod"]
  category: sysv-services
  serial: [1, "30%"]
  max_fail_percentage: 25
  strategy: free
  tags: [svc, restart]
  vars:
    grace: 5
    units: [sshd, crond]
  tasks:
    - name: list units
      command: [systemctl, list-units]
      register: units_out
      when: [true, "units | length > 0"]
      changed_when: false
      failed_when: units_out.exitCode != 0
      tags: "a, b"
      notify: restart things
      ignore_errors: true
      timeout: 30
      retries: 2
      delay: 0.5
      until: units_out.exitCode == 0
      vars: {x: 1}
    - shell: |
        systemctl daemon-reexec
        echo done
  handlers:
    - name: restart sshd
      command: {argv: systemctl restart sshd, chdir: /}
      listen: restart things
- hosts: localhost
  tasks:
    - assert: {that: [a == 1, b]}
    - debug: {msg: "hi {{ name }}"}
    - set_fact: {a: 1, b: two}
    - fail:
    - command: echo   this is a rather long command line that goes on and on and on
`;

describe('config/build-playbook: normalisation into the model', () => {
  it('round-trips a valid multi-play playbook into Play and Task values', () => {
    const pb = parsePlaybookText('site.yml', text);
    assert.equal(pb.file, 'site.yml');
    assert.equal(pb.plays.length, 2);
    const [p1, p2] = pb.plays as [Play, Play];
    assert.deepEqual({ ...p1, tasks: [], handlers: [] }, {
      name: 'services',
      hosts: 'web,db:&prod',
      category: 'sysv-services',
      vars: { grace: 5, units: ['sshd', 'crond'] },
      serial: [1, '30%'],
      maxFailPercentage: 25,
      strategy: 'free',
      tasks: [],
      handlers: [],
      tags: ['svc', 'restart'],
      source: { file: 'site.yml', line: 2, column: 3, pointer: '/0' },
    });
    assert.deepEqual(p1.tasks[0], {
      name: 'list units',
      type: 'command',
      args: ['systemctl', 'list-units'],
      when: ['true', 'units | length > 0'],
      register: 'units_out',
      notify: ['restart things'],
      tags: ['a', 'b'],
      ignoreErrors: true,
      changedWhen: ['false'],
      failedWhen: ['units_out.exitCode != 0'],
      timeout: 30,
      retries: 2,
      delay: 0.5,
      until: ['units_out.exitCode == 0'],
      vars: { x: 1 },
      listen: [],
      source: { file: 'site.yml', line: 13, column: 7, pointer: '/0/tasks/0' },
    });
    assert.deepEqual(p1.tasks[1], {
      name: 'shell: systemctl daemon-reexec…',
      type: 'shell',
      args: 'systemctl daemon-reexec\necho done\n',
      when: [],
      notify: [],
      tags: [],
      ignoreErrors: false,
      vars: {},
      listen: [],
      source: { file: 'site.yml', line: 27, column: 7, pointer: '/0/tasks/1' },
    });
    assert.deepEqual(p1.handlers.map((h) => [h.name, h.type, h.args, h.listen]), [
      ['restart sshd', 'command', { argv: 'systemctl restart sshd', chdir: '/' }, ['restart things']],
    ]);
    assert.equal(p2.name, 'localhost');
    assert.equal(p2.strategy, 'linear');
    assert.deepEqual([p2.vars, p2.tags, p2.handlers, p2.serial, p2.category, p2.maxFailPercentage], [{}, [], [], undefined, undefined, undefined]);
    assert.deepEqual(flattenTasks(p2.tasks).map((t) => [t.name, t.type, t.args]), [
      ['assert: a == 1 and b', 'assert', { that: ['a == 1', 'b'] }],
      ['debug: hi {{ name }}', 'debug', { msg: 'hi {{ name }}' }],
      ['set_fact: a, b', 'set_fact', { a: 1, b: 'two' }],
      ['fail', 'fail', null],
      ['command: echo this is a rather long command line that…', 'command', 'echo   this is a rather long command line that goes on and on and on'],
    ]);
    assert.deepEqual(p2.tasks[0]?.source, { file: 'site.yml', line: 36, column: 7, pointer: '/1/tasks/0' });
  });

  it('normalises conditions, tags and default names', () => {
    assert.deepEqual(toConditions(false), ['false']);
    assert.deepEqual(toConditions(' x '), ['x']);
    assert.deepEqual(toConditions([true, 'y']), ['true', 'y']);
    assert.deepEqual(toConditions(undefined), []);
    assert.deepEqual(toTags('a,b , c'), ['a', 'b', 'c']);
    assert.deepEqual(toTags(['x', 'y,z']), ['x', 'y', 'z']);
    assert.equal(defaultTaskName('debug', { var: 'result.stdout' }), 'debug: result.stdout');
    assert.equal(defaultTaskName('reboot', {}), 'reboot');
    assert.equal(defaultTaskName('gather_facts', null), 'gather_facts');
    assert.equal(defaultTaskName('service', { name: 'sshd', state: 'restarted' }), 'service: sshd');
    assert.equal(defaultTaskName('shell', { script: 'a\nb' }), 'shell: a…');
  });

  it('a play with empty tasks and handlers sections has none', () => {
    const pb = parsePlaybookText('e.yml', '- hosts: all\n  tasks:\n  handlers:\n  vars:\n');
    assert.deepEqual([pb.plays[0]?.tasks, pb.plays[0]?.handlers, pb.plays[0]?.vars], [[], [], {}]);
  });
});
