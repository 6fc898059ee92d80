import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { buildProbeScript, PROBE_SCRIPT } from '../../src/facts/probe.sh.js';

/** The lines of each section of the probe's output. */
function sectionsOf(stdout: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let cur: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@@')) map.set(line.slice(2), (cur = []));
    else if (line) cur.push(line);
  }
  return map;
}

/** Runs the probe's dpkg sections with `dpkg-query` replaced by a function that prints `recorded`. */
function runDpkgSections(recorded: string): Map<string, string[]> {
  const script = buildProbeScript();
  const body = script.slice(script.indexOf('\nsec dpkg\n'), script.indexOf('\nsec boot\n'));
  const fake = body.replace(/dpkg-query -W -f='[^']*' \\\n/, 'recorded_dpkg_query ');
  assert.notEqual(fake, body);
  const prelude = `have() { command -v "$1" >/dev/null 2>&1; }\nsec() { printf '@@%s\\n' "$1"; }\nREMEDY_DPKG_PKGS='libc6 systemd'\n`;
  const r = spawnSync('dash', ['-c', `${prelude}recorded_dpkg_query() { printf '%s' '${recorded}'; }\n${fake.replace(/have dpkg-query/g, 'true')}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return sectionsOf(r.stdout);
}

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
  it('asks rpm only when the host has an rpm database (Debian\'s rpm package leaves /var/lib/rpm empty)', function () {
    const dbs = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'].flatMap((d) => (existsSync(d) ? readdirSync(d) : []));
    if (!existsSync('/var/lib/dpkg/status') || dbs.some((n) => /^(rpmdb\.sqlite|Packages(\.db)?)$/.test(n))) this.skip();
    const r = spawnSync('sh', ['-c', buildProbeScript()], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const sections = sectionsOf(r.stdout);
    assert.ok(!sections.get('host')!.includes('have rpmdb'));
    assert.deepEqual(sections.get('rpm'), []);
    assert.ok(sections.get('dpkg')!.some((l) => l.startsWith('libc6\t')));
  });
  it('stats the .list files (one stat) only when dpkg-query gave an installed package no install time', function () {
    if (!readdirSync('/var/lib/dpkg/info').some((n) => /^libc6(:[^.]*)?\.list$/.test(n))) this.skip();
    // dpkg 1.19.3 and later print db-fsys:Last-Modified; older ones leave it empty.
    const withTimes = runDpkgSections('libc6\t2.36-9\tii \t1700000000\nsystemd\t252-1\tii \t1700000001\n');
    assert.deepEqual(withTimes.get('dpkg-lists'), []);
    assert.equal(withTimes.get('dpkg')!.length, 2);
    const notInstalled = runDpkgSections('libc6\t2.36-9\tii \t1700000000\ndbus-broker\t\tun \t\n');
    assert.deepEqual(notInstalled.get('dpkg-lists'), []);
    const older = runDpkgSections('libc6\t2.36-9\tii \t\nsystemd\t252-1\tii \t1700000001\n');
    const lists = older.get('dpkg-lists')!;
    assert.ok(lists.some((l) => /^\d+ \/var\/lib\/dpkg\/info\/libc6(:[^.]*)?\.list$/.test(l)), lists.join('\n'));
  });
});
