/**
 * Nothing from a playbook, an inventory or -e reaches a host's shell unquoted: every field that becomes
 * an argument on the host gets shell metacharacters, newlines, leading dashes and quotes (through -e
 * templates), in check mode and for real, and a sentinel file on the host proves that nothing ran.
 * Each value is either refused (a failed step or a configuration error) or passed as a plain argument.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { startLab, suiteLabName, type Lab, type LabHost } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { remedy, scratch } from '../cli/run-cli.js';
import { onHost } from '../playbooks/category-helpers.js';

const SENTINEL = '/var/tmp/remedy-pwned';
const HOSTILE = [
  `$(touch ${SENTINEL})`,
  `\`touch ${SENTINEL}\``,
  `x; touch ${SENTINEL}`,
  `x\ntouch ${SENTINEL}`,
  `x' ; touch ${SENTINEL} ; '`,
  `x" ; touch ${SENTINEL} ; "`,
  `--help`,
  `-Hroot@localhost`,
  `..`,
];

/**
 * Every remediating step's fields that reach the host, each with the hostile value written in the
 * playbook (L) or, where a field takes a template, from -e through "{{ v }}" (T); each task may fail.
 */
const literal = (value: string): string => {
  const L = JSON.stringify(value);
  return `
- hosts: all
  tasks:
    - { name: service name, service: { name: ${L}, state: restarted }, ignore_errors: true }
    - { name: restart services, restart_services: { services: [${L}], never_restart: [${L}], library_glob: ${L} }, ignore_errors: true }
    - { name: xinetd service, xinetd_sessions: { service: ${L} }, ignore_errors: true }
    - { name: kill by name, kill_processes: { name: ${L} }, ignore_errors: true }
    - { name: kill by pattern, kill_processes: { pattern: ${L}, user: nobody }, ignore_errors: true }
    - { name: facts with a glob, gather_facts: { library_glob: ${L}, ignore: [${JSON.stringify(`/${value}`)}] }, ignore_errors: true }
    - { name: command string, command: ${JSON.stringify(`echo ${value}`)}, ignore_errors: true }
`;
};

/** The fields that take a template: the value arrives from -e at run time, after the playbook loaded. */
const TEMPLATED = `
- hosts: all
  tasks:
    - { name: restart services from -e, restart_services: { services: "{{ [v] }}", never_restart: "{{ [v] }}" }, ignore_errors: true }
    - { name: kill by user from -e, kill_processes: { name: sleep, user: "{{ v }}" }, ignore_errors: true }
    - { name: kill by pids from -e, kill_processes: { pids: "{{ [v] }}" }, ignore_errors: true }
    - { name: kill by pattern from -e, kill_processes: { pattern: "{{ v }}", user: nobody }, ignore_errors: true }
    - { name: reboot message from -e, reboot: { msg: "{{ v }}" }, ignore_errors: true }
    - { name: command argv from -e, command: [echo, "{{ v }}"], ignore_errors: true }
    - { name: debug, debug: { msg: "{{ v }}" } }
`;

describe('injection: hostile values never run on the host (lab, sentinel file)', function () {
  this.timeout(600_000);
  let lab: Lab | undefined;
  let h: LabHost;

  before(async function () {
    this.timeout(150_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('inject'), count: 1, flavor: 'systemd' });
    h = lab.hosts[0]!;
  });
  after(async () => { await lab?.down(); });

  const sentinelExists = async (): Promise<boolean> => (await onHost(lab!, h, `test -e ${SENTINEL} && echo yes || echo no`)) === 'yes';

  for (const mode of ['--check', 'for real'] as const) {
    it(`every field, every hostile value, ${mode}: the sentinel is never created`, async () => {
      for (const value of HOSTILE) {
        const dir = scratch({ 'literal.yml': literal(value), 'templated.yml': TEMPLATED });
        for (const file of ['literal.yml', 'templated.yml']) {
          const r = await remedy(['run', join(dir, file), '-i', lab!.inventoryFile, '--no-progress', '-e', JSON.stringify({ v: value }),
            ...(mode === '--check' ? ['--check'] : [])]);
          // 5: a field refused the literal value when the playbook was read (nothing ran anywhere).
          const expected = file === 'templated.yml' ? [0, 2] : [0, 2, 5];
          assert.ok(expected.includes(r.code ?? -1), `${file} ${JSON.stringify(value)}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
          assert.equal(await sentinelExists(), false, `${file} ${JSON.stringify(value)} ran on the host:\n${r.stdout}`);
        }
      }
    });
  }

  it('an inventory var with shell metacharacters (ansible_user, ansible_host) is refused before any host is touched', async () => {
    for (const [key, value] of [['ansible_user', `root;touch ${SENTINEL}`], ['ansible_host', `$(touch ${SENTINEL})`]]) {
      const dir = scratch({
        'i.yml': `all:\n  hosts:\n    ${h.name}:\n      ${key}: ${JSON.stringify(value)}\n      ansible_ssh_private_key_file: ${lab!.keyFile}\n      ansible_ssh_common_args: "-o UserKnownHostsFile=${lab!.knownHostsFile}"\n${key === 'ansible_host' ? '' : `      ansible_host: ${h.address}\n`}`,
        'p.yml': '- hosts: all\n  tasks:\n    - command: [echo, hi]\n',
      });
      const r = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--no-progress']);
      assert.equal(r.code, 5, `${key}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      assert.equal(await sentinelExists(), false);
    }
  });
});
