/**
 * The pure half of restart_services: from a host's facts and the step's arguments, decide which
 * services to restart (in order, the sshd serving this connection last), which stale owners to leave
 * alone and why. No IO here; restart-services.ts runs the plan.
 */
import { SERVICE_NAME_RE } from '../model/names.js';
import type { HostFacts, StaleProcessFact } from '../facts/types.js';
import type { ProcessOwner } from '../model/results.js';
import { makeLibraryFilter } from '../facts/parse-stale.js';
import { neverRestartMatcher, serviceBaseName, whyNotRestartable } from '../facts/never-restart.js';

export { DEFAULT_NEVER_RESTART, makeNameMatcher, serviceBaseName } from '../facts/never-restart.js';

/** Names that reach the remote shell (quoted anyway): unit and init script names only. */
export const RESTARTABLE_NAME_RE = SERVICE_NAME_RE;

export interface PlanOptions {
  /** Only these services (unit names with or without `.service`, or init script names). */
  services?: string[];
  /** Only processes stale because of files matching this glob ('' or absent: any file). */
  libraryGlob?: string;
  /** Added to DEFAULT_NEVER_RESTART (or replacing it with replaceDefaults). */
  neverRestart?: string[];
  replaceDefaults?: boolean;
}

export interface PlannedRestart {
  /** The unit (remedy-labd.service) or init script (remedy-labd) name, as restarted. */
  name: string;
  init: 'systemd' | 'sysv';
  /** True for the sshd that may serve this very connection: restarted last, safely. */
  sshd: boolean;
  /** Stale pids charged to the service when the facts were read. */
  pids: number[];
  files: string[];
}

export interface SkippedOwner {
  name: string;
  kind: ProcessOwner['kind'];
  pids: number[];
  /** never-restart, session, user, xinetd, container, pid1, not-a-service, unknown-owner, bad-name. */
  reason: string;
  detail: string;
}

export interface RestartPlan {
  restart: PlannedRestart[];
  skipped: SkippedOwner[];
  /** Names given in `services` that own no stale process (nothing to do for them). */
  notStale: string[];
}

/** True for an sshd unit or script (ssh, sshd, openssh-server), not per-connection sshd@ instances. */
export function isSshdService(name: string, command: string): boolean {
  const base = serviceBaseName(name);
  if (/^sshd?@/.test(base)) return false;
  return /^(sshd?|openssh-server|openssh)$/.test(base) || command === 'sshd';
}

function skip(entry: StaleProcessFact, reason: string, detail: string): SkippedOwner {
  return { name: entry.owner.name, kind: entry.owner.kind, pids: [...entry.pids], reason, detail };
}

/** Why an owner is not a service this step restarts, or null when it is one (facts/never-restart.ts). */
function notRestartable(entry: StaleProcessFact): SkippedOwner | null {
  const why = whyNotRestartable(entry);
  return why ? skip(entry, why.reason, why.detail) : null;
}

/**
 * Plans the restarts for one host. Entries are considered in the facts' order (oldest first);
 * several entries with the same owner are merged; the sshd service goes last.
 */
export function planRestarts(facts: HostFacts, opts: PlanOptions = {}): RestartPlan {
  const onlyFile = makeLibraryFilter(opts.libraryGlob || undefined);
  const never = neverRestartMatcher(opts);
  const wanted = opts.services?.length ? new Set(opts.services.map(serviceBaseName)) : null;
  const isWanted = (name: string): boolean => !wanted || wanted.has(serviceBaseName(name));
  const restart: PlannedRestart[] = [];
  const skipped: SkippedOwner[] = [];
  const seen = new Set<string>();

  for (const entry of facts.stale) {
    const files = entry.files.filter(onlyFile);
    if (files.length === 0) continue;
    if (!isWanted(entry.owner.name)) continue;
    const why = notRestartable(entry);
    if (why) { mergeSkipped(skipped, why); continue; }
    if (never(entry.owner.name)) {
      mergeSkipped(skipped, skip(entry, 'never-restart', 'on the never-restart list: it runs replaced code until the host reboots (a reboot reason)'));
      continue;
    }
    seen.add(serviceBaseName(entry.owner.name));
    const existing = restart.find((r) => r.name === entry.owner.name);
    if (existing) {
      existing.pids.push(...entry.pids.filter((p) => !existing.pids.includes(p)));
      existing.files.push(...files.filter((f) => !existing.files.includes(f)));
      continue;
    }
    restart.push({
      name: entry.owner.name,
      // A unit is driven by systemctl; an init script by `service` (which redirects to systemctl on systemd).
      init: entry.owner.kind === 'systemd-unit' ? 'systemd' : 'sysv',
      sshd: isSshdService(entry.owner.name, entry.command),
      pids: [...entry.pids],
      files,
    });
  }
  const ordered = [...restart.filter((r) => !r.sshd), ...restart.filter((r) => r.sshd)];
  const skippedNames = new Set(skipped.map((s) => serviceBaseName(s.name)));
  const notStale = wanted ? [...wanted].filter((n) => !seen.has(n) && !skippedNames.has(n)) : [];
  return { restart: ordered, skipped, notStale };
}

function mergeSkipped(list: SkippedOwner[], item: SkippedOwner): void {
  const same = list.find((s) => s.name === item.name && s.kind === item.kind);
  if (same) same.pids.push(...item.pids.filter((p) => !same.pids.includes(p)));
  else list.push(item);
}

/** One line for check mode and logs: `would restart a, b (skipping c: never-restart, d: session)`. */
export function describePlan(plan: RestartPlan): string {
  const names = plan.restart.map((r) => r.name);
  const what = names.length ? `would restart ${names.join(', ')}` : 'nothing to restart';
  const skipped = plan.skipped.map((s) => `${s.name}: ${s.reason}`);
  return skipped.length ? `${what} (skipping ${skipped.join(', ')})` : what;
}
