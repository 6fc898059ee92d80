import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledSchema } from '../../src/config/schema.js';
import type { RunReport } from '../../src/model/results.js';
import { formatJsonReport, writeJsonReport } from '../../src/report/json-report.js';
import { report } from './fixtures.js';

function errorsOf(value: unknown): string[] {
  const validate = compiledSchema('report');
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** A deep copy of the full report, changed by `edit`. */
function broken(edit: (r: Record<string, any>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(report())) as Record<string, any>;
  edit(copy);
  return copy;
}

describe('report schema (schemas/report.schema.json)', () => {
  it('accepts a full report built by hand, and one with no hosts', () => {
    assert.deepEqual(errorsOf(report()), []);
    assert.deepEqual(errorsOf(JSON.parse(formatJsonReport(report())) as unknown), []);
    assert.deepEqual(errorsOf(report([], { check: true, interrupted: true })), []);
  });

  const cases: Array<[string, (r: Record<string, any>) => void, RegExp]> = [
    ['an unknown top-level key', (r) => { r.extra = 1; }, /must NOT have additional properties/],
    ['a missing summary', (r) => { delete r.summary; }, /must have required property 'summary'/],
    ['version 2', (r) => { r.version = 2; }, /\/version must be equal to constant/],
    ['a date that is not a date-time', (r) => { r.startedAt = 'yesterday'; }, /\/startedAt must match format "date-time"/],
    ['a host status outside the enum', (r) => { r.hosts[0].status = 'done'; }, /\/hosts\/0\/status must be equal to one of the allowed values/],
    ['an unknown key in a host', (r) => { r.hosts[1].password = 'x'; }, /\/hosts\/1 must NOT have additional properties/],
    ['a step without exitCode', (r) => { delete r.hosts[0].steps[0].exitCode; }, /\/hosts\/0\/steps\/0 must have required property 'exitCode'/],
    ['an exitCode that is a string', (r) => { r.hosts[0].steps[0].exitCode = '0'; }, /\/hosts\/0\/steps\/0\/exitCode must be integer,null/],
    ['a negative duration', (r) => { r.hosts[0].steps[0].durationMs = -1; }, /durationMs must be >= 0/],
    ['a stale owner kind outside the enum', (r) => { r.hosts[1].stale[0].owner.kind = 'cron'; }, /\/hosts\/1\/stale\/0\/owner\/kind/],
    ['a killed process without signal', (r) => { delete r.hosts[1].killed[0].signal; }, /\/hosts\/1\/killed\/0 must have required property 'signal'/],
    ['a reboot reason with extra keys', (r) => { r.hosts[1].rebootReasons[0].severity = 'high'; }, /rebootReasons\/0 must NOT have additional properties/],
    ['an unreachable without kind', (r) => { delete r.hosts[2].unreachable.kind; }, /\/hosts\/2\/unreachable must have required property 'kind'/],
    ['a summary count that is fractional', (r) => { r.summary.ok = 1.5; }, /\/summary\/ok must be integer/],
    ['rebootRequired that is a boolean', (r) => { r.summary.rebootRequired = true; }, /\/summary\/rebootRequired must be array/],
    ['interrupted missing', (r) => { delete r.interrupted; }, /must have required property 'interrupted'/],
  ];
  for (const [what, edit, expected] of cases) {
    it(`rejects ${what}`, () => {
      const errors = errorsOf(broken(edit));
      assert.ok(errors.some((e) => expected.test(e)), errors.join('\n'));
    });
  }

  it('describes every property for CI users', async () => {
    const schema = JSON.parse(await readFile(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')) as unknown;
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
      for (const [key, sub] of Object.entries(props ?? {})) {
        if (!sub.description && !sub.$ref) missing.push(`${path}/${key}`);
        walk(sub, `${path}/${key}`);
      }
      const defs = (node as { $defs?: Record<string, unknown> }).$defs;
      for (const [key, sub] of Object.entries(defs ?? {})) walk(sub, `#/$defs/${key}`);
      walk((node as { items?: unknown }).items, `${path}[]`);
    };
    walk(schema, '#');
    assert.deepEqual(missing, []);
  });
});

describe('writeJsonReport', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'remedy-report-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('writes the report as JSON that reads back equal, leaving no temporary file', async () => {
    const file = join(dir, 'report.json');
    await writeJsonReport(file, report());
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), report());
    assert.deepEqual(await readdir(dir), ['report.json']);
  });

  it('replaces an existing report whole', async () => {
    const file = join(dir, 'report.json');
    await writeFile(file, 'x'.repeat(100_000));
    const small: RunReport = report([]);
    await writeJsonReport(file, small);
    const text = await readFile(file, 'utf8');
    assert.equal(text, formatJsonReport(small));
    assert.deepEqual(await readdir(dir), ['report.json']);
  });

  it('fails without leaving a temporary file, and keeps what was there', async () => {
    const target = join(dir, 'taken');
    await mkdir(target);
    await writeFile(join(target, 'keep'), 'kept');
    await assert.rejects(writeJsonReport(target, report()), (e: NodeJS.ErrnoException) => ['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes(e.code ?? ''));
    assert.deepEqual((await readdir(dir)).sort(), ['taken']);
    assert.equal(await readFile(join(target, 'keep'), 'utf8'), 'kept');
    await assert.rejects(writeJsonReport(join(dir, 'missing', 'r.json'), report()), { code: 'ENOENT' });
  });

  it('a reader polling the file sees the old report or the new one, never a part', async () => {
    const file = join(dir, 'report.json');
    const old = formatJsonReport(report([]));
    await writeFile(file, old);
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...report().hosts[1]!, name: `host${i}` }));
    const big = formatJsonReport(report(many));
    let finished = false;
    const writing = writeJsonReport(file, report(many)).finally(() => { finished = true; });
    const seen = new Set<string>();
    let reads = 0;
    while (!finished) {
      const text = await readFile(file, 'utf8');
      reads++;
      seen.add(text === old ? 'old' : text === big ? 'new' : `partial ${text.length}`);
    }
    await writing;
    assert.equal(await readFile(file, 'utf8'), big);
    assert.ok(reads > 0);
    assert.deepEqual([...seen].filter((s) => s.startsWith('partial')), []);
  });

  it('writes to stdout for -', async () => {
    const chunks: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(String(chunk));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
    try {
      await writeJsonReport('-', report());
    } finally {
      process.stdout.write = original;
    }
    assert.equal(chunks.join(''), formatJsonReport(report()));
  });
});
