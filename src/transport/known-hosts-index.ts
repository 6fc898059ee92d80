/**
 * known_hosts for a whole run: the files parsed once and indexed by host name, so checking a host key
 * costs the same whatever the number of entries. A fleet's known_hosts holds a line per host; reading,
 * parsing and scanning it (a RegExp per pattern) on every connection made a run quadratic in the
 * number of hosts. Plain names are looked up in a map; hashed entries (|1|salt|hmac, one salt each)
 * and patterns with wildcards or negations are still tried one by one, as OpenSSH does.
 *
 * KnownHostsCache keeps one index per list of files for as long as the files do not change on disk
 * (size, mtime and inode, checked at each connection); a line this process appends (accept-new) is
 * added to the index in place, so taking the keys of a new fleet does not re-read the file per host.
 */
import { readFile } from 'node:fs/promises';
import { fileStamp } from './file-stamp.js';
import { entryMatches, knownHostsName, parseKnownHosts, type KnownHostEntry } from './known-hosts.js';

/** What host key checking asks of known_hosts (host-key-policy.ts). */
export interface KnownHosts {
  /** Every entry (any marker) that applies to host:port, in file order: lookupKnownHosts's answer. */
  lookup(host: string, port: number): KnownHostEntry[];
  /** The first @revoked entry for this key, whatever host it names. */
  revoked(key: Buffer): KnownHostEntry | undefined;
}

const PATTERN_CHARS = /[*?!]/;

export class KnownHostsIndex implements KnownHosts {
  private readonly exact = new Map<string, KnownHostEntry[]>();
  private readonly scanned: KnownHostEntry[] = [];
  private readonly revokedKeys = new Map<string, KnownHostEntry>();
  /** Position of each entry: its file's place in the list, then its line (appended lines after). */
  private readonly rank = new Map<KnownHostEntry, number>();

  constructor(private readonly files: readonly string[], entries: readonly KnownHostEntry[]) {
    for (const e of entries) this.add(e);
  }

  add(e: KnownHostEntry): void {
    this.rank.set(e, Math.max(this.files.indexOf(e.file), 0) * 2 ** 32 + e.line);
    if (e.marker === 'revoked') {
      const k = e.key.toString('base64');
      const had = this.revokedKeys.get(k);
      if (!had || this.rank.get(had)! > this.rank.get(e)!) this.revokedKeys.set(k, e);
    }
    const patterns = e.patterns;
    if (!patterns || patterns.some((p) => PATTERN_CHARS.test(p))) {
      this.scanned.push(e);
      return;
    }
    for (const name of new Set(patterns.map((p) => p.toLowerCase()))) {
      const list = this.exact.get(name);
      if (list) list.push(e);
      else this.exact.set(name, [e]);
    }
  }

  lookup(host: string, port: number): KnownHostEntry[] {
    const name = knownHostsName(host, port);
    const found = [...(this.exact.get(name) ?? []), ...this.scanned.filter((e) => entryMatches(e, name))];
    return found.sort((a, b) => this.rank.get(a)! - this.rank.get(b)!);
  }

  revoked(key: Buffer): KnownHostEntry | undefined {
    return this.revokedKeys.get(key.toString('base64'));
  }
}

/** stamps: each file's fileStamp when read; lines: each file's number of lines (an appended line is the next). */
interface Cached { stamps: string[]; index: KnownHostsIndex; lines: Map<string, number> }

export class KnownHostsCache {
  private readonly byList = new Map<string, Cached>();
  /** One refresh or append at a time, so an append and a re-read never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The index of these files, read again when one of them changed on disk since it was built. */
  get(files: readonly string[]): Promise<KnownHosts> {
    return this.serial(async () => {
      const key = files.join('\0');
      const stamps = await Promise.all(files.map(fileStamp));
      const cached = this.byList.get(key);
      if (cached && cached.stamps.every((s, i) => s === stamps[i])) return cached.index;
      const entries: KnownHostEntry[] = [];
      const lines = new Map<string, number>();
      for (const file of files) {
        const text = await readFile(file, 'utf8').catch(() => '');
        entries.push(...parseKnownHosts(text, file));
        lines.set(file, text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
      }
      const fresh = { stamps, index: new KnownHostsIndex(files, entries), lines };
      this.byList.set(key, fresh);
      return fresh.index;
    });
  }

  /** After `line` was appended to `file` by this process: the indexes that read it take the entry. */
  appended(file: string, line: string): Promise<void> {
    return this.serial(async () => {
      const stamp = await fileStamp(file);
      for (const [key, cached] of this.byList) {
        const at = key.split('\0').indexOf(file);
        if (at < 0) continue;
        const n = (cached.lines.get(file) ?? 0) + 1;
        cached.lines.set(file, n);
        for (const e of parseKnownHosts(line, file)) cached.index.add({ ...e, line: n });
        cached.stamps[at] = stamp;
      }
    });
  }
}
