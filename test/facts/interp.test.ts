/**
 * Interpreted programs: the parser and the stale rule on written records, then the probe itself on
 * this machine against Python, Perl and shell programs started here (tracked by pid, ended by pid),
 * whose modules are then replaced the way a package manager does (a new file renamed over the old).
 * The comparison with needrestart's own interpreter scan is in test/lab (interpreters-lab.test.ts).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { findStaleSources, parseInterpreters, staleSourcesOf } from '../../src/facts/parse-interp.js';
import { gatherFacts } from '../../src/facts/gather.js';
import { createLocalTransport } from '../../src/transport/local.js';
import type { HostFacts } from '../../src/facts/types.js';

describe('facts/parse-interp: records → stale sources', () => {
  const scan = parseInterpreters([
    'R\t100\tpython\t/opt/app/run.py', 'U\t100\t0\t/opt/app/run.py', 'U\t100\t1\t/opt/app/helper.py', 'U\t100\t2\t/usr/lib/python3.11/json/__init__.py',
    'T\t2049\t11\t1000\t/opt/app/run.py', 'T\t2049\t12\t1005\t/opt/app/helper.py', 'T\t2049\t13\t1001\t/usr/lib/python3.11/json/__init__.py',
    'R\t200\tshell\t/opt/app/job.sh', 'D\t200\t255\t/opt/app/job.sh (deleted)', 'U\t200\t0\t/opt/app/job.sh',
    'R\t300\tperl\t/opt/app/x.pl', 'D\t300\t3\t/opt/app/x.pl', 'T\t2049\t40\t900\t/proc/300/fd/3', 'T\t2049\t41\t900\t/opt/app/x.pl', 'U\t300\t0\t/opt/app/x.pl',
    'R\t400\tpython\t-', 'L\tfiles\tprocess 400: stopped after 100 files', 'R\t500\tcobol\t/x', 'garbage',
  ]);
  it('reads processes, used files, open files, stats and the bounds hit', () => {
    assert.deepEqual([...scan.processes.keys()], [100, 200, 300, 400]);
    assert.equal(scan.processes.get(400)!.script, null);
    assert.deepEqual(scan.processes.get(200)!.open, [{ fd: 255, path: '/opt/app/job.sh', deleted: true }]);
    assert.deepEqual(scan.limits, ['process 400: stopped after 100 files']);
  });
  it('ctime 2 s or more after the start: changed; an open file deleted or another inode at its path: exact', () => {
    const at = (startTime: number) => ({ startTime });
    assert.deepEqual(staleSourcesOf(scan.processes.get(100)!, at(1000), scan), [{ path: '/opt/app/helper.py', reason: 'changed' }]);
    assert.deepEqual(staleSourcesOf(scan.processes.get(100)!, at(1004), scan), [], 'changed within the tolerance, or before the start');
    assert.deepEqual(staleSourcesOf(scan.processes.get(200)!, at(1000), scan), [{ path: '/opt/app/job.sh', reason: 'deleted' }]);
    assert.deepEqual(staleSourcesOf(scan.processes.get(300)!, at(1000), scan), [{ path: '/opt/app/x.pl', reason: 'replaced' }]);
    assert.deepEqual(staleSourcesOf(scan.processes.get(300)!, at(null as unknown as number), scan), [{ path: '/opt/app/x.pl', reason: 'replaced' }], 'no start time: exact checks only');
  });
  it('the bounds become unknown facts', () => {
    const unknown: Array<{ what: string; reason: string }> = [];
    findStaleSources(scan, new Map(), unknown);
    assert.deepEqual(unknown, [{ what: 'interpreters', reason: 'the interpreter scan stopped early: process 400: stopped after 100 files' }]);
  });
});

describe('facts probe on this machine: interpreted programs whose sources were replaced', function () {
  this.timeout(60_000);
  let dir = '';
  const children: ChildProcess[] = [];
  const pids: Record<string, number> = {};
  let facts: HostFacts;

  const put = (rel: string, text: string): void => { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); };
  /** As dpkg does: the new file beside the old one, renamed over it. */
  const upgrade = (rel: string, text: string): void => { writeFileSync(join(dir, `${rel}.new`), text); renameSync(join(dir, `${rel}.new`), join(dir, rel)); };
  const start = (name: string, argv: string[], cwd = dir): void => {
    const c = spawn(argv[0]!, argv.slice(1), { cwd, stdio: 'ignore', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
    c.on('error', () => undefined);
    children.push(c);
    pids[name] = c.pid!;
  };
  const entry = (name: string) => facts.stale.find((s) => s.pids.includes(pids[name]!));

  before(async function () {
    if (!existsSync('/usr/bin/python3') || !existsSync('/usr/bin/perl')) this.skip();
    // Not under /tmp: the default ignore list leaves /tmp out, as needrestart's blacklist does.
    dir = mkdtempSync('/srv/remedy-interp-');
    put('app.py', 'import time\nimport helper\nfrom pkg import sub\nfrom pkg.sub import VALUE\nwhile True:\n    time.sleep(1)\n');
    put('helper.py', 'X = 1\n');
    put('pkg/__init__.py', '');
    put('pkg/sub.py', 'VALUE = 1\n');
    put('same.py', 'import time\nimport helper2\nwhile True:\n    time.sleep(1)\n');
    put('helper2.py', 'Y = 1\n');
    put('modpkg/__init__.py', '');
    put('modpkg/run.py', 'import time\nwhile True:\n    time.sleep(1)\n');
    put('lib/My/Mod.pm', 'package My::Mod;\n1;\n');
    put('app.pl', `use strict;\nuse lib '${dir}/lib';\nuse My::Mod;\nsleep 600;\n`);
    put('inc.sh', 'X=1\n');
    put('app.sh', `. ${dir}/inc.sh\nsleep 600\nexit 0\n`);
    put('fifo.py', 'import time\nimport trap\nwhile True:\n    time.sleep(1)\n');
    execFileSync('mkfifo', [join(dir, 'trap.py')]);
    start('py', ['/usr/bin/python3', '-u', join(dir, 'app.py')]);
    start('same', ['/usr/bin/python3', 'same.py']);
    start('mod', ['/usr/bin/python3', '-m', 'modpkg.run']);
    start('pl', ['/usr/bin/perl', '-w', join(dir, 'app.pl')]);
    start('sh', ['/bin/bash', join(dir, 'app.sh')]);
    // Python itself blocks opening the FIFO; the probe must not.
    start('fifo', ['/usr/bin/python3', join(dir, 'fifo.py')]);
    start('code', ['/usr/bin/python3', '-c', 'import time; time.sleep(600)']);
    // The changes come 3 s after the starts: start times and ctimes are whole seconds (2 s tolerance).
    await new Promise((r) => setTimeout(r, 3200));
    upgrade('pkg/sub.py', 'VALUE = 2\n');
    upgrade('modpkg/run.py', 'import time\nwhile True:\n    time.sleep(2)\n');
    upgrade('lib/My/Mod.pm', 'package My::Mod;\nour $V = 2;\n1;\n');
    upgrade('app.sh', `. ${dir}/inc.sh\nsleep 601\nexit 0\n`);
    const t = createLocalTransport({ host: 'localhost', kind: 'local', address: 'localhost', become: false, extra: {} });
    facts = await gatherFacts(t, { timeoutMs: 50_000 });
  });
  after(() => {
    for (const c of children) c.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a Python program whose imported module was replaced is stale, the module named', () => {
    assert.deepEqual(entry('py')?.staleFiles, [{ path: join(dir, 'pkg/sub.py'), reason: 'changed' }]);
    assert.equal(entry('py')?.command, 'python3');
  });
  it('`python -m` resolves the module from the working directory', () => {
    assert.deepEqual(entry('mod')?.staleFiles, [{ path: join(dir, 'modpkg/run.py'), reason: 'changed' }]);
  });
  it('a Perl program: the module found through `use lib`', () => {
    assert.deepEqual(entry('pl')?.staleFiles, [{ path: join(dir, 'lib/My/Mod.pm'), reason: 'changed' }]);
  });
  it('a shell script renamed over while bash still reads it (fd 255): deleted', () => {
    assert.deepEqual(entry('sh')?.staleFiles, [{ path: join(dir, 'app.sh'), reason: 'deleted' }]);
  });
  it('an interpreter whose files did not change is not stale', () => {
    assert.equal(entry('same'), undefined);
    assert.equal(entry('code'), undefined, 'code from -c names no script');
  });
  it('a FIFO planted as a module is never opened: the probe finished', () => {
    assert.ok(!facts.unknown.some((u) => u.what === 'probe'), JSON.stringify(facts.unknown));
    assert.equal(entry('fifo'), undefined);
  });
});
