import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { judgeService, type ServiceArgs } from '../../src/steps/service.js';
import { parseServiceOutput } from '../../src/facts/service-state.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const labd = (state: ServiceArgs['state']): ServiceArgs => ({ name: 'remedy-labd', state });

/** Output captured from the service script on lab hosts (systemd and SysV flavours). */
describe('steps/service: parse and judge real output', () => {
  for (const flavor of ['systemd', 'sysv'] as const) {
    describe(flavor, () => {
      it('restarted: changed, verified active, reported in effects.restarted', () => {
        const o = parseServiceOutput(fixture(`service-restart-${flavor}.txt`));
        assert.equal(o.init, flavor);
        assert.deepEqual([o.before, o.action, o.rc, o.after], ['active', 'restart', 0, 'active']);
        const j = judgeService(labd('restarted'), o, false);
        assert.equal(j.status, 'changed');
        assert.deepEqual(j.effects, { restarted: ['remedy-labd'] });
      });

      it('started when already running: ok, nothing done', () => {
        const j = judgeService(labd('started'), parseServiceOutput(fixture(`service-started-${flavor}.txt`)), false);
        assert.equal(j.status, 'ok');
        assert.equal(j.effects, undefined);
      });

      it('check mode: says what it would do', () => {
        const o = parseServiceOutput(fixture(`service-check-restart-${flavor}.txt`));
        assert.equal(o.rc, undefined);
        const j = judgeService(labd('restarted'), o, true);
        assert.equal(j.status, 'skipped');
        assert.match(j.message ?? '', /^check mode: would restart remedy-labd/);
      });

      it('stopped then started: changed, verified', () => {
        const stop = judgeService(labd('stopped'), parseServiceOutput(fixture(`service-stop-${flavor}.txt`)), false);
        assert.equal(stop.status, 'changed');
        assert.equal(stop.effects, undefined);
        const start = parseServiceOutput(fixture(`service-start-${flavor}.txt`));
        assert.equal(start.before, 'inactive');
        assert.equal(judgeService(labd('started'), start, false).status, 'changed');
      });

      it('an unknown service fails with unknown-service', () => {
        const j = judgeService({ name: 'no-such-svc', state: 'started' }, parseServiceOutput(fixture(`service-missing-${flavor}.txt`)), false);
        assert.equal(j.status, 'failed');
        assert.equal(j.cause, 'unknown-service');
      });
    });
  }

  it('the sysv restart reports the new pid from the pidfile', () => {
    assert.ok((parseServiceOutput(fixture('service-restart-sysv.txt')).pid ?? 0) > 0);
  });

  it('fails when the service is not in the wanted state afterwards', () => {
    const j = judgeService(labd('started'), parseServiceOutput('init\tsysv\nbefore\tinactive\naction\tstart\nrc\t0\nafter\tinactive\n'), false);
    assert.equal(j.status, 'failed');
    assert.equal(j.cause, 'verify-failed');
  });

  it('fails when the action exits non-zero even if the service still runs (reload an init script lacks)', () => {
    const j = judgeService(labd('reloaded'), parseServiceOutput('init\tsysv\nbefore\tactive\naction\treload\nrc\t3\nafter\tactive\n'), false);
    assert.equal(j.status, 'failed');
    assert.equal(j.cause, 'action-failed');
    assert.match(j.message ?? '', /exit code 3/);
  });

  it('fails on output it cannot read', () => {
    assert.equal(judgeService(labd('started'), parseServiceOutput(''), false).status, 'failed');
  });
});
