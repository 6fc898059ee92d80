import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combineServiceResults } from '../../src/steps/xinetd-all.js';
import { parseXinetdServiceList, XINETD_LIST_SH } from '../../src/facts/xinetd-instances.js';
import type { StepResult } from '../../src/model/results.js';

const result = (fields: Partial<StepResult> & Pick<StepResult, 'status'>): StepResult =>
  ({ changed: fields.status === 'changed', stdout: '', stderr: '', durationMs: 1, ...fields });

/** XINETD_LIST_SH with its two paths pointed at a scratch directory, run by this machine's sh. */
function listServices(conf: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'remedy-xinetd-'));
  mkdirSync(join(dir, 'xinetd.d'));
  writeFileSync(join(dir, 'xinetd.conf'), conf);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'xinetd.d', name), text);
  const script = XINETD_LIST_SH.replaceAll('/etc/', `${dir}/`);
  return execFileSync('sh', ['-c', `f() {\n${script}\n}\nf`], { encoding: 'utf8' });
}

describe('steps/xinetd_sessions service: all', () => {
  it('lists the services with a server program, not the internal ones (real files from Debian\'s xinetd and the lab)', () => {
    const out = listServices('defaults\n{\n\tlog_type = SYSLOG daemon info\n}\nincludedir /etc/xinetd.d\n', {
      chargen: 'service chargen\n{\n\tdisable\t\t= yes\n\ttype\t\t= INTERNAL\n\tid\t\t= chargen-stream\n\tsocket_type\t= stream\n\tprotocol\t= tcp\n\tuser\t\t= root\n\twait\t\t= no\n}\n',
      'remedy-imap': 'service remedy-imap\n{\n\tport = 143\n\tsocket_type = stream\n\twait = no\n\tuser = root\n\tserver = /usr/local/libexec/remedy-lab/remedy-imapd\n\tdisable = no\n}\n',
      telnet: '# default: on\nservice telnet\n{\n  flags = REUSE\n  socket_type = stream\n  wait = no\n  user = root\n  server = /usr/sbin/tcpd\n  server_args = /usr/sbin/in.telnetd\n}\nservice telnet\n{\n  server = /usr/sbin/in.telnetd\n  bind = 127.0.0.1\n}\n',
    });
    assert.equal(out, 'service\tremedy-imap\nservice\ttelnet\n', 'telnet is listed once although it has two blocks');
    assert.deepEqual(parseXinetdServiceList(out), ['remedy-imap', 'telnet']);
  });

  it('drops duplicates and names that could not be passed to the step safely', () => {
    assert.deepEqual(parseXinetdServiceList('service\timap\nservice\timap\nservice\tbad;name\nservice\t\nnoise\n'), ['imap']);
  });

  it('adds the per-service results up: killed lists joined, changed wins over ok, failed over all', () => {
    const changed = combineServiceResults([
      { service: 'imap', result: result({ status: 'changed', message: 'ended imap sessions: 10 (TERM)', effects: { killed: [{ pid: 10, command: 'imapd', signal: 'TERM' }] } }) },
      { service: 'pop3', result: result({ status: 'ok', message: 'no old pop3 sessions' }) },
      { service: 'telnet', result: result({ status: 'changed', message: 'ended telnet sessions: 12 (KILL)', effects: { killed: [{ pid: 12, command: 'in.telnetd', signal: 'KILL' }] } }) },
    ]);
    assert.equal(changed.status, 'changed');
    assert.equal(changed.changed, true);
    assert.deepEqual(changed.effects?.killed?.map((k) => [k.pid, k.signal]), [[10, 'TERM'], [12, 'KILL']]);
    assert.equal(changed.message, 'ended imap sessions: 10 (TERM); ended telnet sessions: 12 (KILL)');
    assert.equal(changed.durationMs, 3);

    const failed = combineServiceResults([
      { service: 'imap', result: result({ status: 'failed', cause: 'kill-failed', message: 'imap: could not end 10' }) },
      { service: 'pop3', result: result({ status: 'changed', message: 'ended pop3 sessions: 11 (TERM)', effects: { killed: [{ pid: 11, command: 'pop3d', signal: 'TERM' }] } }) },
    ]);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.changed, false);
    assert.equal(failed.cause, 'kill-failed');
    assert.deepEqual(failed.effects?.killed?.map((k) => k.pid), [11], 'what was ended is still reported');
  });

  it("check mode: skipped with what each service would end; nothing old: ok, each service's own message", () => {
    const check = combineServiceResults([
      { service: 'imap', result: result({ status: 'skipped', message: 'check mode: would end 1 imap session(s): 10 (imapd: executable deleted)' }) },
      { service: 'pop3', result: result({ status: 'ok', message: 'no old pop3 sessions' }) },
    ]);
    assert.equal(check.status, 'skipped');
    assert.equal(check.message, 'check mode: would end 1 imap session(s): 10 (imapd: executable deleted)');
    assert.equal(check.effects, undefined);
    const none = combineServiceResults([{ service: 'imap', result: result({ status: 'ok' }) }, { service: 'pop3', result: result({ status: 'ok' }) }]);
    assert.equal(none.status, 'ok');
    assert.equal(none.message, 'no old imap sessions; no old pop3 sessions');
  });
});
