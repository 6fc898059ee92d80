/** The reboot verdict of a host and its reasons. */
import type { InstalledPackage, KernelFacts, RebootFlag, RebootReason } from './types.js';

export interface VerdictInput {
  kernel: KernelFacts;
  coreAfterBoot: InstalledPackage[];
  rebootFlag: RebootFlag;
  pid1Stale: boolean;
  /** Epoch seconds of boot, for the message. */
  bootTime: number | null;
}

export interface RebootVerdict {
  rebootRequired: boolean;
  /** Every reason found, including those that do not need a reboot (kind 'pid1-stale'). */
  reasons: RebootReason[];
}

const iso = (t: number | null): string => (t === null ? 'unknown' : new Date(t * 1000).toISOString());

/** Kernel pending, core package newer than boot, the flag file: reboot. PID 1 stale alone: daemon-reexec. */
export function decideReboot(input: VerdictInput): RebootVerdict {
  const reasons: RebootReason[] = [];
  if (input.kernel.pending) reasons.push({ kind: 'kernel-pending', detail: input.kernel.detail });
  for (const p of input.coreAfterBoot) {
    reasons.push({ kind: 'core-package', detail: `${p.name} ${p.version} installed ${iso(p.installTime)}, after boot ${iso(input.bootTime)}` });
  }
  if (input.rebootFlag.present) {
    const pkgs = input.rebootFlag.packages.length ? ` (${input.rebootFlag.packages.join(', ')})` : '';
    reasons.push({ kind: 'reboot-flag', detail: `${input.rebootFlag.file ?? '/run/reboot-required'} exists${pkgs}` });
  }
  const rebootRequired = reasons.length > 0;
  if (input.pid1Stale) {
    reasons.push({ kind: 'pid1-stale', detail: 'PID 1 maps replaced files: `systemctl daemon-reexec` (no reboot needed for this alone)' });
  }
  return { rebootRequired, reasons };
}
