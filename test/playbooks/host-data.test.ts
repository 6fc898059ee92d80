/**
 * What a host prints is data, never a template: processes named `{{ groups }}` and `{% raw %}` that
 * still run old code are reported by name, literally, by `remedy check` and by applications.yml (whose
 * tasks read the facts through templates). The names are confirmed on the host with ps.
 */
import { strict as assert } from 'node:assert';
import { startLab, type Lab, type LabHost, suiteLabName } from '../lab/index.js';
import { requireLab } from '../lab/require-lab.js';
import { LAB_USER, USER_APP } from '../lab/layer.js';
import { startUserApplication } from '../lab/scenarios.js';
import { shellQuote } from '../../src/model/shell-quote.js';
import { onHost, runPlaybook } from './category-helpers.js';

const NAMES = ['{{ groups }}', '{% raw %}'];

describe('playbooks on the lab: host data is never rendered as a template', function () {
  this.timeout(180_000);
  let lab: Lab | undefined;
  let h: LabHost;
  const pids = new Map<string, number>();

  before(async function () {
    this.timeout(150_000);
    requireLab(this);
    lab = await startLab({ name: suiteLabName('host-data'), count: 1, flavor: 'systemd' });
    h = lab.hosts[0]!;
    // Copies of the lab application under template-like names, started by the lab user before its
    // library is upgraded (startUserApplication upgrades it): both stay on the old library.
    for (const name of NAMES) {
      const file = `/var/tmp/${name}`;
      const pid = Number(await onHost(lab, h, [
        `cp ${USER_APP} ${shellQuote(file)} && chmod 755 ${shellQuote(file)}`,
        `nohup setpriv --reuid=1500 --regid=1500 --clear-groups ${shellQuote(file)} </dev/null >/dev/null 2>&1 & echo $!`,
      ].join('\n')));
      await onHost(lab, h, `for i in $(seq 50); do grep -q libremedy-app /proc/${pid}/maps && exit 0; sleep 0.1; done; exit 1`);
      pids.set(name, pid);
    }
    await startUserApplication(lab, h);
  });
  after(async () => { await lab?.down(); });

  it('ps on the host names the processes literally', async () => {
    for (const [name, pid] of pids) assert.equal(await onHost(lab!, h, `ps -o comm= -p ${pid}`), name);
  });

  it('remedy check reports them by name, literally, in the table details and the JSON report', async () => {
    const r = await runPlaybook(lab!, 'check');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const stale = r.host(h.name).stale;
    for (const [name, pid] of pids) {
      const entry = stale.find((s) => s.pid === pid);
      assert.ok(entry, `pid ${pid} (${name}) not in ${JSON.stringify(stale)}`);
      assert.equal(entry.command, name);
      assert.equal(entry.user, LAB_USER);
      assert.ok(r.stdout.includes(name), `${name} not in:\n${r.stdout}`);
    }
  });

  it('applications.yml reads the facts through templates and still lists them literally', async () => {
    const r = await runPlaybook(lab!, 'applications.yml');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const [name, pid] of pids) {
      assert.ok(r.stdout.includes(`${LAB_USER}: ${name} (pid ${pid})`), `"${LAB_USER}: ${name} (pid ${pid})" not in:\n${r.stdout}`);
    }
    assert.doesNotMatch(r.stdout, /"all":\s*\[/, 'the groups variable was rendered into the output');
  });
});
