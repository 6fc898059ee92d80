import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { remedy, repoRoot, scratch } from './run-cli.js';

const INVENTORY = 'all:\n  hosts:\n    alpha: { ansible_connection: local }\n    beta: { ansible_connection: local }\n';
const PLAYBOOK = `
- name: first play
  hosts: all
  tasks:
    - name: say hello
      command: [echo, "hello {{ inventory_hostname }}"]
      register: hello
    - name: remember
      set_fact: { greeting: "{{ hello.stdout }}" }
- name: second play
  hosts: beta
  tasks:
    - name: check greeting
      assert: { that: "greeting == 'hello beta'" }
    - name: show
      debug: { var: greeting }
`;

function validateReport(file: string): unknown[] {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/report.schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  const validate = ajv.compile(schema);
  const report = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return validate(report) ? [] : (validate.errors ?? []);
}

describe('remedy run on localhost', function () {
  this.timeout(60_000);

  it('plain view, final table, JSON report valid against the schema, exit 0', async () => {
    const dir = scratch({ 'p.yml': PLAYBOOK, 'i.yml': INVENTORY });
    const json = join(dir, 'report.json');
    const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--json', json]);
    assert.equal(res.code, 0, res.stderr + res.stdout);
    assert.match(res.stdout, /\[alpha\] changed: say hello/);
    assert.match(res.stdout, /\[beta\] ok: check greeting/);
    assert.match(res.stdout, /greeting = hello beta/);
    assert.match(res.stdout, /alpha\s.*changed|alpha.*\d/);
    assert.deepEqual(validateReport(json), []);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { hosts: Array<{ name: string; steps: unknown[] }> };
    assert.deepEqual(report.hosts.map((h) => [h.name, h.steps.length]), [['alpha', 2], ['beta', 4]]);
  });

  it('the live view on a terminal (listr2), then the table', function () {
    const dir = scratch({ 'p.yml': PLAYBOOK, 'i.yml': INVENTORY });
    const cmd = `${process.execPath} --import tsx src/cli/main.ts run ${join(dir, 'p.yml')} -i ${join(dir, 'i.yml')}`;
    const res = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /alpha/);
    assert.doesNotMatch(res.stdout, /\[alpha\] changed: say hello/, 'the live view, not the plain one');
    assert.match(res.stdout, /beta/);
  });

  it('a failed host gives exit 2 and still writes the report', async () => {
    const dir = scratch({ 'p.yml': '- hosts: all\n  tasks:\n    - shell: "test {{ inventory_hostname }} = alpha"\n', 'i.yml': INVENTORY });
    const json = join(dir, 'r.json');
    const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--json', json]);
    assert.equal(res.code, 2, res.stdout + res.stderr);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { summary: { failed: number; changed: number } };
    assert.deepEqual([report.summary.failed, report.summary.changed], [1, 1]);
  });

  it('an unreachable host gives exit 4, which wins over a failed one', async () => {
    const inv = `${INVENTORY}    gamma: { ansible_host: 127.0.0.1, ansible_port: 1, remedy_host_key_checking: 'no' }\n`;
    const dir = scratch({ 'p.yml': '- hosts: all\n  tasks:\n    - shell: "test {{ inventory_hostname }} != alpha"\n', 'i.yml': inv });
    const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml')]);
    assert.equal(res.code, 4, res.stdout + res.stderr);
    assert.match(res.stdout, /gamma.*UNREACHABLE.*connection-refused|gamma.*unreachable/i);
  });

  it('--fail-on-reboot exits 3 only when a host needs a reboot', async () => {
    const dir = scratch({ 'p.yml': '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n', 'i.yml': INVENTORY });
    const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--fail-on-reboot']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
  });

  it('SIGINT stops starting new work, lets the running step finish, writes the report, exits 130', async () => {
    const dir = scratch({ 'p.yml': '- hosts: alpha\n  tasks:\n    - shell: "sleep 2; echo done"\n    - shell: "echo second"\n', 'i.yml': INVENTORY });
    const json = join(dir, 'r.json');
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--json', json, '-v'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!sent && out.includes('start: shell: sleep 2')) { sent = true; child.kill('SIGINT'); }
    });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 130, out);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { interrupted: boolean; hosts: Array<{ steps: Array<{ status: string }> }> };
    assert.equal(report.interrupted, true);
    assert.deepEqual(report.hosts[0]?.steps.map((s) => s.status), ['changed']);
  });
});
