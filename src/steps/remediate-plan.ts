/**
 * The pure half of remediate: from a host's facts and the step's arguments, pick the least disruptive
 * action that clears the host's verdict, on the ladder
 *   restart services < kill sessions and applications (when allowed) < systemctl daemon-reexec (PID 1
 *   stale) < systemctl soft-reboot (only user space is old, systemd 254 or later) < reboot.
 * A reboot (soft or full) clears everything below it, so it is then the only action; otherwise the
 * lower actions that are needed all run (restarts, kills, then daemon-reexec). Every decision, taken or
 * not, has a reason word and a sentence. No IO here; remediate.ts runs the plan.
 */
import type { HostFacts, InstalledPackage, RebootReason } from '../facts/types.js';
import type { NeverRestartOptions } from '../facts/never-restart.js';
import { verdictOf } from '../facts/reboot-verdict.js';
import { ADVISORY_REBOOT_KINDS } from '../model/results.js';
import { planRestarts, type PlannedRestart, type SkippedOwner } from './restart-plan.js';

/** The rungs of the ladder, least disruptive first. */
export const REMEDIATE_ACTIONS = ['restart', 'kill', 'daemon-reexec', 'soft-reboot', 'reboot'] as const;
export type RemediateAction = (typeof REMEDIATE_ACTIONS)[number];

/** The first systemd release with `systemctl soft-reboot`. */
export const SOFT_REBOOT_SYSTEMD = 254;

export interface RemediateOptions extends NeverRestartOptions {
  /** End stale login sessions and user applications (kill_processes' TERM, grace, KILL). */
  allowKill?: boolean;
  /** Reboot (soft or full) when the verdict needs it; otherwise the lower actions run and the host stays on the reboot list. */
  allowReboot?: boolean;
  /** Use systemctl soft-reboot when only user space is old and systemd supports it. */
  allowSoftReboot?: boolean;
}

/** One rung considered: taken or not, and why. */
export interface RemediateDecision {
  action: RemediateAction;
  take: boolean;
  /** A word a report can count: stale-services, pid1-stale, kernel-pending, kill-not-allowed, systemd-too-old… */
  reason: string;
  detail: string;
}

/** Sessions and applications to end (their stale pids, as the facts saw them). */
export interface PlannedKill { name: string; kind: 'session' | 'user'; pids: number[]; files: string[] }

export interface RemediatePlan {
  /** The most disruptive action taken ('none' when the host needs nothing). */
  action: RemediateAction | 'none';
  restart: PlannedRestart[];
  kill: PlannedKill[];
  reexec: boolean;
  /** Set when a reboot is the action: soft or full, and the reasons it clears. */
  reboot?: { soft: boolean; why: string };
  decisions: RemediateDecision[];
  /** Stale owners no chosen action clears (containers, xinetd sessions, sessions without allow_kill…). */
  left: SkippedOwner[];
}

/** The major version of an installed systemd package (252 from "252.39-1~deb12u2" or "0:252-18.el9"), or null. */
export function systemdVersion(packages: readonly InstalledPackage[]): number | null {
  const pkg = packages.find((p) => p.name === 'systemd');
  const m = pkg ? /^(?:\d+:)?(\d+)/.exec(pkg.version) : null;
  return m ? Number(m[1]) : null;
}

/** Packages whose new code runs only after the kernel restarts: the kernel itself, firmware, microcode. */
const KERNEL_SPACE_PACKAGE = /^(kernel|linux-image|linux-firmware|firmware-|intel-microcode|amd64-microcode|microcode_ctl)/;

/** Why a reason needs the kernel to restart (a full reboot), or null when user space alone is old. */
function kernelSpace(r: RebootReason): string | null {
  if (r.kind === 'kernel-pending') return `a newer kernel is installed (${r.detail})`;
  if (r.kind === 'core-package') {
    const pkg = String(r.evidence?.['package'] ?? '');
    return KERNEL_SPACE_PACKAGE.test(pkg) ? `${pkg} needs the kernel or firmware reloaded` : null;
  }
  if (r.kind === 'reboot-flag') {
    const pkgs = Array.isArray(r.evidence?.['packages']) ? (r.evidence['packages'] as Array<string | number>).map(String) : [];
    if (pkgs.length === 0) return `${r.detail}, naming no packages: the kernel may be among them`;
    const kernelPkgs = pkgs.filter((p) => KERNEL_SPACE_PACKAGE.test(p));
    return kernelPkgs.length ? `${r.detail}: ${kernelPkgs.join(', ')} need the kernel reloaded` : null;
  }
  return null;
}

/** Whether a soft reboot would do, and why or why not (the reasons that need a reboot are given). */
function decideSoft(facts: HostFacts, needs: RebootReason[], opts: RemediateOptions): RemediateDecision {
  const no = (reason: string, detail: string): RemediateDecision => ({ action: 'soft-reboot', take: false, reason, detail });
  const kernel = needs.map(kernelSpace).filter((w): w is string => w !== null);
  if (kernel.length) return no('kernel-space', `not enough: ${kernel.join('; ')}`);
  if (facts.os.init !== 'systemd') return no('not-systemd', `only user space is old, but PID 1 is ${facts.os.init === 'sysv' ? 'SysV init' : 'not known to be systemd'}: soft-reboot needs systemd ${SOFT_REBOOT_SYSTEMD} or later`);
  const version = systemdVersion(facts.corePackages);
  if (version === null) return no('systemd-version-unknown', `only user space is old, but the systemd version is unknown: soft-reboot needs ${SOFT_REBOOT_SYSTEMD} or later, falling back to reboot`);
  if (version < SOFT_REBOOT_SYSTEMD) return no('systemd-too-old', `only user space is old, but systemd ${version} has no soft-reboot (${SOFT_REBOOT_SYSTEMD} or later): falling back to reboot`);
  if (opts.allowSoftReboot === false) return no('soft-reboot-not-allowed', `only user space is old and systemd ${version} could soft-reboot, but soft_reboot is false`);
  return { action: 'soft-reboot', take: true, reason: 'user-space-only', detail: `only user space is old and systemd ${version} supports soft-reboot: the kernel keeps running` };
}

const describeReasons = (rs: RebootReason[]): string => rs.map((r) => `${r.kind}: ${r.detail}`).join('; ');

/** Pure: the plan for one host. */
export function planRemediation(facts: HostFacts, opts: RemediateOptions = {}): RemediatePlan {
  const verdict = verdictOf(facts, opts);
  const needs = verdict.reasons.filter((r) => !ADVISORY_REBOOT_KINDS.includes(r.kind));
  const upper: RemediateDecision[] = [];
  if (needs.length) {
    const soft = decideSoft(facts, needs, opts);
    upper.push(soft);
    const why = describeReasons(needs);
    if (opts.allowReboot) {
      upper.push(soft.take
        ? { action: 'reboot', take: false, reason: 'soft-reboot-enough', detail: 'a soft reboot clears it: the kernel keeps running' }
        : { action: 'reboot', take: true, reason: needs[0]!.kind, detail: `needs a reboot: ${why}` });
      const left = soft.take ? containersOf(facts) : [];
      return { action: soft.take ? 'soft-reboot' : 'reboot', restart: [], kill: [], reexec: false, reboot: { soft: soft.take, why }, decisions: upper, left };
    }
    upper.push({ action: 'reboot', take: false, reason: 'reboot-not-allowed', detail: `needs a ${soft.take ? 'soft ' : ''}reboot (${why}), but allow_reboot is false: the lower actions run and the host stays on the reboot list` });
  }
  const lower: RemediateDecision[] = [];
  const restarts = planRestarts(facts, opts);
  if (restarts.restart.length) {
    lower.push({ action: 'restart', take: true, reason: 'stale-services', detail: `${restarts.restart.map((r) => r.name).join(', ')} run replaced code: restarting them clears it` });
  }
  const isKillable = (s: SkippedOwner): s is SkippedOwner & { kind: 'session' | 'user' } => (s.kind === 'session' || s.kind === 'user') && s.reason !== 'pid1';
  const killable = restarts.skipped.filter(isKillable);
  // PID 1 is daemon-reexec's; a never-restart service is a reboot reason (above); the rest is left with its reason.
  const left = restarts.skipped.filter((s) => !isKillable(s) && s.reason !== 'pid1' && s.reason !== 'never-restart');
  const kill: PlannedKill[] = [];
  if (killable.length && opts.allowKill) {
    kill.push(...killable.map((s) => ({ name: s.name, kind: s.kind, pids: [...s.pids], files: stalePaths(facts, s) })));
    lower.push({ action: 'kill', take: true, reason: 'stale-sessions', detail: `${killable.map((s) => `${s.name} (pid ${s.pids.join(', ')})`).join(', ')} run replaced code: ending them clears it (allow_kill)` });
  } else if (killable.length) {
    left.push(...killable.map((s) => ({ ...s, reason: 'kill-not-allowed', detail: `${s.detail}: set allow_kill: true to end it` })));
    lower.push({ action: 'kill', take: false, reason: 'kill-not-allowed', detail: `${killable.map((s) => s.name).join(', ')} run replaced code, but allow_kill is false: left running` });
  }
  const reexec = facts.pid1Stale && facts.os.init === 'systemd';
  if (facts.pid1Stale) {
    lower.push(reexec
      ? { action: 'daemon-reexec', take: true, reason: 'pid1-stale', detail: 'PID 1 (systemd) maps replaced files: systemctl daemon-reexec clears it without a reboot' }
      : { action: 'daemon-reexec', take: false, reason: 'not-systemd', detail: 'PID 1 maps replaced files but is not systemd: only a reboot replaces it' });
  }
  const action = reexec ? 'daemon-reexec' : kill.length ? 'kill' : restarts.restart.length ? 'restart' : 'none';
  return { action, restart: restarts.restart, kill, reexec, decisions: [...lower, ...upper], left };
}

const containersOf = (facts: HostFacts): SkippedOwner[] => facts.stale.filter((s) => s.owner.kind === 'container')
  .map((s) => ({ name: s.owner.name, kind: s.owner.kind, pids: [...s.pids], reason: 'container', detail: `a process of container ${s.owner.name}: its runtime restarts it` }));

function stalePaths(facts: HostFacts, owner: SkippedOwner): string[] {
  const files = facts.stale.filter((s) => s.owner.name === owner.name && s.owner.kind === owner.kind).flatMap((s) => s.files);
  return [...new Set(files)];
}

/** One line for check mode and logs: the choice, then why each rung was taken or not. */
export function describeRemediation(plan: RemediatePlan): string {
  const choice = plan.action !== 'none' ? plan.action
    : plan.decisions.length === 0 && plan.left.length === 0 ? 'nothing to do: nothing runs replaced code and no reboot is needed'
    : 'none: no action remedy may take here clears the verdict';
  const why = plan.decisions.map((d) => `${d.take ? '+' : '-'} ${d.action} (${d.reason}): ${d.detail}`);
  const left = plan.left.length ? [`left: ${plan.left.map((s) => `${s.name} (${s.reason})`).join(', ')}`] : [];
  return [choice, ...why, ...left].join('; ');
}
