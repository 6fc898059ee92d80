/** Turns the whole probe output into HostFacts (pure): os, kernel, live patches, packages, stale processes, verdict. */
import { splitSections } from './parse-sections.js';
import { parseOs } from './parse-os.js';
import { decideKernel, installedAfterBoot, listCorePackages, listKernels, parsePackages, parseRebootFlag } from './parse-packages.js';
import { parseProcesses } from './parse-processes.js';
import { findStaleProcesses } from './parse-stale.js';
import { ownerOf, type OwnerContext } from './parse-owners.js';
import { parseInitScripts, parsePidfiles, parseXinetd } from './parse-services.js';
import { verdictOf } from './reboot-verdict.js';
import { parseLivepatch } from './parse-livepatch.js';
import { findStaleSources, parseInterpreters } from './parse-interp.js';
import type { NeverRestartOptions } from './never-restart.js';
import type { HostFacts, ProcessInfo, ProcessOwner, StaleFile, StaleOptions, StaleProcessFact, UnknownFact } from './types.js';

export interface ParseOptions extends StaleOptions, NeverRestartOptions {
  /** Extra core package names (a reboot when installed after boot). */
  coreExtra?: string[];
}

/** Owners whose stale children are charged to one entry instead of listed one by one. */
const GROUPED: ReadonlyArray<ProcessOwner['kind']> = ['systemd-unit', 'init-script', 'container'];

function toEntry(p: ProcessInfo, owner: ProcessOwner, files: StaleFile[]): StaleProcessFact {
  return {
    pid: p.pid, command: p.comm, user: p.user, owner, files: files.map((f) => f.path), pids: [p.pid],
    uid: p.uid, exe: p.exe, startTime: p.startTime, cgroup: p.cgroup, staleFiles: files,
  };
}

/** Groups stale processes by owner for services; xinetd, session and user processes stay one by one. */
export function chargeToOwners(items: Array<{ process: ProcessInfo; owner: ProcessOwner; files: StaleFile[] }>): StaleProcessFact[] {
  const out: StaleProcessFact[] = [];
  const groups = new Map<string, StaleProcessFact>();
  const sorted = [...items].sort((a, b) => (a.process.startTime ?? 0) - (b.process.startTime ?? 0) || a.process.pid - b.process.pid);
  for (const { process, owner, files } of sorted) {
    if (!GROUPED.includes(owner.kind) || process.pid === 1) { out.push(toEntry(process, owner, files)); continue; }
    const key = `${owner.kind}\0${owner.name}`;
    const group = groups.get(key);
    if (!group) {
      const entry = toEntry(process, owner, files);
      groups.set(key, entry);
      out.push(entry);
      continue;
    }
    group.pids.push(process.pid);
    for (const f of files) {
      if (!group.files.includes(f.path)) { group.files.push(f.path); group.staleFiles.push(f); }
    }
  }
  return out;
}

/** Parses one probe output. Never throws on odd output: what it cannot read becomes `unknown`. */
export function parseProbeOutput(output: string, opts: ParseOptions = {}): HostFacts {
  const sections = splitSections(output);
  const unknown: UnknownFact[] = [];
  if (!sections.has('end')) unknown.push({ what: 'probe', reason: 'the probe output is incomplete (no @@end section)' });
  const os = parseOs(sections, unknown);
  const host = sections.get('host') ?? [];
  const running = host.find((l) => l.startsWith('uname_r '))?.slice(8) ?? '';
  const build = host.find((l) => l.startsWith('uname_v '))?.slice(8) ?? '';
  const packages = parsePackages(sections);
  const kernel = { ...decideKernel(running, build, listKernels(packages)), livepatch: parseLivepatch(sections.get('livepatch') ?? []) };
  const corePackages = listCorePackages(packages, os.family, opts.coreExtra);
  const coreAfterBoot = installedAfterBoot(corePackages, os.bootTime);
  const rebootFlag = parseRebootFlag(sections.get('reboot-required') ?? []);
  const table = parseProcesses(sections, os);
  unknown.push(...table.unknown);
  const initScripts = parseInitScripts(sections.get('init-scripts') ?? []);
  const xinetd = parseXinetd(sections.get('xinetd') ?? []);
  const ctx: OwnerContext = {
    byPid: new Map(table.processes.map((p) => [p.pid, p])),
    initScripts, xinetd, init: os.init,
    pidfiles: parsePidfiles(sections.get('pidfiles') ?? []),
    selfPidNs: table.selfPidNs,
  };
  const sources = findStaleSources(parseInterpreters(sections.get('interp') ?? []), ctx.byPid, unknown);
  const found = findStaleProcesses(table, opts, sources).map(({ process, files }) => ({ process, files, owner: ownerOf(process, ctx) }));
  const pid1Stale = found.some((f) => f.process.pid === 1);
  const stale = chargeToOwners(found);
  const verdict = verdictOf({ kernel, coreAfterBoot, rebootFlag, pid1Stale, stale, os }, opts);
  return {
    os, kernel, corePackages, coreAfterBoot, rebootFlag, stale, pid1Stale,
    rebootRequired: verdict.rebootRequired, rebootReasons: verdict.reasons,
    unknown, processCount: table.processes.length, xinetd, initScripts,
  };
}
