/** The process table: every process with its exe, cgroup, mount namespace and mapped files. */
import type { Sections } from './parse-sections.js';
import type { FileStat, Mapping, OsFacts, ProcessInfo, ProcessTable, UnknownFact } from './types.js';

/** uid → user name from "name:uid" lines. */
export function parsePasswd(lines: string[]): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of lines) {
    const [name, uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid) && !users.has(Number(uid))) users.set(Number(uid), name);
  }
  return users;
}

interface Links { exe: Map<number, string>; mnt: Map<number, string>; pidns: Map<number, string>; errors: Map<number, string> }

/** Parses `ls -ld /proc/N/exe /proc/N/ns/mnt` output, errors included. */
export function parseLinks(lines: string[]): Links {
  const links: Links = { exe: new Map(), mnt: new Map(), pidns: new Map(), errors: new Map() };
  for (const line of lines) {
    const ok = / \/proc\/(\d+)\/(exe|ns\/mnt|ns\/pid) -> (.*)$/.exec(line);
    if (ok) {
      (ok[2] === 'exe' ? links.exe : ok[2] === 'ns/mnt' ? links.mnt : links.pidns).set(Number(ok[1]), ok[3]!);
      continue;
    }
    const err = /\/proc\/(\d+)\/exe'?: (.+)$/.exec(line);
    if (err) links.errors.set(Number(err[1]), err[2]!);
  }
  return links;
}

/** Decodes the hex "major:minor" of /proc/PID/maps into glibc's st_dev number. */
export function devFromMaps(dev: string): number | null {
  const m = /^([0-9a-f]+):([0-9a-f]+)$/i.exec(dev);
  if (!m) return null;
  const major = BigInt(`0x${m[1]}`);
  const minor = BigInt(`0x${m[2]}`);
  const n = ((major & 0xfffn) << 8n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n) | ((major & ~0xfffn) << 32n);
  return Number(n);
}

/** The major number of a decimal st_dev (0 for anonymous devices: overlayfs, tmpfs, btrfs subvolumes). */
export function majorOf(dev: number): number {
  const d = BigInt(dev);
  return Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
}

const DELETED = ' (deleted)';

/** Parses the links, passwd and procs sections into the process table. */
export function parseProcesses(sections: Sections, os: OsFacts): ProcessTable {
  const unknown: UnknownFact[] = [];
  const users = parsePasswd(sections.get('passwd') ?? []);
  const links = parseLinks(sections.get('links') ?? []);
  const host = sections.get('host') ?? [];
  const selfLine = host.find((l) => l.startsWith('self '));
  const selfPid = selfLine ? Number(selfLine.slice(5)) : null;
  const interned = new Map<string, Mapping>();
  const files = new Map<string, FileStat>();
  const byPid = new Map<number, ProcessInfo>();
  const unreadable = new Set<number>();
  for (const line of sections.get('procs') ?? []) {
    const f = line.split('\t');
    switch (f[0]) {
      case 'P': {
        const pid = Number(f[1]);
        const uid = /^\d+$/.test(f[6] ?? '') ? Number(f[6]) : null;
        const ticks = Number(f[5]);
        const exe = links.exe.get(pid) ?? null;
        byPid.set(pid, {
          pid, ppid: Number(f[2]), sid: Number(f[3]), tty: Number(f[4]), uid,
          user: uid === null ? '?' : users.get(uid) ?? String(uid),
          comm: f.slice(7).join('\t'),
          exe,
          startTime: os.kernelBootTime === null || !Number.isFinite(ticks) ? null : Math.floor(os.kernelBootTime + ticks / os.clockTicks),
          cgroup: null,
          mountNs: links.mnt.get(pid) ?? null,
          pidNs: null,
          mappings: [],
          mapsReadable: true,
        });
        break;
      }
      case 'C': { const p = byPid.get(Number(f[1])); if (p) p.cgroup = f.slice(2).join('\t'); break; }
      case 'F': {
        const raw = f.slice(4).join('\t');
        const deleted = raw.endsWith(DELETED);
        interned.set(f[1]!, { path: deleted ? raw.slice(0, -DELETED.length) : raw, dev: f[2]!, inode: Number(f[3]), deleted });
        break;
      }
      case 'M': {
        const p = byPid.get(Number(f[1]));
        if (!p) break;
        for (const id of (f[2] ?? '').split(' ')) { const m = interned.get(id); if (m) p.mappings.push(m); }
        break;
      }
      case 'X': unreadable.add(Number(f[1])); break;
      case 'S': files.set(f.slice(3).join('\t'), { dev: Number(f[1]), inode: Number(f[2]) }); break;
      case 'I': files.set(f.slice(3).join('\t'), { dev: null, inode: Number(f[2]) }); break;
      default: break;
    }
  }
  // Leave out the probe itself and everything it started.
  const probe = new Set<number>();
  if (selfPid !== null) {
    probe.add(selfPid);
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of byPid.values()) if (!probe.has(p.pid) && probe.has(p.ppid)) { probe.add(p.pid); grew = true; }
    }
  }
  // Processes in other PID namespaces are kept: the owners' rules charge them to their container.
  const selfPidNs = selfPid !== null ? links.pidns.get(selfPid) ?? null : null;
  for (const p of byPid.values()) p.pidNs = links.pidns.get(p.pid) ?? null;
  const processes = [...byPid.values()].filter((p) => !probe.has(p.pid));
  for (const p of processes) {
    if (unreadable.has(p.pid)) {
      p.mapsReadable = false;
      unknown.push({ what: 'maps', pid: p.pid, command: p.comm, reason: os.uid !== 0 ? `/proc/${p.pid}/maps is not readable without root (probe ran as uid ${os.uid})` : `/proc/${p.pid}/maps is not readable (${p.comm}, uid ${p.uid ?? '?'}; a sandbox or LSM denies it)` });
    }
    const exeError = links.errors.get(p.pid);
    if (p.exe === null && exeError && !/No such file/.test(exeError)) {
      unknown.push({ what: 'exe', pid: p.pid, command: p.comm, reason: `/proc/${p.pid}/exe: ${exeError}` });
    }
  }
  if (host.length && !host.includes('have awk')) unknown.push({ what: 'processes', reason: 'awk is missing on the host: processes and their mapped files were not read' });
  else if (host.length && !host.includes('have ls')) unknown.push({ what: 'exe', reason: 'ls is missing on the host: executables were read from the mappings only' });
  if (host.includes('have awk') && !host.includes('have stat') && processes.length) {
    unknown.push({ what: 'stat', reason: 'stat is missing: files replaced at the same path are compared by inode only (ls -i)' });
  }
  const selfMountNs = selfPid !== null ? links.mnt.get(selfPid) ?? null : null;
  return { processes, files, selfPid, selfMountNs, selfPidNs, unknown };
}
