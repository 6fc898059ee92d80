import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import type { RunEvent } from '../../src/model/events.js';
import { createCiDecorator, detectCi, escapeGithubData, escapeGithubProperty } from '../../src/report/ci-log.js';
import { createPlainReporter } from '../../src/report/plain-reporter.js';
import { report, scriptedEvents, web03 } from './fixtures.js';

/** Runs the events through the plain reporter with CI markup; returns the lines printed. */
function printed(events: RunEvent[], ci: 'github' | 'gitlab' | undefined): string[] {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => { text += c.toString(); });
  const listener = createPlainReporter(out, { color: false, ci });
  for (const e of events) listener(e);
  return text.split('\n').slice(0, -1);
}

/** Two plays; the second stops at a failed batch (no play-end), then web03's reboot never came back. */
function twoPlays(): RunEvent[] {
  const base = scriptedEvents();
  const runEnd = base.findIndex((e) => e.type === 'host-end');
  const second: RunEvent[] = [
    { type: 'play-start', play: 'kernel', hosts: ['web03'] },
    { type: 'batch-start', play: 'kernel', batch: 1, hosts: ['web03'] },
    { type: 'batch-failed', play: 'kernel', batch: 1, failed: 1, total: 1, maxFailPercentage: 0 },
  ];
  const ends: RunEvent[] = [...base.slice(runEnd, -1), { type: 'host-end', host: web03 }, base[base.length - 1]!];
  return [...base.slice(0, runEnd), ...second, ...ends];
}

describe('CI logs (plain reporter under GITHUB_ACTIONS / GITLAB_CI)', () => {
  it('detects the CI system from its environment', () => {
    assert.equal(detectCi({ GITHUB_ACTIONS: 'true' }), 'github');
    assert.equal(detectCi({ GITLAB_CI: 'true' }), 'gitlab');
    assert.equal(detectCi({ GITHUB_ACTIONS: 'false' }), undefined);
    assert.equal(detectCi({ CI: 'true' }), undefined);
    assert.equal(detectCi({}), undefined);
  });

  it('escapes workflow command data (%, \\r, \\n) and properties (also : and ,) as GitHub\'s toolkit does', () => {
    assert.equal(escapeGithubData('50% done\r\nnext::x, y'), '50%25 done%0D%0Anext::x, y');
    assert.equal(escapeGithubProperty('host: a, b%\n'), 'host%3A a%2C b%25%0A');
  });

  it('GitHub: each play folded in ::group::/::endgroup::, a play stopped by a failed batch closed before the end', () => {
    const lines = printed(twoPlays(), 'github');
    const marks = lines.filter((l) => l.startsWith('::'));
    assert.deepEqual(marks.map((l) => l.replace(/::error title=.*/, '::error')), [
      '::group::PLAY [services]: 3 hosts',
      '::endgroup::',
      '::group::PLAY [kernel]: 1 host',
      '::error',
      '::endgroup::',
      '::error', '::error', '::error',
    ]);
    // groups never nest, and every group is closed
    let open = 0;
    for (const l of marks) {
      if (l.startsWith('::group::')) { assert.equal(open, 0); open++; }
      if (l === '::endgroup::') open--;
    }
    assert.equal(open, 0);
    assert.equal(lines[lines.length - 1], 'END: 3 hosts: 0 ok, 1 changed, 1 failed, 1 unreachable in 12.3s; reboot required: web02');
  });

  it('GitHub: an ::error:: per failed, unreachable or lost host, with its reason, after its done line', () => {
    const lines = printed(twoPlays(), 'github');
    const errors = lines.filter((l) => l.startsWith('::error '));
    assert.deepEqual(errors, [
      '::error title=remedy%3A batch 1 of play kernel failed::BATCH 1 [kernel] FAILED: 1 of 1 hosts failed (100%25), more than max_fail_percentage 0%25',
      '::error title=remedy%3A web02 failed::restart sshd: exit-code: exit code 1',
      '::error title=remedy%3A db1 unreachable::connection-refused: connect ECONNREFUSED 192.0.2.3:22',
      '::error title=remedy%3A web03 never came back from reboot::Reboot and wait for a new boot id: reboot-timeout: the host did not come back within 30s after the reboot (last: connect ECONNREFUSED 192.0.2.4:22)',
    ]);
    const web02 = lines.findIndex((l) => l.startsWith('[web02] done:'));
    assert.equal(lines[web02 + 1], errors[1]);
  });

  it('GitHub: a host\'s multi-line message stays one command, escaped, without terminal escapes', () => {
    const h = { ...web03, name: 'web09', steps: [{ ...web03.steps[1]!, message: 'line one\r\nline two\rthree 100%\u001b[31m' }] };
    const decorate = createCiDecorator('github');
    const lines = decorate({ type: 'host-end', host: h }, ['[web09] done: failed']);
    assert.deepEqual(lines, ['[web09] done: failed', '::error title=remedy%3A web09 never came back from reboot::Reboot and wait for a new boot id: reboot-timeout: line one%0Aline two?three 100%25']);
  });

  it('GitLab: each play in a collapsible section with matching start and end markers', () => {
    let t = 1_700_000_000;
    const decorate = createCiDecorator('gitlab', () => t++);
    const lines = twoPlays().flatMap((e) => decorate(e, [`line for ${e.type}`]));
    const markers = lines.filter((l) => l.includes('section_'));
    assert.deepEqual(markers, [
      '\u001b[0Ksection_start:1700000000:remedy_play_1[collapsed=true]\r\u001b[0Kline for play-start',
      '\u001b[0Ksection_end:1700000001:remedy_play_1\r\u001b[0K',
      '\u001b[0Ksection_start:1700000002:remedy_play_2[collapsed=true]\r\u001b[0Kline for play-start',
      '\u001b[0Ksection_end:1700000003:remedy_play_2\r\u001b[0K',
    ]);
    assert.ok(!lines.some((l) => l.startsWith('::')), 'no GitHub commands on GitLab');
  });

  it('without CI the output is unchanged', () => {
    const plain = printed(twoPlays(), undefined);
    assert.ok(!plain.some((l) => l.startsWith('::') || l.includes('section_')));
    const github = printed(twoPlays(), 'github').filter((l) => !l.startsWith('::'));
    assert.deepEqual(github, plain.filter((l) => !l.startsWith('PLAY [')));
    assert.equal(report().hosts.length, 3);
  });
});
