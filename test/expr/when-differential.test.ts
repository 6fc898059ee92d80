/**
 * `when` end to end, compared with the real ansible-playbook: one playbook of debug tasks, each
 * with another form of condition (a boolean, a list, an empty string, a template, an undefined
 * variable…), run by ansible-playbook on localhost (connection local, its default output) and by the
 * real `remedy run` on a local-connection host. Each task must run, be skipped, or fail on both.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { remedy, scratch } from '../cli/run-cli.js';

/** [when as YAML, ignore_errors]: the error cases ignore errors so that the play goes on. */
const WHENS: Array<[string, boolean?]> = [
  ['true'], ['false'], ['[true, "x == 1"]'], ['["x == 1", "x == 2"]'], ['"x == 1"'], ['""'], ['[]'],
  ['"{{ flag }}"'], ['"{{ x == 1 }}"'], ['"{{ items }}"'], ['"{{ empty }}"'], ['"{{ x }}"'], ['flag'], ['"not flag"'],
  ['"svc is defined and svc == \'sshd\'"'], ['"missing is defined"'], ['"missing is undefined"'], ['"items | length > 1"'],
  ["\"'ss' in svc\""], ['"x is divisibleby 1"'], ['"empty"'], ['"x | string == \'1\'"'], ['"(items | sum) == 3"'],
  ['"items | select(\'gt\', 1) | list"'], ['[x == 1, "not flag", "svc | length == 4"]'], ['"missing"', true],
  ['"missing.attr is defined"'], ['"{{ missing | default(false) }}"'], ['"x == 1 and missing"', true],
];

const PLAYBOOK = [
  '- name: when',
  '  hosts: all',
  '  vars: { x: 1, flag: false, svc: sshd, items: [1, 2], empty: "" }',
  '  tasks:',
  ...WHENS.flatMap(([when, ignore], i) => [
    `    - name: t${i}`,
    `      debug: { msg: t${i} }`,
    `      when: ${when}`,
    ...(ignore ? ['      ignore_errors: true'] : []),
  ]),
].join('\n');

type Outcome = 'ran' | 'skipped' | 'failed';

describe('expr: when, compared with ansible-playbook on localhost', function () {
  this.timeout(180_000);
  let ansible: Outcome[] = [];
  let ours: Outcome[] = [];

  before(async () => {
    const dir = scratch({ 'p.yml': PLAYBOOK, 'i.yml': 'all:\n  hosts:\n    localhost: { ansible_connection: local }\n', 'ansible.cfg': '' });
    let out: string;
    try {
      out = execFileSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', join(dir, 'p.yml')], {
        cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_STDOUT_CALLBACK: 'default', ANSIBLE_DISPLAY_SKIPPED_HOSTS: 'true',
          ANSIBLE_GATHERING: 'explicit', ANSIBLE_LOCAL_TEMP: dir, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0',
        },
      });
    } catch (err) {
      out = (err as { stdout?: string }).stdout ?? '';
    }
    // One block per task: "TASK [tN] ***" then "ok: [localhost]", "skipping: [localhost]" or "fatal: [localhost]…".
    ansible = out.split(/^TASK \[/m).slice(1).map((block): Outcome =>
      /^fatal: \[localhost\]/m.test(block) ? 'failed' : /^skipping: \[localhost\]/m.test(block) ? 'skipped' : /^ok: \[localhost\]/m.test(block) ? 'ran' : 'failed');
    const json = join(dir, 'report.json');
    const run = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--json', json]);
    assert.ok(existsSync(json), `remedy run wrote no report:\n${run.stdout}${run.stderr}`);
    const ran = JSON.parse(readFileSync(json, 'utf8')) as { hosts: Array<{ steps: Array<{ status: string }> }> };
    ours = ran.hosts[0]!.steps.map((s) => (s.status === 'failed' ? 'failed' : s.status === 'skipped' ? 'skipped' : 'ran'));
  });

  it('has an outcome for every task on both sides', () => {
    assert.equal(ansible.length, WHENS.length);
    assert.equal(ours.length, WHENS.length);
  });

  WHENS.forEach(([when], i) => {
    it(`when: ${when}`, () => assert.equal(ours[i], ansible[i], `ansible-playbook: ${ansible[i]}, remedy: ${ours[i]}`));
  });
});
