/** Which processes still run old code: deleted or replaced executables and mapped files, changed sources. */
import { compileGlob } from '../model/safe-match.js';
import { devFromMaps, majorOf } from './parse-processes.js';
import type { ProcessInfo, ProcessTable, StaleFile, StaleOptions } from './types.js';

/** Mappings that never count: devices, temporary and runtime files, shared memory, GPU buffers. */
export const DEFAULT_IGNORE = [
  '/dev/', '/tmp/', '/var/tmp/', '/run/', '/var/run/', '/proc/', '/sys/', '/memfd:', '/SYSV',
  '/\\[aio]', '/drm', '/i915', '/anon_hugepage', '/var/lib/sss/mc/', '/var/cache/',
];

/** A predicate that is true for paths to ignore: prefixes, or globs when they contain * ? [. */
export function makeIgnore(patterns: string[] = DEFAULT_IGNORE): (path: string) => boolean {
  const globs = patterns.filter((p) => /[*?[]/.test(p)).map((p) => compileGlob(p));
  const prefixes = patterns.filter((p) => !/[*?[]/.test(p));
  return (path) => prefixes.some((p) => path.startsWith(p)) || globs.some((g) => g(path));
}

/**
 * A predicate for the optional library glob. A glob without a slash matches the file name; a glob
 * with one also matches across merged /usr (the guide's `/lib/libwrap.so*` finds /usr/lib/...).
 */
export function makeLibraryFilter(glob: string | undefined): (path: string) => boolean {
  if (!glob) return () => true;
  const match = compileGlob(glob, { basename: true });
  return (path) => match(path) || (path.startsWith('/usr/') && match(path.slice(4))) || match(`/usr${path}`);
}

/** True when the file now at a path is not the one mapped (dev:inode differ); null when unknown. */
export function isReplaced(table: ProcessTable, path: string, dev: string, inode: number): boolean | null {
  const now = table.files.get(path);
  if (!now) return null;
  if (now.dev === null) return now.inode !== inode;
  const mapped = devFromMaps(dev);
  if (mapped === now.dev) return now.inode !== inode;
  // Overlayfs and btrfs report an anonymous st_dev (major 0) where maps show the backing device
  // (or another anonymous one); the inode is then the only comparable part.
  if (mapped === null || majorOf(now.dev) === 0 || majorOf(mapped) === 0) return now.inode !== inode;
  return true;
}

/** The stale files of one process (empty when none). */
export function staleFilesOf(p: ProcessInfo, table: ProcessTable, opts: StaleOptions = {}): StaleFile[] {
  const ignored = makeIgnore(opts.ignore ?? DEFAULT_IGNORE);
  const wanted = makeLibraryFilter(opts.libraryGlob);
  return findStale(p, table, ignored, wanted);
}

function findStale(p: ProcessInfo, table: ProcessTable, ignored: (s: string) => boolean, wanted: (s: string) => boolean): StaleFile[] {
  const out = new Map<string, StaleFile>();
  // Paths only compare with the probe's view when the process shares its mount namespace.
  const sameNs = p.mountNs === null || table.selfMountNs === null || p.mountNs === table.selfMountNs;
  for (const m of p.mappings) {
    if (ignored(m.path) || !wanted(m.path) || out.has(m.path)) continue;
    if (m.deleted) out.set(m.path, { path: m.path, reason: 'deleted' });
    else if (sameNs && isReplaced(table, m.path, m.dev, m.inode)) out.set(m.path, { path: m.path, reason: 'replaced' });
  }
  if (p.exe?.endsWith(' (deleted)')) {
    const path = p.exe.slice(0, -' (deleted)'.length);
    if (!ignored(path) && wanted(path) && !out.has(path)) out.set(path, { path, reason: 'deleted' });
  }
  return [...out.values()];
}

/**
 * Every process that runs old code, with its stale files: mapped files, and (`sources`, by pid) the
 * source files of interpreted programs (parse-interp.ts), under the same ignore list and library glob.
 */
export function findStaleProcesses(table: ProcessTable, opts: StaleOptions = {}, sources: Map<number, StaleFile[]> = new Map()): Array<{ process: ProcessInfo; files: StaleFile[] }> {
  const ignored = makeIgnore(opts.ignore ?? DEFAULT_IGNORE);
  const wanted = makeLibraryFilter(opts.libraryGlob);
  const out: Array<{ process: ProcessInfo; files: StaleFile[] }> = [];
  for (const p of table.processes) {
    const files = findStale(p, table, ignored, wanted);
    for (const f of sources.get(p.pid) ?? []) {
      if (!ignored(f.path) && wanted(f.path) && !files.some((x) => x.path === f.path)) files.push(f);
    }
    if (files.length) out.push({ process: p, files });
  }
  return out;
}
