import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlaybook, parsePlaybookText } from '../../src/config/load-playbook.js';
import { schemasDir, stepSchemaFiles } from '../../src/config/schema.js';
import { ConfigError } from '../../src/model/errors.js';

/** The problems of a playbook text as "line:column message" strings. */
function problems(text: string): string[] {
  try {
    parsePlaybookText('pb.yml', text);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) assert.equal(p.file, 'pb.yml');
    return err.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  return [];
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const oneTask = (...task: string[]) => lines('- hosts: all', '  tasks:', ...task.map((t) => `    ${t}`));

describe('config/load-playbook: schema problems, each at file:line:column', () => {
  it('a playbook is a non-empty list of plays', () => {
    assert.deepEqual(problems('hosts: all\n'), ['1:1 expected list, got mapping']);
    assert.deepEqual(problems('[]\n'), ['1:1 a playbook needs at least one play']);
    assert.deepEqual(problems('# nothing\n'), ['1:1 the playbook is empty: expected a list of plays']);
    assert.deepEqual(problems('- just a string\n'), ['1:3 expected mapping, got string']);
  });

  it('a play needs hosts, and its unknown keys are listed with a suggestion', () => {
    assert.deepEqual(problems(lines('- name: p', '  tasks: []')), ["1:3 missing required key 'hosts'"]);
    const [p] = problems(lines('- hosts: all', '  hots: web'));
    assert.match(p ?? '', /^2:3 unknown key 'hots' \(did you mean 'hosts'\? expected one of: name, hosts, category, vars, serial, max_fail_percentage, health_gate, strategy, tasks, handlers, tags, vars_files, gather_facts\)$/);
  });

  it('checks the values of play keys', () => {
    assert.deepEqual(problems(lines('- hosts: all', '  category: kernels')), [
      '2:13 expected one of: "applications", "kernel", "shared-libraries", "sysv-services", "xinetd-services", "check"',
    ]);
    assert.deepEqual(problems(lines('- hosts: all', '  strategy: parallel')), ['2:13 expected one of: "linear", "free"']);
    assert.deepEqual(problems(lines('- hosts: all', '  serial: 0')), ['2:11 serial must be a count of at least 1, a percentage such as "30%", or a list of those']);
    assert.deepEqual(problems(lines('- hosts: all', '  serial: "30"')), ['2:11 serial must be a count of at least 1, a percentage such as "30%", or a list of those']);
    assert.deepEqual(problems(lines('- hosts: all', '  serial: [1, "x", 2.5]')), [
      '2:15 a batch size must be a count of at least 1 or a percentage such as "30%"',
      '2:20 expected integer or string, got number',
    ]);
    assert.deepEqual(problems(lines('- hosts: all', '  serial: true')), ['2:11 expected integer, string or list, got boolean']);
    assert.deepEqual(problems(lines('- hosts: all', '  max_fail_percentage: 150')), ['2:24 max_fail_percentage must be a number from 0 to 100 (or a {{ template }} of play or extra vars)']);
    assert.deepEqual(problems(lines('- hosts: ""')), ['1:10 hosts must be a non-empty host pattern or list of patterns']);
    assert.deepEqual(problems(lines('- hosts: all', '  vars: {ok: 1, 2bad: 2}')), ["2:17 invalid key '2bad': expected a variable name (letters, digits and _, not starting with a digit)"]);
    assert.deepEqual(problems(lines('- hosts: all', '  tasks: {command: ls}')), ['2:10 expected list or null, got mapping']);
    assert.deepEqual(problems(lines('- hosts: all', '  tasks: [ls]')), ['2:11 expected mapping, got string']);
  });

  it('checks the values of task keywords', () => {
    assert.deepEqual(problems(oneTask('- command: ls', '  register: my-result')), ['4:17 expected a variable name (letters, digits and _, not starting with a digit)']);
    assert.deepEqual(problems(oneTask('- command: ls', '  when: 42')), ['4:13 expected string, boolean or list, got integer']);
    assert.deepEqual(problems(oneTask('- command: ls', '  when: [a, {b: c}]')), ['4:17 expected string or boolean, got mapping']);
    assert.deepEqual(problems(oneTask('- command: ls', '  timeout: 0')), ['4:16 timeout must be a number of seconds greater than 0 and at most 2000000']);
    assert.deepEqual(problems(oneTask('- command: ls', '  retries: -1')), ['4:16 retries must be an integer of at least 0']);
    assert.deepEqual(problems(oneTask('- command: ls', '  retries: 1.5')), ['4:16 expected integer, got number']);
    assert.deepEqual(problems(oneTask('- command: ls', '  delay: -2')), ['4:14 delay must be a number of seconds from 0 to 2000000']);
    assert.deepEqual(problems(oneTask('- command: ls', '  ignore_errors: yes')), []); // YAML 1.1, as Ansible: a boolean
    assert.deepEqual(problems(oneTask('- command: ls', '  ignore_errors: y')), ["4:22 expected boolean, got string ('y' is a string: YAML booleans are yes/no, true/false, on/off; write true)"]);
    assert.deepEqual(problems(oneTask('- command: ls', "  ignore_errors: 'no'")), ["4:22 expected boolean, got string ('no' is a boolean only unquoted: remove the quotes, or write false)"]);
    assert.deepEqual(problems(oneTask('- command: ls', '  notify: {a: 1}')), ['4:15 expected string or list, got mapping']);
  });

  it('checks step arguments: wrong types, missing and unknown keys', () => {
    assert.deepEqual(problems(oneTask('- command: 42')), ['3:16 expected string, list or mapping, got integer']);
    assert.deepEqual(problems(oneTask('- command: ""')), ['3:16 command needs a program to run: a non-empty string, a non-empty list of strings, or {argv: …}']);
    assert.deepEqual(problems(oneTask('- command: [ls, 1]')), ['3:21 expected string, got integer']);
    assert.deepEqual(problems(oneTask('- command: {chdir: /tmp}')), ["3:16 missing required key 'argv'"]);
    assert.deepEqual(problems(oneTask('- command: {argv: ls, cwd: /tmp}')), ["3:27 unknown key 'cwd' (expected one of: argv, chdir, stdin)"]);
    assert.deepEqual(problems(oneTask('- shell: [ls]')), ['3:14 expected string or mapping, got list']);
    assert.deepEqual(problems(oneTask('- shell: {script: 1}')), ['3:23 expected string, got integer']);
    assert.deepEqual(problems(oneTask('- assert: x == 1')), ['3:15 expected mapping, got string']);
    assert.deepEqual(problems(oneTask('- assert: {that: []}')), ['3:22 that needs at least one expression']);
    assert.deepEqual(problems(oneTask('- assert: {fail_msg: none}')), ["3:15 missing required key 'that'"]);
    assert.deepEqual(problems(oneTask('- set_fact: {}')), ['3:17 set_fact needs at least one variable']);
    assert.deepEqual(problems(oneTask('- set_fact: {a-b: 1}')), ["3:18 invalid key 'a-b': expected a variable name (letters, digits and _, not starting with a digit)"]);
    assert.deepEqual(problems(oneTask('- debug: {msg: a, var: b}')), ["3:14 debug takes exactly one of 'msg' or 'var'"]);
    assert.deepEqual(problems(oneTask('- debug: {}')), ["3:14 debug takes exactly one of 'msg' or 'var'"]);
    assert.deepEqual(problems(oneTask('- fail: {msg: 3}')), ['3:19 expected string, got integer']);
  });

  it('a task has exactly one step, and unknown keys get a suggestion', () => {
    assert.deepEqual(problems(oneTask('- name: x', '  when: true')), [
      "3:7 task 'x' has no step: expected one of command, shell, assert, set_fact, debug, fail, gather_facts, recheck, restart_services, service, xinetd_sessions, kill_processes, daemon_reexec, remediate, reboot (or block, include_tasks, import_tasks)",
    ]);
    assert.deepEqual(problems(oneTask('- command: ls', '  shell: ls')), ["4:7 task has two steps: 'command' and 'shell' (a task has exactly one; split it into several)"]);
    assert.deepEqual(problems(oneTask('- comand: ls')), ["3:7 unknown step type or task keyword 'comand' (did you mean 'command'?)"]);
    assert.deepEqual(problems(oneTask('- command: ls', '  regsiter: r')), ["4:7 unknown step type or task keyword 'regsiter' (did you mean 'register'?)"]);
    const [far] = problems(oneTask('- command: ls', '  frobnicate: 1'));
    assert.match(far ?? '', /^4:7 unknown step type or task keyword 'frobnicate' \(expected a step: command, shell, .*reboot; or a task keyword: name, when, register, .*vars, loop, .*import_tasks\)$/);
    assert.deepEqual(problems(oneTask('- command: ls', '  listen: x')), ["4:7 'listen' is only allowed in handlers"]);
    assert.deepEqual(problems(lines('- hosts: all', '  handlers:', '    - command: ls', '      listen: [a, b]')), []);
  });

  it('steps whose schema is still a placeholder accept a mapping or nothing', () => {
    const placeholders = stepSchemaFiles().filter((f) => /placeholder/i.test(readFileSync(join(schemasDir, f), 'utf8')))
      .map((f) => f.replace(/^steps\/|\.schema\.json$/g, ''));
    for (const step of placeholders) {
      assert.deepEqual(problems(oneTask(`- ${step}:`, `- ${step}: {whatever: 1}`)), [], step);
      assert.deepEqual(problems(oneTask(`- ${step}: now`)), [`3:${9 + step.length} expected mapping or null, got string`], step);
    }
  });

  it('reports every problem of the file at once, in file order', () => {
    const found = problems(lines(
      '- hosts: all',
      '  strategy: fast',
      '  tasks:',
      '    - comand: ls',
      '    - command: 42',
      '- name: second',
      '  tasks:',
      '    - debug: {}',
    ));
    assert.equal(found.length, 5, found.join('\n'));
    assert.deepEqual(found.map((f) => f.split(' ')[0]), ['2:13', '4:7', '5:16', '6:3', '8:14']);
  });
});

describe('config/load-playbook: files', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'remedy-pb-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('loads a playbook file and names it in the model and in task sources', async () => {
    const file = join(dir, 'ok.yml');
    await writeFile(file, oneTask('- command: ls'));
    const pb = await loadPlaybook(file);
    assert.equal(pb.file, file);
    assert.deepEqual(pb.plays[0]?.tasks[0]?.source, { file, line: 3, column: 7, pointer: '/0/tasks/0' });
  });

  it('a missing file is a ConfigError naming it', async () => {
    const file = join(dir, 'nope.yml');
    await assert.rejects(loadPlaybook(file), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.file, file);
      assert.match(err.message, /cannot read file: no such file/);
      return true;
    });
  });

  it('a YAML syntax error is a ConfigError with line and column', async () => {
    const file = join(dir, 'bad.yml');
    await writeFile(file, '- hosts: all\n  tasks: [\n');
    await assert.rejects(loadPlaybook(file), (err: unknown) => err instanceof ConfigError && err.line === 3 && /YAML syntax error/.test(err.message));
  });
});
