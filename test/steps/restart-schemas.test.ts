import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { loadPlaybook, parsePlaybookText } from '../../src/config/index.js';
import { ConfigError } from '../../src/model/errors.js';
import { flattenTasks } from '../../src/model/playbook.js';

/** The argument schemas of restart_services and recheck, and the two shipped playbooks that use them. */
function problems(tasks: string): string {
  try {
    parsePlaybookText('p.yml', `- hosts: all\n  tasks:\n${tasks}`);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail('expected a ConfigError');
}

describe('steps: restart_services and recheck schemas, shipped playbooks', () => {
  it('accepts the documented forms', () => {
    parsePlaybookText('p.yml', `- hosts: all\n  tasks:\n${[
      '    - restart_services:',
      '    - restart_services: {}',
      "    - restart_services: { services: [sshd, remedy-labd.service, 'getty@tty1'], library_glob: '/usr/lib/*/libwrap.so*' }",
      "    - restart_services: { never_restart: ['postgresql*'], replace_defaults: true, verify: false }",
      "    - restart_services: { services: '{{ services | default([]) }}', library_glob: '' }",
      '    - recheck:',
      "    - recheck: { library_glob: 'libssl.so*', core_extra: [openssl], ignore: ['/opt/cache/'] }",
    ].join('\n')}\n`);
  });

  it('refuses service names that would reach a shell, unknown keys and a non-list, at their line', () => {
    assert.match(problems("    - restart_services: { services: ['sshd; reboot'] }\n"), /p\.yml:3:\d+: a service name may only hold/);
    assert.match(problems('    - restart_services: { services: sshd }\n'), /p\.yml:3:\d+: services must be a list/);
    assert.match(problems('    - restart_services: { force: true }\n'), /p\.yml:3:\d+: unknown key 'force'/);
    assert.match(problems('    - restart_services: { verify: maybe }\n'), /p\.yml:3:\d+: /);
    assert.match(problems('    - recheck: { services: [x] }\n'), /p\.yml:3:\d+: unknown key 'services'/);
  });

  for (const name of ['shared-libraries', 'sysv-services']) {
    it(`playbooks/${name}.yml validates, names its category and its schema`, async () => {
      const file = new URL(`../../playbooks/${name}.yml`, import.meta.url).pathname;
      assert.match(readFileSync(file, 'utf8'), /^# yaml-language-server: \$schema=\.\.\/schemas\/playbook\.schema\.json\n/);
      const playbook = await loadPlaybook(file);
      assert.equal(playbook.plays.length, 1);
      const play = playbook.plays[0]!;
      assert.equal(play.category, name);
      assert.deepEqual(flattenTasks(play.tasks).map((t) => t.type), ['gather_facts', 'restart_services', 'recheck']);
    });
  }
});
