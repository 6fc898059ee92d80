/** Packages (rpm, dpkg) with install times, kernels installed and pending, core packages after boot. */
import { compareDpkgVersions } from './dpkg-version.js';
import { DPKG_CORE_PACKAGES, RPM_CORE_PACKAGES, RPM_KERNEL_PACKAGES } from './probe.sh.js';
import { compareRpmEvr, rpmvercmp } from './rpmvercmp.js';
import type { Sections } from './parse-sections.js';
import type { InstalledKernel, InstalledPackage, KernelFacts, OsFamily, RebootFlag } from './types.js';

export interface PackageFacts {
  rpm: InstalledPackage[];
  dpkg: InstalledPackage[];
  /** Kernel images in /boot: release and mtime. */
  boot: Array<{ release: string; mtime: number | null }>;
}

const DPKG_PRESENT = new Set(['i', 'U', 'F', 'W', 't']);

const toTime = (s: string | undefined): number | null => (s && /^\d+$/.test(s.trim()) ? Number(s.trim()) : null);

/** Parses the rpm, dpkg, dpkg-lists and boot sections. */
export function parsePackages(sections: Sections): PackageFacts {
  const rpm: InstalledPackage[] = [];
  for (const line of sections.get('rpm') ?? []) {
    const f = line.split('\t');
    if (f.length < 4 || !f[0] || !f[1]) continue;
    rpm.push({ name: f[0], version: f[1], arch: f[2], installTime: toTime(f[3]), source: 'rpm' });
  }
  const listTimes = new Map<string, number>();
  for (const line of sections.get('dpkg-lists') ?? []) {
    const m = /^(\d+) \/var\/lib\/dpkg\/info\/([^:/]+)(?::[^/]*)?\.list$/.exec(line);
    if (m) listTimes.set(m[2]!, Number(m[1]));
  }
  const dpkg: InstalledPackage[] = [];
  for (const line of sections.get('dpkg') ?? []) {
    const f = line.split('\t');
    if (f.length < 3 || !f[0] || !f[1]) continue;
    if (!DPKG_PRESENT.has(f[2]?.[1] ?? '')) continue;
    const name = f[0].replace(/:.*$/, '');
    dpkg.push({ name, version: f[1], installTime: toTime(f[3]) ?? listTimes.get(name) ?? null, source: 'dpkg' });
  }
  const boot: PackageFacts['boot'] = [];
  for (const line of sections.get('boot') ?? []) {
    const m = /^(\S+) \/boot\/(?:vmlinuz|vmlinux|kernel)-(.+)$/.exec(line);
    if (!m || !/^\d/.test(m[2]!) || /rescue/.test(m[2]!)) continue;
    boot.push({ release: m[2]!, mtime: toTime(m[1]) });
  }
  return { rpm, dpkg, boot };
}

function rpmRelease(p: InstalledPackage): string {
  const vr = p.version.replace(/^\d+:/, '');
  return p.arch && p.arch !== '(none)' ? `${vr}.${p.arch}` : vr;
}

/** Installed kernels from rpm, dpkg and /boot (one entry per release). */
export function listKernels(pk: PackageFacts): InstalledKernel[] {
  const byRelease = new Map<string, InstalledKernel>();
  const kernelNames = new Set(RPM_KERNEL_PACKAGES);
  for (const p of pk.rpm) {
    if (!kernelNames.has(p.name)) continue;
    const release = rpmRelease(p);
    if (!byRelease.has(release)) {
      byRelease.set(release, { release, version: p.version, packageName: p.name, installTime: p.installTime, source: 'rpm' });
    }
  }
  for (const p of pk.dpkg) {
    const m = /^linux-image-(?:unsigned-)?(\d.*)$/.exec(p.name);
    if (!m || /-(dbg|dbgsym)$/.test(m[1]!)) continue;
    byRelease.set(m[1]!, { release: m[1]!, version: p.version, packageName: p.name, installTime: p.installTime, source: 'dpkg' });
  }
  for (const b of pk.boot) {
    if (!byRelease.has(b.release)) byRelease.set(b.release, { release: b.release, installTime: b.mtime, source: 'boot' });
  }
  return [...byRelease.values()].sort(compareKernels);
}

/** Orders kernels oldest first: release (rpm ordering), then package version, then install time. */
export function compareKernels(a: InstalledKernel, b: InstalledKernel): number {
  const r = rpmvercmp(a.release, b.release);
  if (r !== 0) return r;
  if (a.version && b.version && a.source === b.source) {
    const v = a.source === 'dpkg' ? compareDpkgVersions(a.version, b.version) : compareRpmEvr(a.version, b.version);
    if (v !== 0) return v;
  }
  return (a.installTime ?? 0) - (b.installTime ?? 0);
}

/** The version Debian and Ubuntu print in `uname -v` ("... Debian 6.1.76-1 (2024-02-01)"). */
export function buildVersionOf(unameV: string): string | null {
  const m = /\bDebian (\S+)/.exec(unameV) ?? /#(\d+(?:~\S+)?)-Ubuntu/.exec(unameV);
  return m ? m[1]! : null;
}

const stripArch = (r: string): string => r.replace(/\.(x86_64|aarch64|i686|i586|ppc64le|ppc64|s390x|armv7hl|noarch)$/, '');

/** True when an installed release is the running one (arch suffix and '-' vs '_' aside, as rpm orders). */
export function sameKernel(release: string, running: string): boolean {
  return release === running || rpmvercmp(stripArch(release), stripArch(running)) === 0;
}

/** Decides whether a newer kernel waits for a reboot. */
export function decideKernel(running: string, build: string, installed: InstalledKernel[]): Omit<KernelFacts, 'livepatch'> {
  const newest = installed.length ? installed[installed.length - 1]! : null;
  const base = { running, build, installed, newest };
  if (!running) return { ...base, pending: false, detail: 'the running kernel is unknown (uname missing)' };
  if (!newest) return { ...base, pending: false, detail: 'no installed kernel found (rpm, dpkg or /boot): a container or a custom kernel' };
  if (!sameKernel(newest.release, running) && rpmvercmp(stripArch(newest.release), stripArch(running)) > 0) {
    return { ...base, pending: true, detail: `newest installed kernel ${newest.release} is not the running ${running}` };
  }
  const current = installed.find((k) => sameKernel(k.release, running));
  if (!current) {
    return { ...base, pending: false, detail: `running kernel ${running} is newer than every installed one` };
  }
  const built = buildVersionOf(build);
  if (current.source === 'dpkg' && current.version && built && !current.version.startsWith(built) && !build.includes(current.version)) {
    return { ...base, pending: true, detail: `${current.packageName} ${current.version} replaced the running build ${built} (same ABI)` };
  }
  return { ...base, pending: false, detail: `running the newest installed kernel ${running}` };
}

/** Core packages (dnf needs-restarting -r's list, the Debian equivalents, plus extra names). */
export function listCorePackages(pk: PackageFacts, family: OsFamily, extra: string[] = []): InstalledPackage[] {
  const source = family === 'rpm' || (family === 'unknown' && pk.rpm.length) ? pk.rpm : pk.dpkg;
  const names = new Set([...(source === pk.rpm ? RPM_CORE_PACKAGES : DPKG_CORE_PACKAGES), ...extra]);
  return source.filter((p) => names.has(p.name));
}

/** Core packages whose install time is after boot (strictly). */
export function installedAfterBoot(core: InstalledPackage[], bootTime: number | null): InstalledPackage[] {
  if (bootTime === null) return [];
  return core.filter((p) => p.installTime !== null && p.installTime > bootTime);
}

/** /run/reboot-required and its .pkgs list. */
export function parseRebootFlag(lines: string[]): RebootFlag {
  const flag = lines.find((l) => l.startsWith('flag '));
  const packages = lines.filter((l) => l.startsWith('pkg ')).map((l) => l.slice(4).trim()).filter(Boolean);
  return flag ? { present: true, file: flag.slice(5), packages: [...new Set(packages)] } : { present: false, packages: [] };
}
