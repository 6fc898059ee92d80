/**
 * Reads ssh_config files and everything they Include, once: relative Include paths live in ~/.ssh
 * (user files, `~` being $HOME as glob(3) reads it) or /etc/ssh (the system file), globs are
 * expanded in byte order, included files must not be writable by others (OpenSSH's check).
 * Errors are kept where OpenSSH reports them: when the walk for a host reaches them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { lexConfig, type ConfigLine } from './lexer.js';
import { expandTilde } from './tokens.js';

export const MAX_INCLUDE_DEPTH = 16;

/** What an Include line points at: the files its patterns matched, or why they cannot be read. */
export interface IncludeTarget {
  files: ConfigFile[];
  /** A problem OpenSSH reports when it reaches this Include (bad path, too deep). */
  error?: string;
}

export type ConfigEntry = ConfigLine | { missing: string; file: string; line: number };

export interface ConfigFile {
  path: string;
  /** User configuration (~/.ssh/config, -F, and what they include) or the system's. */
  user: boolean;
  entries: ConfigEntry[];
  /** Include targets by line number. */
  includes: Map<number, IncludeTarget[]>;
  /** Why OpenSSH refuses to read this file (owner or permissions). */
  error?: string;
}

export interface LoadOptions {
  /** Where `~` in Include patterns points ($HOME, as glob(3) with GLOB_TILDE reads it). */
  includeHome?: string;
  /** Home of the local user from the user database, for `~user` forms. */
  home?: string;
}

/** One file to read: the user's (~/.ssh/config, checked like an include) or an explicit -F file. */
export interface ConfigSource {
  path: string;
  user: boolean;
  checkPermissions: boolean;
  /** Missing is fine for the default files, an error for -F. */
  required: boolean;
}

/** Reads a file and its includes; undefined when it does not exist. */
export function loadConfigFile(src: ConfigSource, opts: LoadOptions = {}, stack: string[] = []): ConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(src.path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') text = '';
    else if (code === 'ENOENT' && !src.required) return undefined;
    else throw new Error(`Can't open user config file ${src.path}: ${(err as Error).message}`);
  }
  const file = parseConfigText(text, src.path, src.user, opts, [...stack, src.path]);
  if (src.checkPermissions) {
    const problem = checkPermissions(src.path);
    if (problem) file.error = problem;
  }
  return file;
}

/** Splits config text (named `path` in errors) and reads what it includes; `stack` are the files including it. */
export function parseConfigText(text: string, path: string, user: boolean, opts: LoadOptions = {}, stack: string[] = [path]): ConfigFile {
  const file: ConfigFile = { path, user, entries: lexConfig(text, path), includes: new Map() };
  for (const entry of file.entries) {
    if (!('keyword' in entry) || entry.keyword !== 'include' || !entry.args) continue;
    file.includes.set(entry.line, entry.args.map((pattern) => includeTarget(pattern, file, entry.line, opts, stack)));
  }
  return file;
}

function includeTarget(pattern: string, from: ConfigFile, line: number, opts: LoadOptions, stack: string[]): IncludeTarget {
  if (pattern === '') return { files: [], error: `${from.path} line ${line}: keyword include empty argument` };
  if (pattern.startsWith('~') && !from.user) return { files: [], error: `${from.path} line ${line}: bad include path ${pattern}.` };
  const anchored = pattern.startsWith('/') || pattern.startsWith('~') ? pattern : `${from.user ? '~/.ssh' : '/etc/ssh'}/${pattern}`;
  const includeHome = opts.includeHome ?? process.env.HOME ?? homedir();
  const path = anchored === '~' || anchored.startsWith('~/') ? includeHome + anchored.slice(1) : expandTilde(anchored, opts.home ?? homedir());
  const files: ConfigFile[] = [];
  for (const match of globFiles(path)) {
    // OpenSSH stops at 16 levels; a file that includes itself would get there, so say it at once
    if (stack.length > MAX_INCLUDE_DEPTH || stack.includes(match)) return { files: [], error: 'Too many recursive configuration includes' };
    const f = loadConfigFile({ path: match, user: from.user, checkPermissions: true, required: false }, opts, stack);
    if (f) files.push(f);
  }
  return { files };
}

/**
 * OpenSSH's check on included files (Debian's secure_permissions): owned by root or the user, not
 * writable by others, and writable by the group only when the group's one member is the owner.
 */
function checkPermissions(path: string): string | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  const uid = process.getuid?.() ?? st.uid;
  const bad = `Bad owner or permissions on ${path}`;
  if ((st.uid !== 0 && st.uid !== uid) || (st.mode & 0o002) !== 0) return bad;
  if ((st.mode & 0o020) !== 0 && !soleMemberGroup(st.gid, st.uid, uid)) return bad;
  return undefined;
}

function getent(...args: string[]): string[][] {
  const r = spawnSync('getent', args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split(':')) : [];
}

/** A group whose only member (primary or listed) is the file's owner, itself the user. */
function soleMemberGroup(gid: number, owner: number, uid: number): boolean {
  const group = getent('group', String(gid))[0];
  if (!group) return false;
  let members = 0;
  for (const pw of getent('passwd')) {
    if (Number(pw[3]) !== gid) continue;
    members++;
    if (Number(pw[2]) !== uid) return false;
  }
  const ownerName = getent('passwd', String(owner))[0]?.[0];
  const listed = (group[3] ?? '').split(',').filter((m) => m !== '');
  if (listed.length > 0) {
    members++;
    if (listed[0] !== ownerName || listed.length > 1) return false;
  }
  return members > 0;
}

const MAGIC = /[*?[]/;

/** glob(3) without flags beyond GLOB_TILDE: `*`, `?`, `[...]` per path segment, dot files only when named, sorted. */
export function globFiles(pattern: string): string[] {
  const segments = pattern.split('/');
  let current = [segments[0] === '' ? '/' : '.'];
  const start = segments[0] === '' ? 1 : 0;
  for (let i = start; i < segments.length; i++) {
    const seg = segments[i] as string;
    if (seg === '') continue;
    const next: string[] = [];
    for (const dir of current) {
      if (!MAGIC.test(seg)) {
        next.push(join(dir, seg.replace(/\\(.)/g, '$1')));
        continue;
      }
      const isMatch = picomatch(seg, { dot: false, nobrace: true, noextglob: true, noglobstar: true, nonegate: true });
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names.filter((n) => isMatch(n)).sort()) next.push(join(dir, name));
    }
    current = next;
  }
  return current.filter((p) => exists(p)).sort(byteOrder);
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
