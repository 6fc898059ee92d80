import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/model/results.js';
import { renderReport } from '../../src/report/render.js';
import { parseJunit, parseMarkdown, promtoolCheck, xmllint } from '../report/consumers.js';
import { remedy, repoRoot, scratch } from './run-cli.js';

const INVENTORY = 'all:\n  hosts:\n    alpha: { ansible_connection: local }\n    beta: { ansible_connection: local }\n'
  + "    gamma: { ansible_host: 127.0.0.1, ansible_port: 1, remedy_host_key_checking: 'no' }\n";
const PLAYBOOK = '- name: window\n  hosts: all\n  tasks:\n    - name: only alpha passes\n      shell: "test {{ inventory_hostname }} = alpha"\n';

describe('remedy run --junit/--markdown/--html/--metrics and GITHUB_STEP_SUMMARY', function () {
  this.timeout(60_000);

  it('writes every format from the same run, as `remedy report` would render the JSON; appends the step summary', async () => {
    const dir = scratch({ 'p.yml': PLAYBOOK, 'i.yml': INVENTORY, 'summary.md': '# earlier step\n\n' });
    const out = (f: string): string => join(dir, f);
    const res = await remedy(['run', out('p.yml'), '-i', out('i.yml'), '--json', out('r.json'), '--junit', out('r.xml'),
      '--markdown', out('r.md'), '--html', out('r.html'), '--metrics', out('r.prom')], { env: { GITHUB_STEP_SUMMARY: out('summary.md') } });
    assert.equal(res.code, 4, res.stdout + res.stderr);
    const report = JSON.parse(readFileSync(out('r.json'), 'utf8')) as RunReport;
    for (const [file, format] of [['r.xml', 'junit'], ['r.md', 'markdown'], ['r.html', 'html'], ['r.prom', 'metrics']] as const) {
      assert.equal(readFileSync(out(file), 'utf8'), renderReport(report, format), `${file} is the ${format} rendering of the JSON report`);
    }
    await xmllint([out('r.xml')]);
    const suite = (await parseJunit([out('r.xml')]))[0]![0]!;
    assert.deepEqual(suite.cases.map((c) => [c.name, c.results.map((r) => r.tag).join()]), [['alpha', ''], ['beta', 'failure'], ['gamma', 'error']]);
    await promtoolCheck(readFileSync(out('r.prom'), 'utf8'));
    const summary = readFileSync(out('summary.md'), 'utf8');
    assert.ok(summary.startsWith('# earlier step\n\n## remedy: p.yml: 1 failed, 1 unreachable\n'), summary.slice(0, 200));
    assert.deepEqual(parseMarkdown(summary).headings, ['earlier step', 'remedy: p.yml: 1 failed, 1 unreachable', 'Needs attention (2)', 'Hosts']);
    assert.deepEqual(readdirSync(dir).sort(), ['i.yml', 'p.yml', 'r.html', 'r.json', 'r.md', 'r.prom', 'r.xml', 'summary.md'], 'no temporary file left');
  });

  it('a report to - owns stdout (progress and table go to stderr); --json through a link to /dev/null leaves /dev/null a device', async () => {
    const dir = scratch({ 'p.yml': PLAYBOOK, 'i.yml': 'all:\n  hosts:\n    alpha: { ansible_connection: local }\n' });
    symlinkSync('/dev/null', join(dir, 'null.json'));
    const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '--metrics', '-', '--json', join(dir, 'null.json')]);
    assert.equal(res.code, 0, res.stderr);
    await promtoolCheck(res.stdout);
    assert.match(res.stderr, /TOTAL 1 host/);
    assert.ok(lstatSync(join(dir, 'null.json')).isSymbolicLink());
    assert.ok(lstatSync('/dev/null').isCharacterDevice());
  });

  it('an output that cannot be written is a usage error before any host is touched', async () => {
    const dir = scratch({ 'p.yml': '- hosts: all\n  tasks:\n    - shell: "touch {{ marker }}"\n', 'i.yml': INVENTORY });
    const marker = join(dir, 'ran');
    const cases: Array<[string[], RegExp]> = [
      [['--html', join(dir, 'missing', 'r.html')], /^remedy: --html .*r\.html: the directory .*missing does not exist$/m],
      [['--junit', dir], /^remedy: --junit .*: is a directory, expected a file$/m],
      [['--junit', '-', '--markdown', '-'], /^remedy: --junit and --markdown: only one report can be written to stdout \(-\)$/m],
    ];
    for (const [flags, expected] of cases) {
      const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '-e', `marker=${marker}`, ...flags]);
      assert.equal(res.code, 5, res.stderr);
      assert.match(res.stderr, expected);
      assert.equal(existsSync(marker), false, 'nothing ran');
    }
  });

  it('SIGINT: every report is still written, saying the run was interrupted', async () => {
    const dir = scratch({ 'p.yml': '- hosts: alpha\n  tasks:\n    - shell: "sleep 2"\n    - shell: "echo second"\n', 'i.yml': INVENTORY });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml'), '-v',
      '--junit', join(dir, 'r.xml'), '--markdown', join(dir, 'r.md'), '--html', join(dir, 'r.html'), '--metrics', join(dir, 'r.prom')],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 's.md') } });
    let out = '';
    let sent = false;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!sent && out.includes('start: shell: sleep 2')) { sent = true; child.kill('SIGINT'); }
    });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 130, out);
    assert.match(out, /^::group::PLAY \[alpha\]: 1 host$/m);
    assert.match(readFileSync(join(dir, 'r.xml'), 'utf8'), /<property name="interrupted" value="true"\/>/);
    assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /\*\*interrupted\*\*: results are partial/);
    assert.match(readFileSync(join(dir, 's.md'), 'utf8'), /\*\*interrupted\*\*: results are partial/);
    assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /interrupted: results are partial/);
    assert.match(readFileSync(join(dir, 'r.prom'), 'utf8'), /^remedy_last_run_interrupted\{playbooks="p\.yml"\} 1$/m);
  });

  it('a step summary that cannot be appended is a warning, not a failure', async () => {
    const dir = scratch({ 'p.yml': '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n', 'i.yml': 'all:\n  hosts:\n    alpha: { ansible_connection: local }\n' });
    writeFileSync(join(dir, 'x'), '');
    const res = await remedy(['run', join(dir, 'p.yml'), '-i', join(dir, 'i.yml')], { env: { GITHUB_STEP_SUMMARY: join(dir, 'x', 'nested.md') } });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /^remedy: warning: GITHUB_STEP_SUMMARY .*nested\.md: cannot write: /m);
  });
});
