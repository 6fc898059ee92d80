import { strict as assert } from 'node:assert';
import { planReboot, type RebootInput } from '../../src/steps/reboot.js';
import { parseBootId, SEND_REBOOT_SH } from '../../src/steps/reboot-wait.js';
import { parsePlaybookText } from '../../src/config/index.js';
import { ConfigError } from '../../src/model/errors.js';
import { findStep } from '../../src/steps/registry.js';
import { createLocalTransport } from '../../src/transport/local.js';
import { createFactsAccess, NO_HOST_OPTIONS } from '../../src/steps/facts-access.js';
import type { HostFacts } from '../../src/facts/types.js';

const base: RebootInput = { rebootRequired: true, reasons: ['kernel: 6.99 installed, 6.1 running'], force: false, check: false, local: false, allowLocal: false };

describe('reboot: planReboot', () => {
  it('reboots when the facts require it, giving the reasons', () => {
    assert.deepEqual(planReboot(base), { action: 'reboot', why: 'kernel: 6.99 installed, 6.1 running' });
  });
  it('does nothing when no reboot is needed and not forced', () => {
    assert.deepEqual(planReboot({ ...base, rebootRequired: false }), { action: 'none', message: 'no reboot needed' });
  });
  it('reboots when forced even if not required', () => {
    assert.deepEqual(planReboot({ ...base, rebootRequired: false, force: true }), { action: 'reboot', why: 'forced' });
  });
  it('check mode says it would reboot and why', () => {
    const p = planReboot({ ...base, check: true });
    assert.equal(p.action, 'would');
    assert.match((p as { message: string }).message, /^check mode: would reboot \(kernel: 6\.99/);
  });
  it('refuses the local connection unless forced and remedy_allow_local_reboot', () => {
    assert.equal(planReboot({ ...base, local: true }).action, 'refuse');
    assert.equal(planReboot({ ...base, local: true, force: true }).action, 'refuse');
    assert.equal(planReboot({ ...base, local: true, allowLocal: true }).action, 'refuse');
    assert.equal(planReboot({ ...base, local: true, force: true, allowLocal: true }).action, 'reboot');
    // not required, not forced: nothing to refuse
    assert.equal(planReboot({ ...base, local: true, rebootRequired: false }).action, 'none');
    // check mode on local still refuses (it would never do it as asked)
    assert.equal(planReboot({ ...base, local: true, check: true }).action, 'refuse');
  });
});

describe('reboot: boot id and reboot script', () => {
  it('parses the kernel boot id and rejects anything else', () => {
    assert.equal(parseBootId('8A1B2C3D-0e1f-4a5b-9c8d-7e6f5a4b3c2d\n'), '8a1b2c3d-0e1f-4a5b-9c8d-7e6f5a4b3c2d');
    assert.equal(parseBootId(''), undefined);
    assert.equal(parseBootId('cat: /proc/sys/kernel/random/boot_id: No such file'), undefined);
  });
  it('sends the reboot detached, every stream closed, with the delay and message as arguments', () => {
    assert.match(SEND_REBOOT_SH, /nohup sh -c '[^']*systemctl reboot[^']*shutdown -r now[^']*reboot' remedy-reboot "\$delay" <\/dev\/null >\/dev\/null 2>&1 &/);
    assert.doesNotMatch(SEND_REBOOT_SH, /\$\{?msg\}?[^"]/);
  });
  it('is registered', () => {
    assert.equal(findStep('reboot')?.name, 'reboot');
  });
});

describe('reboot: argument schema', () => {
  const load = (task: string): void => { parsePlaybookText('p.yml', `- hosts: all\n  tasks:\n    - ${task}\n`); };
  const problem = (task: string): string => {
    try { load(task); } catch (e) { assert.ok(e instanceof ConfigError, String(e)); return e.message; }
    return assert.fail('expected a ConfigError');
  };
  it('accepts the documented forms, templates included', () => {
    load('reboot:');
    load('reboot: {}');
    load("reboot: { force: true, reboot_timeout: 300, pre_reboot_delay: 2, post_reboot_delay: 5, test_command: 'systemctl is-active sshd', msg: 'patch window' }");
    load('reboot: { reboot_timeout: "{{ reboot_timeout | default(600) }}", force: "{{ force_reboot | default(false) }}" }');
  });
  it('refuses unknown keys, a zero or negative timeout and a non-template string', () => {
    assert.match(problem('reboot: { timeout_s: 5 }'), /p\.yml:3:\d+: /);
    assert.match(problem('reboot: { reboot_timeout: 0 }'), /p\.yml:3:\d+: .*reboot_timeout/);
    assert.match(problem('reboot: { reboot_timeout: soon }'), /p\.yml:3:\d+: .*reboot_timeout/);
    assert.match(problem('reboot: { force: maybe }'), /p\.yml:3:\d+: .*force/);
  });
});

describe('reboot: the local connection is never rebooted by accident', () => {
  const step = findStep('reboot')!;
  /** The facts the engine would hand the step (remedy_facts) and the host option remedy_allow_local_reboot. */
  const ctx = (vars: Record<string, unknown>) => {
    const transport = createLocalTransport({ host: 'localhost', kind: 'local', address: 'localhost', become: false, extra: {} });
    const options = { ...NO_HOST_OPTIONS, allowLocalReboot: vars['remedy_allow_local_reboot'] === true };
    return {
      host: 'localhost',
      connection: { host: 'localhost', kind: 'local' as const, address: 'localhost', become: false, extra: {} },
      transport, vars, options, check: false, signal: new AbortController().signal,
      facts: createFactsAccess(transport, options, {}, { facts: vars['remedy_facts'] as HostFacts }),
    };
  };
  const needs = { rebootRequired: true, rebootReasons: [{ kind: 'kernel-pending', detail: 'test' }] };

  it('refuses when the facts require a reboot, when forced, and when allowed but not forced', async () => {
    for (const [args, vars] of [[{}, {}], [{ force: true }, {}], [{}, { remedy_allow_local_reboot: true }]] as const) {
      const r = await step.run(ctx({ remedy_facts: needs, ...vars }), args);
      assert.equal(r.status, 'failed', JSON.stringify(args));
      assert.equal(r.cause, 'local-reboot-refused');
      assert.match(r.message ?? '', /refusing to reboot the local machine .*remedy_allow_local_reboot/);
    }
  });

  it('says "no reboot needed" when the facts say so', async () => {
    const r = await step.run(ctx({ remedy_facts: { rebootRequired: false, rebootReasons: [] } }), {});
    assert.equal(r.status, 'ok');
    assert.equal(r.message, 'no reboot needed');
  });
});
