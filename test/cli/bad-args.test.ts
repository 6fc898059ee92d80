import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { remedy, scratch } from './run-cli.js';

const INVENTORY = 'all:\n  hosts:\n    localhost: { ansible_connection: local }\n';

/** Every task goes on after a failure (ignore_errors), so one run shows each argument's fate. */
const PLAYBOOK = `
- hosts: all
  tasks:
    - name: restart named services
      restart_services: { services: "{{ ['sshd', svc] }}" }
      ignore_errors: true
    - name: reboot when needed
      reboot: { reboot_timeout: "{{ t }}" }
      ignore_errors: true
    - name: end a pid given on the command line
      kill_processes: { pids: "{{ [pid] }}", signal: HUP }
      ignore_errors: true
`;

interface Report { hosts: Array<{ steps: Array<{ task: string; status: string; cause?: string; message: string }> }> }

describe('remedy run: a bad argument that only a template reveals fails its step, with the reason', function () {
  this.timeout(60_000);

  it('names the step, the argument and the value; the other steps run (check mode, local connection)', async () => {
    const dir = scratch({ 'p.yml': PLAYBOOK, 'i.yml': INVENTORY });
    const json = join(dir, 'r.json');
    const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--check', '--json', json,
      '-e', 'svc=a;b', '-e', 't=soon', '-e', 'pid=999999999']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const services = "restart_services: services[1]: a service name may only hold letters, digits and @ . _ : -, not starting with - or ., got 'a;b'";
    const timeout = "reboot: reboot_timeout must be a number of seconds above 0, got 'soon'";
    assert.ok(res.stdout.includes(services), res.stdout);
    assert.ok(res.stdout.includes(timeout), res.stdout);
    const steps = (JSON.parse(readFileSync(json, 'utf8')) as Report).hosts[0]!.steps;
    assert.deepEqual(steps.map((s) => [s.status, s.cause ?? null, s.message]), [
      ['failed', 'bad-argument', services],
      ['failed', 'bad-argument', timeout],
      ['ok', null, 'no process matches (pids 999999999)'],
    ]);
  });

  it('templates that render proper values pass: a list of pids (numbers and digit strings), a user name', async () => {
    const dir = scratch({
      'p.yml': '- hosts: all\n  tasks:\n    - kill_processes: { pids: "{{ pids }}", user: "{{ who }}", only_stale: true }\n    - debug: { msg: done }\n',
      'i.yml': INVENTORY,
    });
    const json = join(dir, 'r.json');
    const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--check', '--json', json, '-e', '{"pids": [999999998, "999999999"]}', '-e', 'who=root']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const steps = (JSON.parse(readFileSync(json, 'utf8')) as Report).hosts[0]!.steps;
    assert.deepEqual(steps.map((s) => s.status), ['ok', 'ok']);
    assert.match(steps[0]!.message, /^no process matches \(pids 999999998,999999999, user root, stale only\)$/);
  });

  it('an empty or match-everything kill pattern from -e is refused before anything is signalled', async () => {
    const dir = scratch({ 'p.yml': '- hosts: all\n  tasks:\n    - kill_processes: { pattern: "{{ pat }}" }\n', 'i.yml': INVENTORY });
    const pattern = "kill_processes: pattern must be a regular expression RE2 can match (no backreferences or lookaround) that does not match every command line";
    for (const [pat, why] of [['', `${pattern}, got ''`], ['.*', `${pattern}, got '.*'`], ['x|', `${pattern}, got 'x|'`], ['(?=a)', `${pattern}, got '(?=a)'`]]) {
      const json = join(dir, 'r.json');
      const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--json', json, '-e', `pat=${pat}`]);
      assert.equal(res.code, 2, res.stdout + res.stderr);
      const step = (JSON.parse(readFileSync(json, 'utf8')) as Report).hosts[0]!.steps[0]!;
      assert.deepEqual([step.status, step.cause, step.message], ['failed', 'bad-argument', why], pat);
    }
  });
});
