/** playbooks/kernel.yml and apply-errata.yml as data: they load, their batches and thresholds follow -e vars, steps in order. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { loadPlaybook } from '../../src/config/index.js';
import { resolvePlaySettings } from '../../src/engine/play-settings.js';
import { evaluateCondition, renderDeep } from '../../src/expr/index.js';
import { repoRoot } from '../cli/run-cli.js';
import { flattenTasks } from '../../src/model/playbook.js';

const load = (name: string) => loadPlaybook(join(repoRoot, 'playbooks', name));

describe('playbooks/kernel.yml', () => {
  it('batches of 2 and a zero failure threshold by default; -e batch and max_fail override them', async () => {
    const [play] = (await load('kernel.yml')).plays;
    // As in ansible-core, `{{ batch | default(2) }}` renders the text '2' (serial accepts it as Ansible does).
    assert.deepEqual(resolvePlaySettings(play!, {}), { serial: '2', maxFailPercentage: 0 });
    assert.deepEqual(resolvePlaySettings(play!, { batch: '3', max_fail: '20' }), { serial: '3', maxFailPercentage: 20 });
    assert.deepEqual(resolvePlaySettings(play!, { batch: '50%' }), { serial: '50%', maxFailPercentage: 0 });
  });

  it('gathers, reboots only with -e reboot=true, rechecks, and templates reboot_timeout', async () => {
    const [play] = (await load('kernel.yml')).plays;
    assert.deepEqual(flattenTasks(play!.tasks).map((t) => t.type), ['gather_facts', 'reboot', 'recheck', 'debug']);
    const reboot = flattenTasks(play!.tasks)[1]!;
    assert.equal(reboot.when.every((w) => evaluateCondition(w, {})), false);
    assert.equal(reboot.when.every((w) => evaluateCondition(w, { reboot: 'true' })), true);
    assert.deepEqual(renderDeep(reboot.args, { reboot_timeout: '20' }), {
      force: false, reboot_timeout: '20', test_command: 'true', msg: 'remedy: rebooting to run the updated kernel and core libraries',
    });
    // `{{ reboot_timeout | default(600) }}` renders the text '600', as in ansible-core; the step reads it as seconds.
    assert.equal((renderDeep(reboot.args, {}) as { reboot_timeout: unknown }).reboot_timeout, '600');
  });
});

describe('playbooks/apply-errata.yml', () => {
  it('one play in batches of 25% with a 10% threshold by default', async () => {
    const { plays } = await load('apply-errata.yml');
    assert.equal(plays.length, 1);
    assert.deepEqual(resolvePlaySettings(plays[0]!, {}), { serial: '25%', maxFailPercentage: 10 });
    assert.deepEqual(resolvePlaySettings(plays[0]!, { batch: '1', max_fail: '0' }), { serial: '1', maxFailPercentage: 0 });
  });

  it('runs the categories in order, reboot and kills opt-in', async () => {
    const [play] = (await load('apply-errata.yml')).plays;
    const tasks = flattenTasks(play!.tasks);
    assert.deepEqual(tasks.map((t) => t.type), [
      'gather_facts', 'restart_services', 'xinetd_sessions', 'set_fact', 'debug', 'kill_processes', 'daemon_reexec', 'reboot', 'recheck',
    ]);
    assert.deepEqual((tasks[2]!.args as { service: string }).service, 'all');
    const vars = { ...play!.vars, stale_applications: [{ command: 'app' }] };
    const kill = tasks.find((t) => t.type === 'kill_processes')!;
    const reboot = tasks.find((t) => t.type === 'reboot')!;
    const runs = (t: typeof kill, extra: Record<string, unknown>) => t.when.every((w) => evaluateCondition(w, { ...vars, ...extra }));
    assert.equal(runs(kill, {}), false);
    assert.equal(runs(kill, { kill_applications: 'true' }), true);
    assert.equal(runs(reboot, {}), false);
    assert.equal(runs(reboot, { reboot: 'true' }), true);
    assert.equal((kill.args as { only_stale: boolean }).only_stale, true);
  });
});
