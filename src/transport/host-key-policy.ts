/**
 * Host key checking as OpenSSH does it: a pure verdict from the known_hosts entries and the key the
 * server sent, then a decision from StrictHostKeyChecking (yes | accept-new | no).
 */
import { fingerprintOf, type KnownHostEntry, keyTypeOf } from './known-hosts.js';
import type { KnownHosts } from './known-hosts-index.js';

export type HostKeyPolicy = 'yes' | 'accept-new' | 'no';

export type HostKeyVerdict =
  | { status: 'match'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  /** No key of the server's type is known; `others` lists keys of other types known for the host. */
  | { status: 'unknown'; others: KnownHostEntry[]; certAuthorities: KnownHostEntry[] }
  /** A key of the same type is known and differs. */
  | { status: 'changed'; expected: KnownHostEntry[] };

/** Compares the server's key with the entries for host:port. */
export function checkHostKey(known: KnownHosts, host: string, port: number, key: Buffer): HostKeyVerdict {
  const found = known.lookup(host, port);
  const revoked = known.revoked(key);
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = found.filter((e) => e.marker === null);
  const match = plain.find((e) => e.key.equals(key));
  if (match) return { status: 'match', entry: match };
  const type = keyTypeOf(key);
  const sameType = plain.filter((e) => e.keyType === type);
  if (sameType.length > 0) return { status: 'changed', expected: sameType };
  return {
    status: 'unknown',
    others: plain,
    certAuthorities: found.filter((e) => e.marker === 'cert-authority'),
  };
}

/** Key types known for the host, in the order OpenSSH would prefer them (file order). */
export function knownKeyTypes(known: KnownHosts, host: string, port: number): string[] {
  const types: string[] = [];
  for (const e of known.lookup(host, port)) {
    if (e.marker === null && !types.includes(e.keyType)) types.push(e.keyType);
  }
  return types;
}

export interface HostKeyDecision {
  allow: boolean;
  /** accept-new on an unknown host: append the key to the user's known_hosts. */
  append: boolean;
  kind?: 'host-key-unknown' | 'host-key-changed' | 'host-key-revoked';
  /** Why it was refused, or the warning when it was let through. */
  message?: string;
  warning?: string;
}

/** Applies the policy; `label` names the host in messages, e.g. "web01 (127.0.1.5:22)". */
export function decideHostKey(verdict: HostKeyVerdict, policy: HostKeyPolicy, label: string, key: Buffer): HostKeyDecision {
  const sent = `${keyTypeOf(key)} ${fingerprintOf(key)}`;
  switch (verdict.status) {
    case 'match':
      return { allow: true, append: false };
    case 'revoked':
      return {
        allow: false,
        append: false,
        kind: 'host-key-revoked',
        message: `${label}: host key revoked: server sent ${sent}, marked @revoked at ${where(verdict.entry)}`,
      };
    case 'changed': {
      const message = `${label}: host key changed: known_hosts has ${verdict.expected.map(describe).join(', ')}; server sent ${sent}`;
      if (policy === 'no') return { allow: true, append: false, warning: `${message} (host key checking is off)` };
      return { allow: false, append: false, kind: 'host-key-changed', message };
    }
    case 'unknown': {
      let message = `${label}: host key unknown: server sent ${sent}`;
      if (verdict.others.length > 0) message += `; known_hosts holds only ${verdict.others.map(describe).join(', ')}`;
      if (verdict.certAuthorities.length > 0 && verdict.others.length === 0) {
        message += `; @cert-authority entries (${verdict.certAuthorities.map(where).join(', ')}) are not supported by remedy`;
      }
      if (policy === 'no') return { allow: true, append: false, warning: `${message} (host key checking is off)` };
      if (policy === 'accept-new') return { allow: true, append: true };
      return { allow: false, append: false, kind: 'host-key-unknown', message };
    }
  }
}

function where(e: KnownHostEntry): string {
  return `${e.file}:${e.line}`;
}

function describe(e: KnownHostEntry): string {
  return `${e.keyType} ${fingerprintOf(e.key)} at ${where(e)}`;
}

/** "web01 (127.0.1.5:22)", or just the address when it is the name. */
export function hostLabel(name: string, address: string, port: number): string {
  return name === address ? `${address}:${port}` : `${name} (${address}:${port})`;
}
