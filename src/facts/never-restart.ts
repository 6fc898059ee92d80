/**
 * Which stale owners are services remedy may restart, and which services it never restarts. One place
 * for both the restart plan (src/steps/restart-plan.ts) and the reboot verdict: a service that must not
 * be restarted but runs replaced code makes the host need a reboot (as dnf's needs-restarting does).
 */
import { SERVICE_NAME_RE } from '../model/names.js';
import { compileGlob } from '../model/safe-match.js';
import type { StaleProcessFact } from './types.js';

/** Globs on unit or init script names (matched with and without `.service`) that are never restarted. */
export const DEFAULT_NEVER_RESTART: readonly string[] = [
  'dbus', 'dbus-broker', 'systemd-logind', 'getty@*', 'serial-getty@*', 'console-getty',
  'gdm*', 'sddm', 'lightdm', 'xdm', 'display-manager', 'NetworkManager', 'systemd-networkd',
  'wpa_supplicant', 'systemd-journald', 'user@*',
];

export interface NeverRestartOptions {
  /** Added to DEFAULT_NEVER_RESTART (or replacing it with replaceDefaults). */
  neverRestart?: string[];
  replaceDefaults?: boolean;
}

/** `remedy-labd.service` → `remedy-labd`; other names unchanged. */
export function serviceBaseName(name: string): string {
  return name.endsWith('.service') ? name.slice(0, -'.service'.length) : name;
}

/** A predicate over unit/script names for a list of globs (each tried on the name with and without `.service`). */
export function makeNameMatcher(globs: readonly string[]): (name: string) => boolean {
  const tests = globs.map((g) => compileGlob(g));
  return (name) => tests.some((t) => t(name) || t(serviceBaseName(name)));
}

/** The never-restart predicate for these options (the defaults plus the playbook's globs). */
export function neverRestartMatcher(opts: NeverRestartOptions = {}): (name: string) => boolean {
  return makeNameMatcher(opts.replaceDefaults ? (opts.neverRestart ?? []) : [...DEFAULT_NEVER_RESTART, ...(opts.neverRestart ?? [])]);
}

/** Why a stale owner is not a service remedy restarts: a reason word and a sentence. */
export interface NotRestartable { reason: string; detail: string }

/** Why an owner is not a service restart_services restarts, or null when it is one (never-restart is not checked here). */
export function whyNotRestartable(entry: Pick<StaleProcessFact, 'owner' | 'pids'>): NotRestartable | null {
  const { kind, name } = entry.owner;
  const no = (reason: string, detail: string): NotRestartable => ({ reason, detail });
  switch (kind) {
    case 'xinetd': return no('xinetd', 'an xinetd session (xinetd_sessions ends it)');
    case 'session': return no('session', 'a login session (applications or kill_processes)');
    case 'user': return no('user', `an application of user ${name} (applications playbook)`);
    case 'container': return no('container', `a process of container ${name}: its runtime restarts it (docker/podman restart, machinectl reboot, lxc-stop/lxc-start), not the host's init`);
    case 'kernel': case 'unknown': return no('unknown-owner', 'no service owns it');
    case 'init-script': case 'systemd-unit': break;
  }
  if (kind === 'systemd-unit') {
    if (name === 'init.scope' || entry.pids.includes(1)) return no('pid1', 'PID 1 (daemon_reexec re-executes it)');
    if (name.endsWith('.scope')) return no('session', 'a scope (a session or application), not a service');
    if (/^user@\d+\.service$/.test(name)) return no('session', "a user's service manager, not a system service");
    if (/^sshd?@/.test(name)) return no('session', 'a per-connection sshd instance');
    if (!name.endsWith('.service')) return no('not-a-service', `a ${name.slice(name.lastIndexOf('.') + 1)} unit, not a service`);
  }
  if (!SERVICE_NAME_RE.test(name)) return no('bad-name', `the name ${JSON.stringify(name)} is not a plain service name`);
  return null;
}

/** A service that runs replaced code and is never restarted. */
export interface HeldService { name: string; pids: number[]; files: string[] }

/** The stale services on the never-restart list, merged by name, in the facts' order. */
export function findHeldServices(stale: readonly StaleProcessFact[], opts: NeverRestartOptions = {}): HeldService[] {
  const never = neverRestartMatcher(opts);
  const out: HeldService[] = [];
  for (const entry of stale) {
    if (whyNotRestartable(entry) || !never(entry.owner.name)) continue;
    const same = out.find((h) => h.name === entry.owner.name);
    if (!same) { out.push({ name: entry.owner.name, pids: [...entry.pids], files: [...entry.files] }); continue; }
    same.pids.push(...entry.pids.filter((p) => !same.pids.includes(p)));
    same.files.push(...entry.files.filter((f) => !same.files.includes(f)));
  }
  return out;
}
