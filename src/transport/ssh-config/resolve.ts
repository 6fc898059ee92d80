/**
 * What `ssh -G` computes for one host: command-line options first, then the user's and the system's
 * files (first value wins), HostName with %h, the host name lowercased (addresses canonicalized), a
 * second pass when `Match final` (or canonicalization) asks for it, then OpenSSH's defaults.
 */
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { canonicalAddress, looksLikeAddress } from './address.js';
import { validHostname, validRuser, type JumpSpec } from './jump.js';
import type { ConfigLine } from './lexer.js';
import type { ConfigFile } from './load.js';
import { OptionSet, type IdentityEntry, type Where } from './options.js';
import { defaultTokens, expandTilde, expandValue, ExpandError, type LocalIdentity, type TokenSource } from './tokens.js';
import { ConfigFileError, walkCommandLine, walkFile, type WalkContext } from './walk.js';

/** Loaded configuration: the files in the order OpenSSH reads them. */
export interface SshConfig {
  files: ConfigFile[];
}

export interface ResolveContext {
  local: LocalIdentity;
  env: NodeJS.ProcessEnv;
  services: (name: string) => number | undefined;
  /** Runs Match exec commands (default: the user's shell). */
  exec?: (command: string) => number | null;
}

/** The host's settings as `ssh -G` prints them (before IdentityFile and ProxyCommand are expanded). */
export interface ResolvedHost {
  hostArg: string;
  hostName: string;
  port: number;
  user: string;
  options: OptionSet;
  /** As written (OpenSSH expands them when it loads them); the defaults when none is set. */
  identityFiles: IdentityEntry[];
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  identityAgent?: string;
  /** Raw; undefined for none. */
  proxyCommand?: string;
  jump?: JumpSpec & Where;
  hostKeyAlias?: string;
  tokens: TokenSource;
}

/** Raised for a value that cannot be expanded, naming where it was set. */
export class ResolveError extends ConfigFileError {}

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'];

let servicesCache: Map<string, number> | undefined;

/** getservbyname(name, "tcp") from /etc/services. */
export function lookupService(name: string): number | undefined {
  if (!servicesCache) {
    servicesCache = new Map();
    let text = '';
    try {
      text = readFileSync('/etc/services', 'utf8');
    } catch {
      // no services database: only numeric ports
    }
    for (const line of text.split('\n')) {
      const [main, portProto, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
      const m = /^([0-9]+)\/tcp$/.exec(portProto ?? '');
      if (!main || !m) continue;
      for (const n of [main, ...aliases]) if (!servicesCache.has(n)) servicesCache.set(n, Number(m[1]));
    }
  }
  return servicesCache.get(name);
}

/** The local user, uid, home (user database, as OpenSSH's getpwuid) and host name. */
export function localIdentity(): LocalIdentity {
  let info: { username: string; uid: number; homedir: string };
  try {
    info = userInfo();
  } catch {
    info = { username: process.env.USER ?? '', uid: process.getuid?.() ?? 0, homedir: process.env.HOME ?? '/' };
  }
  return { user: info.username, uid: info.uid, home: info.homedir, hostName: hostname() };
}

export function defaultResolveContext(): ResolveContext {
  return { local: localIdentity(), env: process.env, services: lookupService };
}

function walkAll(config: SshConfig | null, opts: OptionSet, ctx: WalkContext): void {
  for (const file of config?.files ?? []) walkFile(file, opts, ctx, { active: true }, false);
}

/**
 * Resolves one host as `ssh [command-line options] hostArg` would; `origin` names where the host
 * and the command-line options come from in errors.
 */
export function resolveHost(hostArg: string, commandLine: ConfigLine[], config: SshConfig | null, rc: ResolveContext, origin: { file: string; line?: number } = { file: 'command line' }): ResolvedHost {
  const opts = new OptionSet();
  const ctx: WalkContext = {
    host: hostArg, hostArg, final: false, local: rc.local, services: rc.services, wantFinal: false, ...(rc.exec ? { exec: rc.exec } : {}),
  };
  walkCommandLine(commandLine, opts, ctx);
  // what ssh refuses on its command line, before reading any file (they end up in %tokens and shells)
  const cmdUser = opts.get('user');
  if (cmdUser && !validRuser(cmdUser.value)) {
    throw new ResolveError([{ file: cmdUser.file, ...(cmdUser.line > 0 ? { line: cmdUser.line } : {}), message: `remote username contains invalid characters: ${JSON.stringify(cmdUser.value)}` }]);
  }
  if (!validHostname(hostArg)) throw new ResolveError([{ ...origin, message: `hostname contains invalid characters: ${JSON.stringify(hostArg)}` }]);
  walkAll(config, opts, ctx);
  let host = hostArg;
  const hostNameOpt = opts.get('hostname');
  if (hostNameOpt) {
    host = expandAt(hostNameOpt, () => expandValue(hostNameOpt.value, { h: hostArg }, null));
    opts.replace('hostname', { ...hostNameOpt, value: host });
  }
  if (looksLikeAddress(host) || canonicalAddress(host) !== null) host = canonicalAddress(host) ?? host;
  else host = host.toLowerCase();
  const canonicalize = opts.get('canonicalizehostname')?.value ?? 'no';
  if (ctx.wantFinal || !/^(no|false)$/.test(canonicalize)) {
    opts.replace('hostname', { ...(hostNameOpt ?? { file: 'ssh', line: 0 }), value: host });
    walkAll(config, opts, { ...ctx, host, final: true });
  }
  const user = opts.get('user')?.value ?? rc.local.user;
  const port = Number(opts.get('port')?.value ?? 22);
  const aliasOpt = opts.get('hostkeyalias');
  const hostKeyAlias = aliasOpt?.value.toLowerCase();
  const tokens: TokenSource = { host, hostArg, port, user, hostKeyAlias, local: rc.local };
  const expand = (v: string, where: Where) => expandAt(where, () => expandValue(expandTilde(v, rc.local.home), defaultTokens(tokens), rc.env));
  const identityFiles = opts.identityFiles.length > 0
    ? [...opts.identityFiles]
    : DEFAULT_IDENTITIES.map((f) => ({ path: `~/.ssh/${f}`, userProvided: false, file: 'default', line: 0 }));
  const userKnown = opts.get('userknownhostsfile');
  const globalKnown = opts.get('globalknownhostsfile');
  const resolved: ResolvedHost = {
    hostArg, hostName: host, port, user, options: opts, identityFiles, tokens,
    userKnownHostsFiles: userKnown
      ? noneToEmpty(userKnown.words ?? []).map((f) => expand(f, userKnown))
      : ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'].map((f) => expandTilde(f, rc.local.home)),
    globalKnownHostsFiles: globalKnown ? noneToEmpty(globalKnown.words ?? []) : ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
  };
  const agent = opts.get('identityagent');
  if (agent) resolved.identityAgent = expand(agent.value, agent);
  const command = opts.get('proxycommand');
  if (command && command.value.toLowerCase() !== 'none') resolved.proxyCommand = command.value;
  if (opts.jump && !opts.jump.none) resolved.jump = opts.jump;
  if (hostKeyAlias !== undefined) resolved.hostKeyAlias = hostKeyAlias;
  return resolved;
}

function noneToEmpty(words: string[]): string[] {
  return words.length === 1 && words[0]?.toLowerCase() === 'none' ? [] : words;
}

/** Runs an expansion; its failure becomes a problem at the line that set the value. */
export function expandAt<T>(where: Where, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ExpandError)) throw err;
    throw new ResolveError([{ file: where.file, line: where.line, message: err.message }]);
  }
}
