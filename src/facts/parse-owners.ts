/** Who owns a stale process: container, systemd unit, init script, xinetd service, login session or user. */
import { containerOwner } from './containers.js';
import type { InitScript, ProcessInfo, ProcessOwner, XinetdService } from './types.js';

export interface OwnerContext {
  byPid: Map<number, ProcessInfo>;
  initScripts: InitScript[];
  /** pid → pidfile paths that hold it. */
  pidfiles: Map<number, string[]>;
  xinetd: XinetdService[];
  init: 'systemd' | 'sysv' | 'unknown';
  /** The probe's PID namespace: a process in another one belongs to a container. */
  selfPidNs?: string | null;
}

/** Parents of a process, nearest first, stopping before PID 1 (and at loops). */
export function ancestorsOf(p: ProcessInfo, byPid: Map<number, ProcessInfo>): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  const seen = new Set([p.pid]);
  let cur = byPid.get(p.ppid);
  while (cur && cur.pid > 1 && !seen.has(cur.pid)) {
    out.push(cur);
    seen.add(cur.pid);
    cur = byPid.get(cur.ppid);
  }
  return out;
}

const stripDeleted = (exe: string | null): string => (exe ?? '').replace(/ \(deleted\)$/, '');
const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The owner a systemd cgroup path names, or null when it names none (the root cgroup). */
export function ownerFromCgroup(cgroup: string | null, user: string): ProcessOwner | null {
  if (!cgroup || cgroup === '/') return null;
  const parts = cgroup.split('/').filter(Boolean);
  const session = parts.find((s) => /^session-.+\.scope$/.test(s));
  if (session) return { kind: 'session', name: session };
  // The user manager (user@UID.service) and every app it started belong to the user.
  if (parts.some((s) => /^user@\d+\.service$/.test(s))) return { kind: 'user', name: user };
  const units = parts.filter((s) => /\.(service|scope|socket|mount|swap|timer)$/.test(s));
  const unit = units[units.length - 1];
  return unit ? { kind: 'systemd-unit', name: unit } : null;
}

/** The xinetd service a process serves: the child of xinetd in its ancestry, named by the config. */
function xinetdOwner(p: ProcessInfo, chain: ProcessInfo[], ctx: OwnerContext): ProcessOwner | null {
  if (p.comm === 'xinetd') return null;
  const line = [p, ...chain];
  const idx = line.findIndex((q) => ctx.byPid.get(q.ppid)?.comm === 'xinetd');
  if (idx < 0) return null;
  const child = line[idx]!;
  const exe = stripDeleted(child.exe);
  const enabled = ctx.xinetd.filter((s) => s.server);
  const svc = enabled.find((s) => s.server === exe && !s.disabled) ?? enabled.find((s) => s.server === exe)
    ?? enabled.find((s) => base(s.server!) === base(exe) || base(s.server!) === child.comm);
  return { kind: 'xinetd', name: svc?.name ?? child.comm };
}

function scriptForPidfile(path: string, ctx: OwnerContext): string {
  const norm = (p: string): string => p.replace(/^\/var\/run\//, '/run/');
  const byRef = ctx.initScripts.find((s) => s.pidfiles.some((f) => norm(f) === path));
  if (byRef) return byRef.name;
  const stem = base(path).replace(/\.pid$/, '');
  const byName = ctx.initScripts.find((s) => s.name === stem || s.name === base(path.slice(0, path.lastIndexOf('/'))));
  return byName?.name ?? stem;
}

function scriptForExe(p: ProcessInfo, ctx: OwnerContext): string | null {
  const exe = stripDeleted(p.exe);
  const exact = ctx.initScripts.find((s) => s.executables.includes(exe));
  if (exact) return exact.name;
  const loose = ctx.initScripts.find((s) => s.executables.some((e) => base(e) === base(exe) || base(e) === p.comm));
  return loose?.name ?? null;
}

/** Decides the owner of one process: container first, then unit, script, xinetd, session, user. */
export function ownerOf(p: ProcessInfo, ctx: OwnerContext): ProcessOwner {
  if (p.pid === 1) return ctx.init === 'systemd' ? { kind: 'systemd-unit', name: 'init.scope' } : { kind: 'unknown', name: `init (${p.comm})` };
  const container = containerOwner(p, ctx.selfPidNs ?? null);
  if (container) return container;
  const chain = ancestorsOf(p, ctx.byPid);
  const xinetd = xinetdOwner(p, chain, ctx);
  if (xinetd) return xinetd;
  const fromCgroup = ownerFromCgroup(p.cgroup, p.user);
  if (fromCgroup) return fromCgroup;
  // SysV: the top of the process's session (same sid) is the daemon or the login shell.
  const line = [p, ...chain];
  let top = p;
  for (const q of chain) { if (q.sid === p.sid) top = q; else break; }
  for (const q of line) {
    const files = ctx.pidfiles.get(q.pid);
    if (files && q.sid === p.sid) return { kind: 'init-script', name: scriptForPidfile(files[0]!, ctx) };
    if (q === top) break;
  }
  const topParent = ctx.byPid.get(top.ppid);
  const daemonLike = top.ppid <= 1 || !topParent;
  if (daemonLike) {
    const script = scriptForExe(top, ctx);
    if (script) return { kind: 'init-script', name: script };
  }
  if (p.tty !== 0 || !daemonLike) return { kind: 'session', name: `${p.user} session ${p.sid}` };
  return { kind: 'user', name: p.user };
}
