/**
 * Interpreted programs (probe-interp.sh.ts): which Python, Perl, Ruby, PHP, Node or shell processes
 * run source files that changed after they started. Pure: from the probe's "interp" records and the
 * process table's start times.
 *
 * A file counts when its inode changed under an open descriptor (deleted, or another file now at the
 * path: exact), or when its ctime is at least 2 s after the process started (the files an
 * interpreter read at start and closed: a package manager's rename sets the new file's ctime; mtime
 * would not do, dpkg and rpm keep the packaged mtime). Start times are whole seconds and /proc/stat's
 * btime is truncated, so a change within 2 s of the start is not seen (needrestart's own tolerance is
 * 2 s too). A module that the text names but the program never imported (a guarded import) counts as
 * well: the scan errs toward reporting.
 */
import type { ProcessInfo, StaleFile, UnknownFact } from './types.js';

export type InterpreterLanguage = 'python' | 'perl' | 'ruby' | 'php' | 'node' | 'shell';

export interface InterpreterProcess {
  pid: number;
  language: InterpreterLanguage;
  /** The script from the command line; null for `python -m module`. */
  script: string | null;
  /** Files it runs: the script (depth 0) and the modules found from it (depth 1…). */
  files: Array<{ path: string; depth: number }>;
  /** Source files it holds open: /proc/PID/fd/N → path (" (deleted)" removed, deleted set). */
  open: Array<{ fd: number; path: string; deleted: boolean }>;
}

export interface InterpreterScan {
  processes: Map<number, InterpreterProcess>;
  /** stat -L of used files and of /proc/PID/fd/N: dev, inode, ctime (epoch seconds). */
  stats: Map<string, { dev: number; inode: number; ctime: number }>;
  /** Bounds the scan hit (too many processes, files or reads). */
  limits: string[];
}

/** Seconds after a process's start before a file's change counts (start and ctime are whole seconds). */
export const CHANGE_TOLERANCE_S = 2;

const LANGUAGES: readonly string[] = ['python', 'perl', 'ruby', 'php', 'node', 'shell'];
const DELETED = ' (deleted)';

/** Parses the "interp" section. */
export function parseInterpreters(lines: string[]): InterpreterScan {
  const processes = new Map<number, InterpreterProcess>();
  const stats: InterpreterScan['stats'] = new Map();
  const limits: string[] = [];
  for (const line of lines) {
    const f = line.split('\t');
    const pid = Number(f[1]);
    switch (f[0]) {
      case 'R':
        if (Number.isInteger(pid) && LANGUAGES.includes(f[2] ?? '')) {
          const script = f.slice(3).join('\t');
          processes.set(pid, { pid, language: f[2] as InterpreterLanguage, script: script === '-' || script === '' ? null : script, files: [], open: [] });
        }
        break;
      case 'U': processes.get(pid)?.files.push({ depth: Number(f[2]), path: f.slice(3).join('\t') }); break;
      case 'D': {
        const raw = f.slice(3).join('\t');
        const deleted = raw.endsWith(DELETED);
        processes.get(pid)?.open.push({ fd: Number(f[2]), path: deleted ? raw.slice(0, -DELETED.length) : raw, deleted });
        break;
      }
      case 'T': {
        const [dev, inode, ctime] = [Number(f[1]), Number(f[2]), Number(f[3])];
        if ([dev, inode, ctime].every(Number.isFinite)) stats.set(f.slice(4).join('\t'), { dev, inode, ctime });
        break;
      }
      case 'L': limits.push(f.slice(2).join('\t')); break;
      default: break;
    }
  }
  return { processes, stats, limits };
}

/** The stale source files of one interpreter process (empty when its files did not change). */
export function staleSourcesOf(ip: InterpreterProcess, p: Pick<ProcessInfo, 'startTime'>, scan: InterpreterScan): StaleFile[] {
  const out = new Map<string, StaleFile>();
  for (const o of ip.open) {
    if (o.deleted) { out.set(o.path, { path: o.path, reason: 'deleted' }); continue; }
    const held = scan.stats.get(`/proc/${ip.pid}/fd/${o.fd}`);
    const now = scan.stats.get(o.path);
    if (held && now && (held.inode !== now.inode || held.dev !== now.dev)) out.set(o.path, { path: o.path, reason: 'replaced' });
  }
  if (p.startTime === null) return [...out.values()];
  for (const { path } of ip.files) {
    const st = scan.stats.get(path);
    if (st && st.ctime >= p.startTime + CHANGE_TOLERANCE_S && !out.has(path)) out.set(path, { path, reason: 'changed' });
  }
  return [...out.values()];
}

/** Every interpreter process's stale sources, by pid; the scan's bounds as unknown facts. */
export function findStaleSources(scan: InterpreterScan, byPid: Map<number, ProcessInfo>, unknown: UnknownFact[]): Map<number, StaleFile[]> {
  const out = new Map<number, StaleFile[]>();
  for (const ip of scan.processes.values()) {
    const p = byPid.get(ip.pid);
    if (!p) continue;
    const files = staleSourcesOf(ip, p, scan);
    if (files.length) out.set(ip.pid, files);
  }
  for (const l of scan.limits) unknown.push({ what: 'interpreters', reason: `the interpreter scan stopped early: ${l}` });
  return out;
}
