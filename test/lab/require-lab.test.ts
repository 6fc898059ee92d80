/** The lab gate: a missing prerequisite fails the suite with its name; REMEDY_SKIP_LAB=1 skips it loudly. */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCommand } from './run.js';

const gate = fileURLToPath(new URL('./require-lab.ts', import.meta.url));
const probe = `import(${JSON.stringify(gate)}).then((m) => {
  try { const r = m.requireLab({ skip() { console.log('SKIPPED'); } }); console.log('RESULT', r); }
  catch (e) { console.log('THROWN', e.message); }
})`;

/** Runs the gate in a child process as user nobody (so "not root" is missing), with extra env. */
function runAsNobody(env: Record<string, string>) {
  const args = ['--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp', ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
    process.execPath, '--import', 'tsx', '-e', probe];
  return runCommand('setpriv', args, { timeoutMs: 30_000 });
}

describe('requireLab (test/lab/require-lab.ts)', function () {
  this.timeout(40_000);
  before(function () {
    if (process.getuid?.() !== 0) this.skip(); // the lab suites themselves fail loudly in that case
  });

  it('fails, naming what is missing, when the lab cannot run', async () => {
    const r = await runAsNobody({ REMEDY_SKIP_LAB: '' });
    assert.match(r.stdout, /THROWN the lab cannot run on this machine: not root/);
    assert.match(r.stdout, /REMEDY_SKIP_LAB=1/);
    assert.doesNotMatch(r.stdout, /SKIPPED/);
  });

  it('skips with a message in capitals when REMEDY_SKIP_LAB=1', async () => {
    const r = await runAsNobody({ REMEDY_SKIP_LAB: '1' });
    assert.match(r.stdout, /SKIPPED\nRESULT false/);
    assert.match(r.stderr, /END-TO-END \(LAB\) SUITES WERE SKIPPED BECAUSE REMEDY_SKIP_LAB=1.*NOT ROOT/);
  });
});
