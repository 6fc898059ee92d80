/**
 * Every signal that ends a run (INT, TERM from a CI runner's cancel, HUP when the terminal goes away,
 * QUIT) stops new work, lets the running step finish, writes the report and exits 130, naming the
 * signal; nothing is left running. A second signal ends the running command too.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, scratch } from './run-cli.js';

const INVENTORY = 'all:\n  hosts:\n    alpha: { ansible_connection: local }\n';

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Runs a playbook whose first task sleeps; sends `signals` once it has started; returns the exit code and output. */
async function interrupt(signals: NodeJS.Signals[], sleep: number): Promise<{ code: number | null; out: string; json: string; pidFile: string }> {
  const dir = scratch({ 'i.yml': INVENTORY });
  const pidFile = join(dir, 'pid');
  const play = `- hosts: alpha\n  tasks:\n    - shell: "echo $$ > ${pidFile}; sleep ${sleep}; echo done"\n    - shell: "echo second"\n`;
  const playFile = join(dir, 'p.yml');
  await import('node:fs/promises').then((fs) => fs.writeFile(playFile, play));
  const json = join(dir, 'r.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', playFile, '-i', join(dir, 'i.yml'), '--json', json, '-v', '--no-progress'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let sent = false;
  const onData = (c: Buffer): void => {
    out += c.toString();
    if (!sent && out.includes('start: shell: echo')) {
      sent = true;
      signals.forEach((s, i) => setTimeout(() => child.kill(s), 300 * (i + 1)));
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  return { code, out, json, pidFile };
}

describe('signals: every stop signal writes the report and exits 130', function () {
  this.timeout(60_000);
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) {
    it(`${signal}: the running step finishes, nothing new starts, the report says interrupted`, async () => {
      const r = await interrupt([signal], 2);
      assert.equal(r.code, 130, r.out);
      assert.match(r.out, new RegExp(`INTERRUPTED \\(${signal}\\)`));
      const report = JSON.parse(readFileSync(r.json, 'utf8')) as { interrupted: boolean; hosts: Array<{ steps: Array<{ status: string }> }> };
      assert.equal(report.interrupted, true);
      assert.deepEqual(report.hosts[0]?.steps.map((s) => s.status), ['changed']);
    });
  }

  it('a second signal ends the running command (its process is gone), and the report is still written', async () => {
    const r = await interrupt(['SIGHUP', 'SIGTERM'], 30);
    assert.equal(r.code, 130, r.out);
    assert.ok(existsSync(r.json), r.out);
    const pid = Number(readFileSync(r.pidFile, 'utf8'));
    assert.equal(alive(pid), false, `the shell ${pid} of the step is still running`);
    // the step the second signal ended says so (not a timeout, not an exit code)
    const report = JSON.parse(readFileSync(r.json, 'utf8')) as { hosts: Array<{ steps: Array<{ status: string; cause?: string; message: string }> }> };
    const step = report.hosts[0]!.steps[0]!;
    assert.deepEqual([step.status, step.cause], ['failed', 'aborted']);
    assert.match(step.message, /^interrupted by SIGTERM: remedy ended the step's command on the host while it ran/);
  });
});
