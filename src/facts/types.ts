/** Typed facts about one host, parsed from the probe's output (see probe.sh.ts). */
import type { ProcessOwner, RebootReason, StaleProcess } from '../model/results.js';

export type { ProcessOwner, RebootReason, StaleProcess };

/** Something the probe could not read, reported instead of silently dropped. */
export interface UnknownFact {
  /** What could not be read, e.g. "maps", "exe", "kernel", "boot-time". */
  what: string;
  reason: string;
  pid?: number;
  command?: string;
}

export type OsFamily = 'rpm' | 'dpkg' | 'unknown';
export type InitSystem = 'systemd' | 'sysv' | 'unknown';

export interface OsFacts {
  id: string;
  versionId: string;
  prettyName: string;
  family: OsFamily;
  init: InitSystem;
  bootId: string | null;
  /** Epoch seconds of PID 1's start (correct inside containers); null when unknown. */
  bootTime: number | null;
  /** Epoch seconds on the host when the probe ran. */
  now: number | null;
  /** The uid the probe ran as (non-root cannot read other users' processes). */
  uid: number | null;
  /** Clock ticks per second used for /proc start times. */
  clockTicks: number;
  /** Epoch seconds of the kernel's boot (/proc/stat btime; the host's, inside a container). */
  kernelBootTime: number | null;
}

export interface InstalledPackage {
  name: string;
  /** rpm: "epoch:version-release"; dpkg: the Version field. */
  version: string;
  arch?: string;
  /** Epoch seconds; null when unknown. */
  installTime: number | null;
  source: 'rpm' | 'dpkg';
}

export interface InstalledKernel {
  /** The release as `uname -r` prints it. */
  release: string;
  /** Package version when known (rpm EVR or dpkg Version). */
  version?: string;
  packageName?: string;
  installTime: number | null;
  source: 'rpm' | 'dpkg' | 'boot';
}

/** One live patch in the running kernel. */
export interface LivePatch {
  /** The patch module's name (the directory under /sys/kernel/livepatch or /sys/kernel/kpatch/patches). */
  name: string;
  source: 'livepatch' | 'kpatch';
  enabled: boolean;
  /** True while the kernel is still moving tasks to the patched code. */
  transition: boolean;
}

export interface LivepatchFacts {
  patches: LivePatch[];
  /** At least one patch is enabled and its transition is complete: a pending kernel can wait. */
  covers: boolean;
  /** `canonical-livepatch status` lines (kernel, patch state, patch version) where the tool is installed. */
  canonicalStatus?: string[];
  detail: string;
}

export interface KernelFacts {
  /** `uname -r`. */
  running: string;
  /** `uname -v` (Debian puts the package version there). */
  build: string;
  installed: InstalledKernel[];
  newest: InstalledKernel | null;
  /** True when the newest installed kernel is not the running one (or the running one was replaced). */
  pending: boolean;
  /** Why pending (or why it could not be decided). */
  detail: string;
  /** Live patches in the running kernel (a pending kernel is then reported as kernel-livepatched). */
  livepatch: LivepatchFacts;
}

export interface RebootFlag {
  present: boolean;
  file?: string;
  packages: string[];
}

export interface Mapping {
  path: string;
  /** major:minor in hex, as /proc/PID/maps prints it. */
  dev: string;
  inode: number;
  deleted: boolean;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  sid: number;
  tty: number;
  uid: number | null;
  user: string;
  comm: string;
  /** Target of /proc/PID/exe, with " (deleted)" when the binary was removed. */
  exe: string | null;
  /** Epoch seconds; null when the boot time is unknown. */
  startTime: number | null;
  /** systemd cgroup path, e.g. /system.slice/sshd.service. */
  cgroup: string | null;
  mountNs: string | null;
  /** The PID namespace (pid:[4026531836]); another than the probe's means a container. */
  pidNs: string | null;
  mappings: Mapping[];
  mapsReadable: boolean;
}

/** The file now at a mapped path (decimal st_dev; null when only the inode is known). */
export interface FileStat { dev: number | null; inode: number }

/**
 * deleted: the file was removed (or renamed over) under the process; replaced: another file is now at
 * its path; changed: an interpreted program's source file changed after the process started (ctime).
 */
export type StaleReason = 'deleted' | 'replaced' | 'changed';

export interface StaleFile { path: string; reason: StaleReason }

export interface XinetdService {
  /** The service name (the id when one is given, else the service name). */
  name: string;
  service: string;
  server?: string;
  disabled: boolean;
  file: string;
}

export interface InitScript {
  name: string;
  path: string;
  pidfiles: string[];
  /** Executables it starts (DAEMON=, exec=, --exec). */
  executables: string[];
}

/** One stale owner's entry: a StaleProcess plus what remedy knows about it. */
export interface StaleProcessFact extends StaleProcess {
  /** Every stale pid charged to this entry (a service's children are charged to it). */
  pids: number[];
  uid: number | null;
  exe: string | null;
  startTime: number | null;
  cgroup: string | null;
  staleFiles: StaleFile[];
}

export interface ProcessTable {
  processes: ProcessInfo[];
  files: Map<string, FileStat>;
  selfPid: number | null;
  selfMountNs: string | null;
  selfPidNs: string | null;
  unknown: UnknownFact[];
}

export interface StaleOptions {
  /** Path prefixes (or globs when they contain * ? [) to ignore; replaces the defaults. */
  ignore?: string[];
  /** Only files matching this glob count (e.g. the guide's `/usr/lib/libwrap.so*`). */
  libraryGlob?: string;
}

export interface HostFacts {
  os: OsFacts;
  kernel: KernelFacts;
  /** Core packages (kernel, glibc, systemd, dbus, firmware, microcode…) with install times. */
  corePackages: InstalledPackage[];
  /** Those installed after boot. */
  coreAfterBoot: InstalledPackage[];
  rebootFlag: RebootFlag;
  stale: StaleProcessFact[];
  /** True when PID 1 itself maps replaced files (systemctl daemon-reexec, not a reboot). */
  pid1Stale: boolean;
  rebootRequired: boolean;
  rebootReasons: RebootReason[];
  unknown: UnknownFact[];
  /** How many processes the probe looked at. */
  processCount: number;
  xinetd: XinetdService[];
  initScripts: InitScript[];
}
