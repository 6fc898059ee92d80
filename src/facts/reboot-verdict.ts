/**
 * The reboot verdict of a host and its reasons, with their evidence. The one place that decides it:
 * parseProbeOutput (gather_facts, recheck) and restart_services (with its never_restart list) call
 * verdictOf.
 *
 * rebootRequired is true when a reason needs a reboot: a newer kernel (kernel-pending), a core package
 * installed after boot, the flag file, or a never-restart service running replaced code. A newer
 * kernel while the running one carries an enabled, fully transitioned live patch is kernel-livepatched
 * instead: a note that the reboot can wait, like pid1-stale (daemon_reexec); neither makes
 * rebootRequired true. A playbook that wants the reboot anyway reads remedy_facts.kernel.pending
 * (still true) and remedy_facts.kernel.livepatch (the patches), e.g. `reboot: {force: true}` with
 * `when: remedy_facts.kernel.pending`.
 */
import { ADVISORY_REBOOT_KINDS } from '../model/results.js';
import { findHeldServices, type HeldService, type NeverRestartOptions } from './never-restart.js';
import type { HostFacts, InstalledPackage, KernelFacts, RebootFlag, RebootReason } from './types.js';

export interface VerdictInput {
  kernel: KernelFacts;
  coreAfterBoot: InstalledPackage[];
  rebootFlag: RebootFlag;
  pid1Stale: boolean;
  /** Epoch seconds of boot, for the message. */
  bootTime: number | null;
  /** Never-restart services that run replaced code (facts/never-restart.ts). */
  held?: HeldService[];
}

export interface RebootVerdict {
  rebootRequired: boolean;
  /** Every reason found, the notes that need no reboot included (kernel-livepatched, pid1-stale). */
  reasons: RebootReason[];
}

const iso = (t: number | null): string => (t === null ? 'unknown' : new Date(t * 1000).toISOString());

function kernelReason(kernel: KernelFacts): RebootReason {
  const newest = kernel.newest;
  const evidence: RebootReason['evidence'] = {
    running: kernel.running,
    ...(newest ? { newest: newest.release, installTime: iso(newest.installTime) } : {}),
    ...(newest?.packageName ? { package: newest.packageName } : {}),
    ...(newest?.version ? { version: newest.version } : {}),
  };
  const lp = kernel.livepatch;
  if (!lp.covers) return { kind: 'kernel-pending', detail: kernel.detail, evidence };
  return {
    kind: 'kernel-livepatched',
    detail: `${kernel.detail}; the running kernel carries live patches: ${lp.detail}: the reboot can wait`,
    evidence: {
      ...evidence,
      livepatches: lp.patches.filter((p) => p.enabled && !p.transition).map((p) => p.name),
      livepatchState: lp.detail,
    },
  };
}

/** Kernel pending, core package newer than boot, the flag file, a held service: reboot. PID 1 stale or a live-patched kernel alone: no reboot. */
export function decideReboot(input: VerdictInput): RebootVerdict {
  const reasons: RebootReason[] = [];
  if (input.kernel.pending) reasons.push(kernelReason(input.kernel));
  for (const p of input.coreAfterBoot) {
    reasons.push({
      kind: 'core-package',
      detail: `${p.name} ${p.version} installed ${iso(p.installTime)}, after boot ${iso(input.bootTime)}`,
      evidence: { package: p.name, version: p.version, installTime: iso(p.installTime), bootTime: iso(input.bootTime) },
    });
  }
  if (input.rebootFlag.present) {
    const file = input.rebootFlag.file ?? '/run/reboot-required';
    const pkgs = input.rebootFlag.packages.length ? ` (${input.rebootFlag.packages.join(', ')})` : '';
    reasons.push({ kind: 'reboot-flag', detail: `${file} exists${pkgs}`, evidence: { file, packages: [...input.rebootFlag.packages] } });
  }
  for (const h of input.held ?? []) {
    const files = h.files.slice(0, 3).join(', ') + (h.files.length > 3 ? ` and ${h.files.length - 3} more` : '');
    reasons.push({
      kind: 'never-restart',
      detail: `${h.name} (pid ${h.pids.join(', ')}) runs replaced code (${files}) and is never restarted: only a reboot replaces it`,
      evidence: { unit: h.name, pids: [...h.pids], files: [...h.files] },
    });
  }
  if (input.pid1Stale) {
    reasons.push({ kind: 'pid1-stale', detail: 'PID 1 maps replaced files: `systemctl daemon-reexec` (no reboot needed for this alone)', evidence: { pid: 1 } });
  }
  const rebootRequired = reasons.some((r) => !ADVISORY_REBOOT_KINDS.includes(r.kind));
  return { rebootRequired, reasons };
}

/** The verdict of a host's facts with a never-restart list (the defaults plus the playbook's globs). */
export function verdictOf(facts: Pick<HostFacts, 'kernel' | 'coreAfterBoot' | 'rebootFlag' | 'pid1Stale' | 'stale' | 'os'>, opts: NeverRestartOptions = {}): RebootVerdict {
  return decideReboot({
    kernel: facts.kernel,
    coreAfterBoot: facts.coreAfterBoot,
    rebootFlag: facts.rebootFlag,
    pid1Stale: facts.pid1Stale,
    bootTime: facts.os.bootTime,
    held: findHeldServices(facts.stale, opts),
  });
}
