import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtEntry, remedy, repoRoot, scratch } from './run-cli.js';

/** The README's first command runs the built CLI (npx remedy → package.json's bin, the bundle): it must find its schemas and playbooks. */
describe('the built command (package.json bin)', function () {
  this.timeout(60_000);

  before(function () {
    assert.equal(builtEntry, 'dist/bundle/main.js');
    assert.ok(existsSync(join(repoRoot, builtEntry)), `${builtEntry} is missing: npm test builds it first (npm run build)`);
  });

  it('remedy check on the embedded localhost inventory: read-only, a table, a JSON report', async () => {
    const json = join(scratch({}), 'check.json');
    const res = await remedy(['check', '--json', json], { built: true });
    assert.equal(res.code, 0, `${res.stdout}${res.stderr}`);
    assert.match(res.stdout, /localhost/);
    assert.match(res.stdout, /REBOOT/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { check: boolean; hosts: Array<{ name: string; steps: Array<{ status: string }> }> };
    assert.equal(report.hosts[0]?.name, 'localhost');
    assert.deepEqual(report.hosts[0]?.steps.map((s) => s.status), ['ok']);
  });

  it('--version and --help work and exit 0', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const v = await remedy(['--version'], { built: true });
    assert.deepEqual([v.code, v.stdout.trim()], [0, pkg.version]);
    const h = await remedy(['--help'], { built: true });
    assert.equal(h.code, 0);
    assert.match(h.stdout, /run \[options\] <playbook\.\.\.>/);
  });
});
