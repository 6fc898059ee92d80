/**
 * Host output is data and may be anything: the probe's and the steps' parsers never throw on truncated,
 * reordered, garbled or foreign output (real captures from the lab, mutated), and say what they could
 * not read as `unknown` facts instead of inventing a verdict.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseProbeOutput } from '../../src/facts/parse-facts.js';
import { parseProcScan } from '../../src/facts/process-list.js';
import { parseXinetdScan, parseXinetdServiceList } from '../../src/facts/xinetd-instances.js';
import { parseServiceOutput } from '../../src/facts/service-state.js';
import { parseDaemonReexec } from '../../src/facts/pid1-state.js';
import { parseRestartOutput } from '../../src/steps/restart-script.js';
import { parseTerminateOutput } from '../../src/steps/terminate.js';
import { check } from './settings.js';

const dir = new URL('../facts/fixtures/', import.meta.url);
const captures = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(new URL(f, dir), 'utf8'));

/** A capture, then changed the ways a dying host, a full disk or a hostile user changes output. */
const mutated = fc.tuple(fc.constantFrom(...captures), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 40, unit: 'binary' })), { maxLength: 8 }), fc.nat(), fc.boolean())
  .map(([text, edits, cut, shuffle]) => {
    let lines = text.split('\n');
    for (const [at, len, insert] of edits) {
      const i = at % Math.max(lines.length, 1);
      lines.splice(i, len % 4, insert);
    }
    if (shuffle) lines = lines.map((l, i) => [l, (i * 7919) % 13] as const).sort((a, b) => a[1] - b[1]).map(([l]) => l);
    const joined = lines.join('\n');
    return joined.slice(0, cut % (joined.length + 1) || joined.length);
  });

describe('property: the facts and step parsers take any host output', function () {
  this.timeout(120_000);

  it('parseProbeOutput never throws, and a cut output is said to be incomplete', () => {
    check(fc.property(mutated, (text) => {
      const facts = parseProbeOutput(text);
      assert.ok(Array.isArray(facts.stale) && typeof facts.rebootRequired === 'boolean');
      if (!text.includes('@@end')) assert.ok(facts.unknown.some((u) => u.what === 'probe'), 'an output without @@end must be marked incomplete');
    }));
  });

  it('every step parser takes any text (records with tabs, NULs, huge numbers, no newline)', () => {
    const record = fc.tuple(fc.constantFrom('proc', 'stale', 'self', 'uid', 'child', 'server', 'xinetd', 'init', 'before', 'action', 'rc', 'after', 'pid', 'pid1', 'start', 'still', 'sent', 'gone', 'survivor', 'error', 'vanished', 'service', 'restart', 'refused', 'fresh', 'x'),
      fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.bigInt().map(String), fc.constant('')), { maxLength: 9 }))
      .map(([k, f]) => [k, ...f].join('\t'));
    check(fc.property(fc.array(record, { maxLength: 30 }).map((r) => r.join('\n')), (text) => {
      parseProcScan(text);
      parseXinetdScan(text);
      parseXinetdServiceList(text);
      parseServiceOutput(text);
      parseDaemonReexec(text);
      parseRestartOutput(text);
      parseTerminateOutput(text);
    }));
  });
});
