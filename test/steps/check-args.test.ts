import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { loadPlaybook } from '../../src/config/index.js';
import { checkArgs } from '../../src/steps/check-args.js';
import { findStep } from '../../src/steps/registry.js';
import { flattenTasks } from '../../src/model/playbook.js';

const check = (step: string, args: unknown) => checkArgs(findStep(step)!, args);
const reason = (step: string, args: unknown): string => {
  const r = check(step, args);
  assert.equal(r.ok, false, `${step} ${JSON.stringify(args)} passed`);
  return r.ok ? '' : r.reason;
};

describe('steps/check-args: rendered arguments against the strict schema', () => {
  it('names the step, the argument and the value of each bad one', () => {
    const table: Array<[string, unknown, string]> = [
      ['restart_services', { services: ['sshd', 'a;b'] }, "restart_services: services[1]: a service name may only hold letters, digits and @ . _ : -, not starting with - or ., got 'a;b'"],
      ['restart_services', { services: 'sshd' }, "restart_services: services must be a list, got 'sshd'"],
      ['restart_services', { never_restart: [''] }, "restart_services: never_restart[0]: must NOT have fewer than 1 characters, got ''"],
      ['reboot', { reboot_timeout: 'soon' }, "reboot: reboot_timeout must be a number of seconds above 0, got 'soon'"],
      ['reboot', { force: 'maybe', reboot_timeout: 0 }, "reboot: force must be true or false, got 'maybe'; reboot_timeout must be a number of seconds above 0, got 0"],
      ['reboot', { pre_reboot_delay: '-1' }, 'reboot: pre_reboot_delay must be a number of seconds, got -1'],
      ['kill_processes', { user: 'bob' }, 'kill_processes needs pids, name or pattern'],
      ['kill_processes', { pids: [12, 'x', 0] }, "kill_processes: pids[1]: a process id is a whole number above 0, got 'x'; pids[2]: a process id is a whole number above 0, got 0"],
      ['kill_processes', { pids: '12' }, "kill_processes: pids must be a list of process ids, got '12'"],
      ['kill_processes', { name: 'x', user: 'bob;id' }, "kill_processes: user must be a user name, got 'bob;id'"],
      ['kill_processes', { name: 'x', signal: 'STOP' }, 'kill_processes: signal: expected one of: "TERM", "KILL", "HUP", "INT", "QUIT", "USR1", "USR2", got \'STOP\''],
      ['service', { name: 'a b', state: 'started' }, "service: name must be a service name: letters, digits and @ . _ : -, not starting with - or ., got 'a b'"],
      // Names that systemctl or service would read as an option, or a path out of /etc/init.d.
      ['service', { name: '--help', state: 'restarted' }, "service: name must be a service name: letters, digits and @ . _ : -, not starting with - or ., got '--help'"],
      ['service', { name: '..', state: 'restarted' }, "service: name must be a service name: letters, digits and @ . _ : -, not starting with - or ., got '..'"],
      ['restart_services', { services: ['-Hroot@host'] }, "restart_services: services[0]: a service name may only hold letters, digits and @ . _ : -, not starting with - or ., got '-Hroot@host'"],
      ['xinetd_sessions', { service: '-Hroot@host' }, "xinetd_sessions: service must be an xinetd service name: letters, digits and @ . _ : -, not starting with - or ., got '-Hroot@host'"],
      ['service', { state: 'started' }, "service: missing required key 'name'"],
      ['xinetd_sessions', { service: 'imap', before: 'yesterday' }, "xinetd_sessions: before must be binary-replaced, now, or an ISO date-time such as 2024-05-01T12:00:00Z, got 'yesterday'"],
      ['command', '', "command needs a program to run: a non-empty string, a non-empty list of strings, or {argv: …}, got ''"],
      ['command', { argv: [] }, 'command: argv must be a non-empty string or list of strings, got []'],
      ['command', { argv: 'ls', cwd: '/' }, "command: unknown key 'cwd'"],
      ['shell', { script: '' }, "shell: script must be a non-empty string, got ''"],
      ['debug', { msg: 'a', var: 'b' }, "debug takes exactly one of 'msg' or 'var'"],
      ['set_fact', { 'a-b': 1 }, "set_fact: invalid key 'a-b': expected a variable name (letters, digits and _, not starting with a digit)"],
      ['daemon_reexec', { force: 'later' }, "daemon_reexec: force: expected boolean, got 'later'"],
      ['gather_facts', { ignore: ['tmp/'] }, 'gather_facts: ignore[0]: must match pattern "^/", got \'tmp/\''],
    ];
    assert.deepEqual(table.map(([step, args]) => reason(step, args)), table.map(([, , want]) => want));
  });

  it('passes good arguments on, with templated numbers and booleans converted', () => {
    assert.deepEqual(check('reboot', { reboot_timeout: '300', force: 'yes', post_reboot_delay: ' 2.5 ' }), {
      ok: true, args: { reboot_timeout: 300, force: true, post_reboot_delay: 2.5 },
    });
    assert.deepEqual(check('reboot', { force: 'no' }), { ok: true, args: { force: false } });
    assert.deepEqual(check('kill_processes', { pids: [601, '602'], signal: 'HUP' }), { ok: true, args: { pids: [601, '602'], signal: 'HUP' } });
    assert.deepEqual(check('restart_services', { services: [], never_restart: [], library_glob: '' }), { ok: true, args: { services: [], never_restart: [], library_glob: '' } });
    for (const step of ['daemon_reexec', 'gather_facts', 'recheck', 'restart_services', 'reboot', 'fail']) assert.deepEqual(check(step, null), { ok: true, args: null }, step);
    assert.deepEqual(check('command', ['sleep', 5]), { ok: true, args: ['sleep', '5'] });
    assert.deepEqual(check('set_fact', { a: { b: [1, null] } }), { ok: true, args: { a: { b: [1, null] } } });
  });

  it('a rendered template string is no longer accepted where the playbook could write one', () => {
    assert.match(reason('reboot', { reboot_timeout: '{{ t }}' }), /^reboot: reboot_timeout must be a number of seconds above 0, got '\{\{ t \}\}'$/);
    assert.match(reason('kill_processes', { name: 'x', user: '{{ u }}' }), /user must be a user name/);
  });

  it('the arguments the shipped playbooks write literally (no template) pass the strict check as well', async () => {
    const files = readdirSync(new URL('../../playbooks/', import.meta.url)).filter((n) => n.endsWith('.yml'));
    let checked = 0;
    for (const file of files) {
      const playbook = await loadPlaybook(new URL(`../../playbooks/${file}`, import.meta.url).pathname);
      for (const task of playbook.plays.flatMap((p) => [...flattenTasks(p.tasks), ...p.handlers])) {
        if (JSON.stringify(task.args ?? null).includes('{{')) continue;
        const r = checkArgs(findStep(task.type)!, task.args);
        assert.ok(r.ok, `${file}: ${task.name}: ${r.ok ? '' : r.reason}`);
        checked++;
      }
    }
    assert.ok(checked >= 10, `only ${checked} tasks without templates`);
  });
});
