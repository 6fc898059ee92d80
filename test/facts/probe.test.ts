import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { buildProbeScript, PROBE_SCRIPT } from '../../src/facts/probe.sh.js';

describe('facts/probe.sh', () => {
  it('is valid POSIX sh (dash -n)', () => {
    const r = spawnSync('dash', ['-n'], { input: buildProbeScript(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
  it('passes extra core packages as quoted words and drops anything that is not a package name', () => {
    const s = buildProbeScript({ coreExtra: ['openssl-libs', 'libssl3:amd64', "x'; rm -rf / #", '$(id)'] });
    const rpm = /^REMEDY_RPM_PKGS='([^']*)'$/m.exec(s)![1]!.split(' ');
    const dpkg = /^REMEDY_DPKG_PKGS='([^']*)'$/m.exec(s)![1]!.split(' ');
    assert.ok(rpm.includes('openssl-libs') && rpm.includes('glibc') && rpm.includes('kernel-core'));
    assert.ok(dpkg.includes('libssl3:amd64') && dpkg.includes('libc6'));
    assert.ok(![...rpm, ...dpkg].some((n) => /[';$ /#()]/.test(n)));
    assert.equal(rpm.length, new Set(rpm).size);
    assert.ok(s.endsWith(PROBE_SCRIPT));
  });
  it('prints every section in one run, ending with @@end', () => {
    const r = spawnSync('sh', ['-c', buildProbeScript()], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0);
    const sections = r.stdout.split('\n').filter((l) => l.startsWith('@@')).map((l) => l.slice(2));
    for (const s of ['host', 'os-release', 'rpm', 'boot', 'reboot-required', 'init-scripts', 'pidfiles', 'xinetd', 'passwd', 'links', 'procs', 'end']) {
      assert.ok(sections.includes(s), `missing @@${s}`);
    }
  });
});
