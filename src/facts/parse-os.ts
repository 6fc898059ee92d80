/** os facts: id, family, init system, boot_id and boot time (from PID 1's start). */
import { parseKeyValues, type Sections } from './parse-sections.js';
import type { InitSystem, OsFacts, OsFamily, UnknownFact } from './types.js';

/** Parses os-release's KEY="value" lines. */
export function parseOsRelease(lines: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!;
    if (/^(["']).*\1$/.test(v)) v = v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    map.set(m[1]!, v);
  }
  return map;
}

function familyOf(release: Map<string, string>, host: Map<string, string>): OsFamily {
  const ids = `${release.get('ID') ?? ''} ${release.get('ID_LIKE') ?? ''}`.toLowerCase().split(/\s+/);
  if (ids.some((i) => ['rhel', 'fedora', 'centos', 'suse', 'opensuse', 'sles', 'amzn', 'mageia', 'ol', 'rocky', 'almalinux'].includes(i))) return 'rpm';
  if (ids.some((i) => ['debian', 'ubuntu', 'devuan', 'raspbian', 'linuxmint'].includes(i))) return 'dpkg';
  if (host.has('have dpkg')) return 'dpkg';
  if (host.has('have rpm')) return 'rpm';
  return 'unknown';
}

function initOf(host: Map<string, string>): InitSystem {
  const comm = host.get('pid1_comm');
  if (host.get('systemd_running') === '1' || comm === 'systemd') return 'systemd';
  if (comm === undefined) return 'unknown';
  return 'sysv';
}

const num = (s: string | undefined): number | null => {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s.trim());
  return Number.isFinite(n) ? n : null;
};

/** The start time (clock ticks since boot) of a pid, from the procs section's P lines. */
export function startTicksOf(sections: Sections, pid: number): number | null {
  const prefix = `P\t${pid}\t`;
  const line = (sections.get('procs') ?? []).find((l) => l.startsWith(prefix));
  if (!line) return null;
  return num(line.split('\t')[5]);
}

/**
 * The kernel's boot time to the sub-second: /proc/stat btime is truncated to the second, so btime plus
 * PID 1's start can be up to a second early, and a package installed in the second before PID 1 started
 * would look installed after boot. The probe's precise clock (date +%s.%N, read just before /proc/uptime)
 * minus the uptime places the boot inside btime's second; anything else (no %N, a time namespace) keeps btime.
 */
function preciseKernelBoot(btime: number, host: Map<string, string>): number {
  const now = num(host.get('now_precise'));
  const uptime = num(host.get('uptime'));
  if (now === null || uptime === null) return btime;
  const estimate = now - uptime;
  // The clock is read before the uptime: the estimate can fall a few ms before btime.
  if (estimate < btime - 0.1 || estimate >= btime + 1.1) return btime;
  return Math.min(Math.max(estimate, btime), btime + 0.999);
}

/** Builds the os facts; what cannot be determined goes to `unknown`. */
export function parseOs(sections: Sections, unknown: UnknownFact[] = []): OsFacts {
  const host = parseKeyValues(sections.get('host') ?? []);
  const release = parseOsRelease(sections.get('os-release') ?? []);
  const clockTicks = num(host.get('clk_tck')) ?? 100;
  const now = num(host.get('now'));
  let kernelBootTime = num(host.get('btime'));
  const uptime = num(host.get('uptime'));
  if (kernelBootTime === null && now !== null && uptime !== null) kernelBootTime = Math.round(now - uptime);
  const pid1 = startTicksOf(sections, 1);
  let bootTime: number | null = null;
  if (kernelBootTime === null) unknown.push({ what: 'boot-time', reason: 'neither /proc/stat btime nor /proc/uptime was readable' });
  else if (pid1 === null) unknown.push({ what: 'boot-time', reason: 'PID 1 was not readable; using the kernel boot time' });
  if (kernelBootTime !== null) bootTime = pid1 === null ? kernelBootTime : Math.floor(preciseKernelBoot(kernelBootTime, host) + pid1 / clockTicks);
  if (!release.size) unknown.push({ what: 'os-release', reason: 'neither /etc/os-release nor /usr/lib/os-release was readable' });
  const bootId = host.get('boot_id') ?? null;
  if (bootId === null) unknown.push({ what: 'boot_id', reason: '/proc/sys/kernel/random/boot_id was not readable' });
  return {
    id: release.get('ID') ?? 'unknown',
    versionId: release.get('VERSION_ID') ?? '',
    prettyName: release.get('PRETTY_NAME') ?? release.get('NAME') ?? '',
    family: familyOf(release, host),
    init: initOf(host),
    bootId,
    bootTime,
    now,
    uid: num(host.get('uid')),
    clockTicks,
    kernelBootTime,
  };
}
