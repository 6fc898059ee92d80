/**
 * The example playbooks of the README's "Writing playbooks" (playbooks/examples/): they validate
 * with no warning (the shipped playbooks too), preflight.yml runs on this machine as ansible-playbook runs it (the same tasks
 * with the same status), and restart-listed.yml rescues a service that cannot be restarted.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateFile } from '../../src/cli/validate-file.js';
import { remedy, repoRoot } from '../cli/run-cli.js';

const examples = join(repoRoot, 'playbooks/examples');

interface Report { hosts: Array<{ name: string; status: string; steps: Array<{ task: string; status: string; rescued?: boolean }> }> }

function ansibleStatuses(playbook: string, dir: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('ansible-playbook', ['-i', 'localhost,', '-c', 'local', '-e', 'ansible_python_interpreter=/usr/bin/python3', playbook], {
      cwd: dir, encoding: 'utf8',
      env: {
        ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_CALLBACK_PLUGINS: join(repoRoot, 'test/engine/ansible-callback'),
        ANSIBLE_STDOUT_CALLBACK: 'remedy_events', ANSIBLE_LOCAL_TEMP: dir, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0',
      },
    }, (_err, stdout) => resolve(stdout.split('\n').filter((l) => l.startsWith('{"event": "task"')).map((l) => {
      const e = JSON.parse(l) as { kind: string; task: string; result: { changed?: boolean } };
      return `${e.task}:${e.kind === 'ok' && e.result.changed ? 'changed' : e.kind}`;
    })));
  });
}

async function remedyReport(args: string[], dir: string): Promise<Report> {
  const json = join(dir, 'report.json');
  const run = await remedy(['run', ...args, '--json', json, '--no-progress']);
  assert.ok(run.code === 0 || run.code === 2, `${run.code}\n${run.stdout}${run.stderr}`);
  return JSON.parse(readFileSync(json, 'utf8')) as Report;
}

describe('playbooks/examples: the README\'s example playbooks', function () {
  this.timeout(120_000);

  const shipped = [...readdirSync(join(repoRoot, 'playbooks')).filter((n) => n.endsWith('.yml')).map((n) => join(repoRoot, 'playbooks', n)),
    join(examples, 'preflight.yml'), join(examples, 'restart-listed.yml')];
  for (const file of shipped) {
    it(`${file.slice(repoRoot.length)} validates, with no warning or note`, async () => {
      assert.deepEqual(await validateFile(file), { kind: 'playbook', problems: [], warnings: [], notes: [] });
    });
  }

  it("the README's example is preflight.yml as shipped (its comments aside), so what it shows validates and runs", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const shown = /<!-- example: playbooks\/examples\/preflight\.yml -->\n```yaml\n([^]*?)\n```/.exec(readme)?.[1];
    const file = readFileSync(join(examples, 'preflight.yml'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n').trim();
    assert.equal(shown, file);
  });

  it('preflight.yml: loops, an include in a loop and a rescued block run as in ansible-playbook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'remedy-examples-'));
    writeFileSync(join(dir, 'ansible.cfg'), '');
    const [theirs, report] = await Promise.all([
      ansibleStatuses(join(examples, 'preflight.yml'), dir),
      remedyReport([join(examples, 'preflight.yml')], dir),
    ]);
    const ours = report.hosts[0]!.steps.map((s) => `${s.task}:${s.status}`);
    assert.deepEqual(ours, theirs);
    assert.ok(ours.includes('Measure the free space:ok') && ours.includes('Pre-flight done:ok'), ours.join('\n'));
    assert.equal(report.hosts[0]!.status, 'ok');
  });

  it('restart-listed.yml: a service that cannot be restarted is rescued, then fails its host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'remedy-examples-'));
    const report = await remedyReport([join(examples, 'restart-listed.yml'), '--check', '-e', '{"services": ["remedy-no-such-service"]}'], dir);
    const host = report.hosts[0]!;
    assert.deepEqual(host.steps.map((s) => `${s.task}:${s.status}${s.rescued ? ' (rescued)' : ''}`), [
      'Restart and check each service:ok', 'Restart the service:failed (rescued)', 'Start it again:failed',
    ]);
    assert.equal(host.status, 'failed');
  });
});
