/**
 * End-to-end on this machine: real processes made stale the way an upgrade does (a new file renamed
 * over the old one), then one exec of the probe through the local transport.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatherFacts } from '../../src/facts/gather.js';
import { gatherFactsStep } from '../../src/steps/gather-facts.js';
import { createLocalTransport } from '../../src/transport/local.js';
import type { ConnectionSpec } from '../../src/model/inventory.js';
import type { ExecRequest, Transport } from '../../src/transport/transport.js';
import type { HostFacts } from '../../src/facts/types.js';
import { createFactsAccess, NO_HOST_OPTIONS, type FactsStore } from '../../src/steps/facts-access.js';

const spec: ConnectionSpec = { host: 'localhost', kind: 'local', address: 'localhost', become: false, extra: {} };

/** The local transport, counting its execs. */
function countingTransport(): Transport & { execs: ExecRequest[] } {
  const inner = createLocalTransport(spec);
  const execs: ExecRequest[] = [];
  return { ...inner, host: inner.host, execs, exec: (req) => { execs.push(req); return inner.exec(req); } };
}

function compile(out: string, marker: string): void {
  const src = `${out}.c`;
  writeFileSync(src, `int remedy_marker_${marker}(void) { return 1; }\n`);
  const r = spawnSync('gcc', ['-shared', '-fPIC', '-o', out, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc: ${r.stderr}`);
}

async function waitForMapping(pid: number, needle: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try { if (readFileSync(`/proc/${pid}/maps`, 'utf8').includes(needle)) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`pid ${pid} never mapped ${needle}`);
}

const entryFor = (f: HostFacts, pid: number) => f.stale.find((s) => s.pids.includes(pid));

describe('facts/gather on real processes of this machine', function () {
  this.timeout(60_000);
  let dir = '';
  const children: ChildProcess[] = [];
  let replacedExe = 0;
  let replacedLib = 0;
  let untouched = 0;

  before(async function () {
    if (process.getuid?.() !== 0 || spawnSync('gcc', ['--version']).status !== 0) this.skip();
    // Not under /tmp: temporary files are ignored by default.
    dir = mkdtempSync('/srv/remedy-facts-test-');
    const start = (cmd: string, args: string[], env: Record<string, string> = {}): number => {
      const c = spawn(cmd, args, { stdio: 'ignore', env: { ...process.env, ...env } });
      children.push(c);
      return c.pid!;
    };
    copyFileSync('/bin/sleep', join(dir, 'app'));
    replacedExe = start(join(dir, 'app'), ['600']);
    compile(join(dir, 'libold.so'), 'old');
    replacedLib = start('/bin/sleep', ['600'], { LD_PRELOAD: join(dir, 'libold.so') });
    compile(join(dir, 'libkeep.so'), 'keep');
    untouched = start('/bin/sleep', ['600'], { LD_PRELOAD: join(dir, 'libkeep.so') });
    await waitForMapping(replacedExe, join(dir, 'app'));
    await waitForMapping(replacedLib, 'libold.so');
    await waitForMapping(untouched, 'libkeep.so');
    // The upgrade: new files written beside the old ones and renamed over them.
    copyFileSync('/bin/sleep', join(dir, 'app.new'));
    renameSync(join(dir, 'app.new'), join(dir, 'app'));
    compile(join(dir, 'libold.so.new'), 'new');
    renameSync(join(dir, 'libold.so.new'), join(dir, 'libold.so'));
  });

  after(() => {
    for (const c of children) if (c.pid && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the replaced executable and the replaced library in one exec, not the untouched one', async () => {
    const t = countingTransport();
    const facts = await gatherFacts(t);
    assert.equal(t.execs.length, 1);
    assert.deepEqual(entryFor(facts, replacedExe)?.staleFiles, [{ path: join(dir, 'app'), reason: 'deleted' }]);
    assert.equal(entryFor(facts, replacedExe)?.exe, `${join(dir, 'app')} (deleted)`);
    assert.deepEqual(entryFor(facts, replacedLib)?.staleFiles, [{ path: join(dir, 'libold.so'), reason: 'deleted' }]);
    assert.equal(entryFor(facts, untouched), undefined);
    assert.equal(entryFor(facts, replacedLib)?.user, 'root');
    assert.ok(facts.processCount >= 3);
    assert.equal(facts.os.uid, 0);
  });

  it('restricts to a library glob and honours the ignore list', async () => {
    const facts = await gatherFacts(createLocalTransport(spec), { libraryGlob: 'libold.so*' });
    assert.ok(entryFor(facts, replacedLib));
    assert.equal(entryFor(facts, replacedExe), undefined);
    const ignored = await gatherFacts(createLocalTransport(spec), { ignore: [`${dir}/`] });
    assert.equal(entryFor(ignored, replacedLib), undefined);
    assert.equal(entryFor(ignored, replacedExe), undefined);
  });

  it('the gather_facts step reports the same as effects, in check mode too', async () => {
    const ctl = new AbortController();
    const transport = createLocalTransport(spec);
    const store: FactsStore = {};
    const facts = createFactsAccess(transport, NO_HOST_OPTIONS, {}, store);
    const res = await gatherFactsStep.run({ host: 'localhost', connection: spec, transport, vars: {}, facts, options: NO_HOST_OPTIONS, check: true, signal: ctl.signal }, { library_glob: 'libold.so*' });
    assert.equal(res.status, 'ok');
    assert.equal(res.changed, false);
    assert.equal(gatherFactsStep.supportsCheck, true);
    const stale = res.effects?.stale ?? [];
    assert.ok(stale.some((s) => s.pid === replacedLib && s.files[0] === join(dir, 'libold.so')));
    assert.equal(typeof res.effects?.rebootRequired, 'boolean');
    assert.ok(Array.isArray(res.effects?.rebootReasons));
    assert.ok((res.data?.['facts'] as HostFacts).os.bootId);
    // Later steps read the latest facts from the host's facts store (playbooks: the variable remedy_facts).
    assert.equal(store.facts, res.data?.['facts']);
  });
});

describe('facts/gather when the probe fails', () => {
  /** A transport whose one exec returns the given result (no host involved). */
  const fixed = (res: Partial<import('../../src/transport/transport.js').ExecResult>): Transport => ({
    host: 'h', connect: async () => undefined, put: async () => undefined, close: async () => undefined,
    exec: async () => ({ exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 5, timedOut: false, truncated: false, ...res }),
  });

  it('a timeout, truncated output and a bad exit become unknown facts, not exceptions', async () => {
    const f = await gatherFacts(fixed({ exitCode: null, signal: 'SIGTERM', timedOut: true, truncated: true, stdout: '@@host\nprobe 1\n' }));
    const reasons = f.unknown.filter((u) => u.what === 'probe').map((u) => u.reason);
    assert.equal(reasons.length, 3);
    assert.match(reasons.join('\n'), /incomplete/);
    assert.match(reasons.join('\n'), /timed out after 5 ms/);
    assert.match(reasons.join('\n'), /truncated/);
    const g = await gatherFacts(fixed({ exitCode: 127, stderr: 'sh: 1: awk: not found' }));
    assert.ok(g.unknown.some((u) => /exited with 127: sh: 1: awk: not found/.test(u.reason)));
  });

  it('a process scan cut short: the unknown names the host\'s own words, and the step\'s "nothing stale" says it is unsure', async () => {
    const stdout = '@@host\nprobe 2\nhave awk\n@@procs\nE\t2\n@@end\n';
    const transport = fixed({ stdout, stderr: 'mawk: cannot open /proc/42/maps\n' });
    const f = await gatherFacts(transport);
    assert.deepEqual(f.unknown.filter((u) => u.what === 'processes').map((u) => u.reason),
      ['the process scan ended with status 2: processes after that point were not read (the host said: mawk: cannot open /proc/42/maps)']);
    const res = await gatherFactsStep.run({ host: 'h', connection: spec, transport, vars: {}, facts: createFactsAccess(transport, NO_HOST_OPTIONS, {}), options: NO_HOST_OPTIONS, check: false, signal: new AbortController().signal }, null);
    assert.match(res.message ?? '', /^nothing stale; .*; \d+ unknown \(the process scan ended with status 2: .*\(the host said: mawk: cannot open \/proc\/42\/maps\)\)$/);
    assert.equal((await gatherFacts(fixed({ stdout }))).unknown.find((u) => u.what === 'processes')?.reason, 'the process scan ended with status 2: processes after that point were not read');
  });

  it('the step fails with the reason and still carries the facts', async () => {
    const res = await gatherFactsStep.run(
      (() => {
        const transport = fixed({ exitCode: 1, stdout: '' });
        return { host: 'h', connection: spec, transport, vars: {}, facts: createFactsAccess(transport, NO_HOST_OPTIONS, {}), options: NO_HOST_OPTIONS, check: false, signal: new AbortController().signal };
      })(),
      null,
    );
    assert.equal(res.status, 'failed');
    assert.equal(res.cause, 'probe-incomplete');
    assert.ok(res.data?.['facts']);
  });
});
