/**
 * ~/.ssh/config (and /etc/ssh/ssh_config) through the ssh-config package: Include resolved, Match exec
 * never run, merged with the inventory's ConnectionSpec (the inventory wins).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import picomatch from 'picomatch';
import SSHConfig from 'ssh-config';
import type { ConnectionSpec } from '../model/inventory.js';
import type { HostKeyPolicy } from './host-key-policy.js';

/** Everything needed to open one hop, after config and inventory are merged. */
export interface SshSettings {
  /** The name the host is known by (inventory name or jump host spec). */
  name: string;
  hostName: string;
  port: number;
  user: string;
  identityFiles: string[];
  /** True when IdentityFile came from config or inventory (not the defaults). */
  identitiesExplicit: boolean;
  identitiesOnly: boolean;
  /** IdentityAgent socket path, "none", or undefined for SSH_AUTH_SOCK. */
  identityAgent?: string;
  proxyJump?: string;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  hashKnownHosts: boolean;
  hostKeyAlias?: string;
  strictHostKeyChecking: HostKeyPolicy;
  connectTimeoutMs: number;
  serverAliveIntervalMs: number;
  serverAliveCountMax: number;
  passwordAuthentication: boolean;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Reads a config file with every Include inlined (paths relative to ~/.ssh, or /etc/ssh for system files). */
export function readConfigText(file: string, depth = 0): string {
  if (depth > 16) return '';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  const base = file.startsWith('/etc/ssh') ? '/etc/ssh' : join(homedir(), '.ssh');
  return text
    .split('\n')
    .map((line) => {
      const m = /^\s*include\s*[=\s]\s*(.+)$/i.exec(line);
      if (!m?.[1]) return line;
      return splitWords(m[1])
        .flatMap((p) => expandGlob(expandTilde(p), base))
        .map((f) => readConfigText(f, depth + 1))
        .join('\n');
    })
    .join('\n');
}

function expandGlob(pattern: string, base: string): string[] {
  const abs = isAbsolute(pattern) ? pattern : join(base, pattern);
  if (!/[*?[]/.test(abs)) return [abs];
  const dir = dirname(abs);
  const isMatch = picomatch(basename(abs), { dot: false });
  try {
    return readdirSync(dir).filter((f) => isMatch(f)).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function splitWords(s: string): string[] {
  return (s.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"(.*)"$/, '$1'));
}

export function expandTilde(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/** Parses the user's and the system's config (first value wins, user first). Missing files are empty. */
export function loadSshConfig(files: string[] = [join(homedir(), '.ssh', 'config'), '/etc/ssh/ssh_config']): SSHConfig {
  return SSHConfig.parse(files.map((f) => readConfigText(f)).join('\n'));
}

type Computed = Record<string, string | string[]>;

function first(c: Computed, key: string): string | undefined {
  const v = c[key];
  return Array.isArray(v) ? v[0] : v;
}

function list(c: Computed, key: string): string[] {
  const v = c[key];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(/\s+/)).filter((x) => x !== '');
}

function yesNo(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return /^(yes|true)$/i.test(v);
}

export function parsePolicy(v: string | undefined): HostKeyPolicy | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (s === 'no' || s === 'off' || s === 'false') return 'no';
  if (s === 'accept-new') return 'accept-new';
  return 'yes'; // yes, ask (no one to ask) and anything else: strict
}

/** Expands the %-tokens OpenSSH allows in IdentityFile and UserKnownHostsFile. */
function expandTokens(p: string, s: { hostName: string; port: number; user: string; name: string }): string {
  const tokens: Record<string, string> = {
    '%': '%', d: homedir(), h: s.hostName, p: String(s.port), r: s.user, u: localUser(), n: s.name,
  };
  return expandTilde(p.replace(/%([%dhprun])/g, (_, t: string) => tokens[t] ?? ''));
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

/** Options that may come from ansible_ssh_common_args / ansible_ssh_extra_args ("-o Key=Value", "-J jump"). */
export function parseSshArgs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  const words = splitWords(args);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const next = words[i + 1];
    if (w === '-o' && next) {
      const m = /^([A-Za-z]+)\s*[= ]\s*(.*)$/.exec(next);
      if (m?.[1] && m[2] !== undefined) out[m[1].toLowerCase()] = m[2];
      i++;
    } else if (w.startsWith('-o') && w.length > 2) {
      const m = /^([A-Za-z]+)\s*[= ]\s*(.*)$/.exec(w.slice(2));
      if (m?.[1] && m[2] !== undefined) out[m[1].toLowerCase()] = m[2];
    } else if (w === '-J' && next) {
      out.proxyjump = next;
      i++;
    }
  }
  return out;
}

/** Merges inventory (wins) and ssh config into the settings for one host. */
export function resolveSshSettings(spec: ConnectionSpec, config: SSHConfig | null): SshSettings {
  const extraArgs = [spec.extra.ansible_ssh_common_args, spec.extra.ansible_ssh_extra_args]
    .filter((x): x is string => typeof x === 'string')
    .map(parseSshArgs)
    .reduce<Computed>((a, b) => ({ ...b, ...a }), {});
  const fromConfig = config ? config.compute(spec.address, { ignoreCase: true, matchExec: false }) : {};
  const c: Computed = { ...fromConfig, ...extraArgs };
  const explicitAddress = spec.address !== spec.host;
  const hostName = explicitAddress ? spec.address : (first(c, 'hostname') ?? spec.address);
  const port = spec.port ?? Number(first(c, 'port') ?? 22);
  const user = spec.user ?? first(c, 'user') ?? localUser();
  const names = { hostName, port, user, name: spec.host };
  const configured = spec.privateKeyFile ? [spec.privateKeyFile] : list(c, 'identityfile');
  const identityFiles = (configured.length > 0
    ? configured
    : ['~/.ssh/id_rsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ed25519']
  ).map((f) => expandTokens(f, names));
  const userKnown = spec.knownHostsFile
    ? [spec.knownHostsFile]
    : list(c, 'userknownhostsfile').length > 0
      ? list(c, 'userknownhostsfile')
      : ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
  const globalKnown = list(c, 'globalknownhostsfile');
  const connectTimeout = spec.connectTimeout ?? (first(c, 'connecttimeout') ? Number(first(c, 'connecttimeout')) : undefined);
  const agent = first(c, 'identityagent');
  const settings: SshSettings = {
    name: spec.host,
    hostName,
    port,
    user,
    identityFiles,
    identitiesExplicit: configured.length > 0,
    identitiesOnly: yesNo(first(c, 'identitiesonly'), false),
    userKnownHostsFiles: userKnown.map((f) => expandTokens(f, names)).filter((f) => f !== 'none'),
    globalKnownHostsFiles: (globalKnown.length > 0 ? globalKnown : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'])
      .map((f) => expandTokens(f, names))
      .filter((f) => f !== 'none'),
    hashKnownHosts: yesNo(first(c, 'hashknownhosts'), false),
    strictHostKeyChecking: spec.hostKeyChecking ?? parsePolicy(first(c, 'stricthostkeychecking')) ?? 'yes',
    connectTimeoutMs: connectTimeout && connectTimeout > 0 ? connectTimeout * 1000 : DEFAULT_CONNECT_TIMEOUT_MS,
    serverAliveIntervalMs: Number(first(c, 'serveraliveinterval') ?? 15) * 1000,
    serverAliveCountMax: Number(first(c, 'serveralivecountmax') ?? 3),
    passwordAuthentication: yesNo(first(c, 'passwordauthentication'), true),
  };
  const jump = first(c, 'proxyjump');
  if (jump && jump.toLowerCase() !== 'none') settings.proxyJump = jump;
  if (agent) settings.identityAgent = expandTokens(agent, names);
  const alias = first(c, 'hostkeyalias');
  if (alias) settings.hostKeyAlias = alias;
  return settings;
}

/** Parses "user@host:port" or "ssh://user@host:port" (one ProxyJump hop) into a ConnectionSpec for it. */
export function parseJumpHop(hop: string): ConnectionSpec {
  const m = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hop.trim());
  if (!m?.[2]) return { host: hop, kind: 'ssh', address: hop, become: false, extra: {} };
  const address = m[2].replace(/^\[(.*)\]$/, '$1');
  const spec: ConnectionSpec = { host: address, kind: 'ssh', address, become: false, extra: {} };
  if (m[1]) spec.user = m[1];
  if (m[3]) spec.port = Number(m[3]);
  return spec;
}
