import { strict as assert } from 'node:assert';
import { parsePlaybookText } from '../../src/config/index.js';
import { ConfigError } from '../../src/model/errors.js';

/** The argument schemas of service, xinetd_sessions, kill_processes and daemon_reexec, through the playbook loader. */
function load(tasks: string): void {
  parsePlaybookText('p.yml', `- hosts: all\n  tasks:\n${tasks}`);
}
function problems(tasks: string): string {
  try {
    load(tasks);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail('expected a ConfigError');
}

describe('steps: argument schemas', () => {
  it('accepts the documented forms', () => {
    load([
      '    - service: { name: remedy-labd, state: restarted }',
      '    - service: { name: getty@tty1.service, state: reloaded, init: systemd }',
      '    - xinetd_sessions: { service: imap }',
      '    - xinetd_sessions: { service: imap, grace: 2.5, before: now }',
      "    - xinetd_sessions: { service: imap, before: '2024-05-01T12:00:00Z' }",
      '    - kill_processes: { name: imapd }',
      "    - kill_processes: { pattern: '^/usr/bin/python3? .*worker', user: www-data, signal: HUP, kill_after: false, only_stale: true, grace: 10 }",
      '    - daemon_reexec:',
      '    - daemon_reexec: { force: true }',
      '',
    ].join('\n'));
  });

  it('refuses a service name that would reach a shell, at its line', () => {
    assert.match(problems("    - service: { name: 'sshd; reboot', state: restarted }\n"), /p\.yml:3:\d+: .*service name/);
  });

  it('refuses an unknown state', () => {
    assert.match(problems('    - service: { name: sshd, state: bounced }\n'), /p\.yml:3:\d+: .*started.*stopped.*restarted.*reloaded/);
  });

  it('refuses an xinetd service name with spaces and a before that is not a time', () => {
    assert.match(problems("    - xinetd_sessions: { service: 'imap $(id)' }\n"), /p\.yml:3:\d+: /);
    assert.match(problems('    - xinetd_sessions: { service: imap, before: yesterday }\n'), /p\.yml:3:\d+: .*before/);
  });

  it('kill_processes needs a name or a pattern, a valid regex and a known signal', () => {
    assert.match(problems('    - kill_processes: { user: bob }\n'), /p\.yml:3:\d+: .*name or pattern/);
    assert.match(problems("    - kill_processes: { pattern: '([' }\n"), /p\.yml:3:\d+: /);
    assert.match(problems('    - kill_processes: { name: x, signal: STOP }\n'), /p\.yml:3:\d+: /);
    assert.match(problems("    - kill_processes: { name: x, user: 'bob;id' }\n"), /p\.yml:3:\d+: .*user name/);
  });

  it('daemon_reexec takes only force', () => {
    assert.match(problems('    - daemon_reexec: { now: true }\n'), /p\.yml:3:\d+: /);
  });
});
