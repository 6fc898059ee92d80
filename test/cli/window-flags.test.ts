import { strict as assert } from 'node:assert';
import { UsageError } from '../../src/model/errors.js';
import { parseDeadline, parseDuration, parseLockWait, parseMaxFail, parseShard } from '../../src/cli/window-flags.js';

const now = new Date('2026-06-02T22:00:00.000Z');

describe('patch window flags (--deadline, --max-fail, --shard, --lock-wait)', () => {
  it('--deadline: a duration counts from now', () => {
    const cases: Array<[string, number]> = [['90m', 90 * 60], ['2h', 7200], ['45s', 45], ['1h30m', 5400], ['1h0m30s', 3630], ['0.5s', 0.5], ['0s', 0]];
    for (const [text, seconds] of cases) assert.equal(parseDeadline(text, now).getTime(), now.getTime() + seconds * 1000, text);
  });

  it('--deadline: an ISO 8601 time, with Z, an offset, or none (local time), T or a space', () => {
    const cases: Array<[string, string]> = [
      ['2026-06-03T06:00Z', '2026-06-03T06:00:00.000Z'],
      ['2026-06-03T06:00:30Z', '2026-06-03T06:00:30.000Z'],
      ['2026-06-03T06:00:30.250Z', '2026-06-03T06:00:30.250Z'],
      ['2026-06-03T08:00+02:00', '2026-06-03T06:00:00.000Z'],
      ['2026-06-03T08:00+0200', '2026-06-03T06:00:00.000Z'],
      ['2026-06-03 01:00-05:00', '2026-06-03T06:00:00.000Z'],
    ];
    for (const [text, iso] of cases) assert.equal(parseDeadline(text, now).toISOString(), iso, text);
    assert.equal(parseDeadline('2026-06-03T06:00', now).getTime(), new Date(2026, 5, 3, 6, 0).getTime(), 'no offset: local time');
    assert.equal(parseDeadline('2020-01-01T00:00Z', now).toISOString(), '2020-01-01T00:00:00.000Z', 'a time already past is allowed: no batch starts');
  });

  it('--deadline: anything else is a usage error that shows both forms', () => {
    for (const bad of ['', 'soon', '90', '2026-06-03', '2026-13-03T06:00Z', '2026-06-03T25:00Z', '1d', 'm', '-5m', '2026-06-03T06:00:61Z']) {
      assert.throws(() => parseDeadline(bad, now), (e: unknown) => e instanceof UsageError && /--deadline: .* is neither an ISO 8601 time \(2025-06-03T06:00Z.*nor a duration from now \(90m, 2h, 45s, 1h30m\)/.test(e.message), bad);
    }
  });

  it('--max-fail: N hosts or P percent; the rest is a usage error', () => {
    assert.deepEqual(parseMaxFail('0'), { value: 0, unit: 'hosts' });
    assert.deepEqual(parseMaxFail('3'), { value: 3, unit: 'hosts' });
    assert.deepEqual(parseMaxFail('10%'), { value: 10, unit: 'percent' });
    assert.deepEqual(parseMaxFail('12.5%'), { value: 12.5, unit: 'percent' });
    assert.deepEqual(parseMaxFail('100%'), { value: 100, unit: 'percent' });
    for (const bad of ['', '-1', '1.5', '101%', 'ten', '%', '5 hosts']) {
      assert.throws(() => parseMaxFail(bad), /--max-fail: expected a number of hosts \(3\) or a percentage/, bad);
    }
  });

  it('--shard: I/N with 1 <= I <= N', () => {
    assert.deepEqual(parseShard('1/3'), { index: 1, count: 3 });
    assert.deepEqual(parseShard('3/3'), { index: 3, count: 3 });
    assert.deepEqual(parseShard(' 1 / 1 '), { index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '1', '1/3/5', 'a/b', '-1/3', '']) {
      assert.throws(() => parseShard(bad), /--shard: expected I\/N with 1 <= I <= N .*JOB_COMPLETION_INDEX add 1/, bad);
    }
  });

  it('--lock-wait and durations', () => {
    assert.equal(parseLockWait('0'), 0);
    assert.equal(parseLockWait('30s'), 30);
    assert.equal(parseLockWait('5m'), 300);
    assert.equal(parseDuration('nope'), undefined);
    assert.throws(() => parseLockWait('5'), /--lock-wait: expected a duration such as 30s, 5m or 0, got '5'/);
  });
});
