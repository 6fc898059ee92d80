/**
 * OpenSSH known_hosts files: parse (plain and hashed |1|salt|hmac entries, [host]:port, patterns with
 * ? * and !, @revoked, @cert-authority), look a host up, and append a key in OpenSSH's format.
 * Pure functions over text, plus two small file helpers.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export type KnownHostMarker = 'revoked' | 'cert-authority' | null;

export interface KnownHostEntry {
  file: string;
  /** 1-based line number in file. */
  line: number;
  marker: KnownHostMarker;
  /** Comma-separated patterns of a plain entry; null for a hashed one. */
  patterns: string[] | null;
  /** Salt and HMAC-SHA1 of a hashed (|1|salt|hmac) entry. */
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  /** The public key blob (the base64 field decoded). */
  key: Buffer;
}

/** Parses one known_hosts file's text; lines that cannot be parsed are skipped, as OpenSSH does. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const entry = parseKnownHostsLine(lines[i] ?? '', file, i + 1);
    if (entry) entries.push(entry);
  }
  return entries;
}

function parseKnownHostsLine(raw: string, file: string, line: number): KnownHostEntry | null {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return null;
  const fields = text.split(/\s+/);
  let marker: KnownHostMarker = null;
  if (fields[0]?.startsWith('@')) {
    const m = fields.shift();
    if (m === '@revoked') marker = 'revoked';
    else if (m === '@cert-authority') marker = 'cert-authority';
    else return null;
  }
  const [hostField, keyType, keyBase64] = fields;
  if (!hostField || !keyType || !keyBase64) return null;
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length === 0 || keyTypeOf(key) !== keyType) return null;
  let hashed: KnownHostEntry['hashed'] = null;
  let patterns: string[] | null = null;
  if (hostField.startsWith('|1|')) {
    const [salt, hash] = hostField.slice(3).split('|');
    if (!salt || !hash) return null;
    hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
  } else {
    patterns = hostField.split(',').filter((p) => p !== '');
  }
  return { file, line, marker, patterns, hashed, keyType, key };
}

/** The name OpenSSH looks up: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port = 22): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Does one wildcard pattern (? and *) match the name? Case-insensitive. */
export function matchPattern(name: string, pattern: string): boolean {
  const re = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(name.toLowerCase());
}

/** OpenSSH's pattern-list rule: any negated match excludes; otherwise one positive match is needed. */
export function matchPatternList(name: string, patterns: string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(name, p.slice(1))) return false;
    } else if (matchPattern(name, p)) {
      matched = true;
    }
  }
  return matched;
}

/** Does the entry apply to this host name (already in knownHostsName form)? */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed) {
    const h = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return h.equals(entry.hashed.hash);
  }
  return matchPatternList(name, entry.patterns ?? []);
}

/** Every entry (any marker) that applies to host:port, in file order. */
export function lookupKnownHosts(entries: KnownHostEntry[], host: string, port = 22): KnownHostEntry[] {
  const name = knownHostsName(host, port);
  return entries.filter((e) => entryMatches(e, name));
}

/** Reads and parses the files in order; a missing or unreadable file counts as empty. */
export async function loadKnownHosts(files: string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    all.push(...parseKnownHosts(text, file));
  }
  return all;
}

/** The key type stored at the start of an SSH public key blob (e.g. "ssh-ed25519"). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return '';
  const len = blob.readUInt32BE(0);
  if (len > blob.length - 4 || len > 64) return '';
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's SHA256 fingerprint: "SHA256:" + unpadded base64. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** One known_hosts line, plain or hashed (as `ssh-keygen -H` writes it), without a newline. */
export function formatKnownHostsLine(host: string, port: number, key: Buffer, hash = false): string {
  const name = knownHostsName(host, port);
  let hostField = name;
  if (hash) {
    const salt = randomBytes(20);
    const mac = createHmac('sha1', salt).update(name).digest();
    hostField = `|1|${salt.toString('base64')}|${mac.toString('base64')}`;
  }
  return `${hostField} ${keyTypeOf(key)} ${key.toString('base64')}`;
}

/**
 * Appends the key for host:port to file (created with its directory if needed, mode 0600) and returns
 * the line written. Only the file's last byte is read (does it end with a newline?), not the file.
 */
export async function appendKnownHost(file: string, host: string, port: number, key: Buffer, hash = false): Promise<string> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const line = formatKnownHostsLine(host, port, key, hash);
  await appendFile(file, `${(await endsInsideLine(file)) ? '\n' : ''}${line}\n`, { mode: 0o600 });
  return line;
}

/** True when the file exists, is not empty and its last byte is not a newline. */
async function endsInsideLine(file: string): Promise<boolean> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(file, 'r');
    const { size } = await fh.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } catch {
    return false; // a new file
  } finally {
    await fh?.close();
  }
}
