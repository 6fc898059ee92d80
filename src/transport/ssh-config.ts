/**
 * ~/.ssh/config and /etc/ssh/ssh_config read as `ssh -G` reads them, merged with the inventory the
 * way Ansible's ssh connection passes it (`-o User=… -o Port=… -o IdentityFile=…` and
 * ansible_ssh_common_args/extra_args before the files, the inventory's address as the host), into
 * the settings remedy connects with. Whatever remedy cannot honour for a host is refused (ConfigError).
 */
import { join } from 'node:path';
import { ConfigError } from '../model/errors.js';
import type { ConnectionSpec } from '../model/inventory.js';
import type { HostKeyPolicy } from './host-key-policy.js';
import { parseSshArgs, specOptions } from './ssh-args.js';
import { lookupKeyword } from './ssh-config/keywords.js';
import type { ConfigLine } from './ssh-config/lexer.js';
import { loadConfigFile, parseConfigText, type ConfigFile, type LoadOptions } from './ssh-config/load.js';
import type { Where } from './ssh-config/options.js';
import { defaultResolveContext, expandAt, localIdentity, resolveHost, type ResolveContext, type ResolvedHost, type SshConfig } from './ssh-config/resolve.js';
import { sharedList } from './shared-lists.js';
import { defaultTokens, expandTilde, expandValue, proxyTokens } from './ssh-config/tokens.js';
import { ConfigFileError } from './ssh-config/walk.js';

export type { SshConfig } from './ssh-config/resolve.js';

/** How a host is reached: directly, through a ProxyCommand's stdin/stdout, or through a jump host. */
export type SshRoute =
  | { kind: 'direct' }
  /** `command` is what runs (`exec …`, tokens expanded); `raw` as written. */
  | { kind: 'proxy-command'; command: string; raw: string; where: Where }
  | { kind: 'jump'; via: SshSettings; where: Where };

/** Everything needed to open one hop, after config and inventory are merged. */
export interface SshSettings {
  /** The name the host is known by (inventory name, or the jump host as written). */
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
  route: SshRoute;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  hashKnownHosts: boolean;
  hostKeyAlias?: string;
  strictHostKeyChecking: HostKeyPolicy;
  connectTimeoutMs: number;
  serverAliveIntervalMs: number;
  serverAliveCountMax: number;
  passwordAuthentication: boolean;
  pubkeyAuthentication: boolean;
  /** No passphrase prompts. */
  batchMode: boolean;
  addressFamily: 'any' | 'inet' | 'inet6';
  bindAddress?: string;
  /**
   * What `ssh -G` would print, with where each value came from: kept only when asked for
   * (`{ explain: true }`: `remedy inventory --host`); a run drops it, it is most of a host's settings.
   */
  resolved?: ResolvedHost;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** remedy notices a dead connection with keepalives unless ServerAliveInterval says otherwise. */
export const DEFAULT_SERVER_ALIVE_INTERVAL_S = 15;
const MAX_JUMP_DEPTH = 10;
/** Shared by every host reached directly. */
const DIRECT: SshRoute = Object.freeze({ kind: 'direct' });

/**
 * Parses the user's and the system's config (first value wins, user first); default files may be
 * missing. As ssh, the user's file is in the home directory of the user database, not $HOME.
 */
export function loadSshConfig(files?: string[], opts: LoadOptions = {}): SshConfig {
  const sources = files
    ? files.map((path) => ({ path, user: true, checkPermissions: false, required: true }))
    : [
      { path: join(opts.home ?? localIdentity().home, '.ssh', 'config'), user: true, checkPermissions: true, required: false },
      { path: '/etc/ssh/ssh_config', user: false, checkPermissions: false, required: false },
    ];
  try {
    return { files: sources.map((s) => loadConfigFile(s, opts)).filter((f): f is ConfigFile => f !== undefined) };
  } catch (err) {
    throw new ConfigError({ file: files?.[0] ?? '~/.ssh/config', message: (err as Error).message });
  }
}

/** Config given as text (tests, tools), read as a user's file named `name`. */
export function parseSshConfig(text: string, name = 'ssh_config', opts: LoadOptions = {}): SshConfig {
  return { files: [parseConfigText(text, name, true, opts)] };
}

export function parsePolicy(v: string | undefined): HostKeyPolicy | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (s === 'no' || s === 'off' || s === 'false') return 'no';
  if (s === 'accept-new') return 'accept-new';
  return 'yes'; // yes, ask (no one to ask)
}

/** Runs a resolution step; OpenSSH's config problems become a ConfigError naming file:line. */
function asConfigError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigFileError) throw new ConfigError(err.problems);
    throw err;
  }
}

/** Merges inventory and ssh config into the settings for one host (ConfigError when it cannot be honoured). */
export function resolveSshSettings(spec: ConnectionSpec, config: SshConfig | null, rc: ResolveContext = defaultResolveContext(), opts: { explain?: boolean } = {}): SshSettings {
  const explain = opts.explain ?? false;
  return asConfigError(() => settingsFor(spec.host, spec.address, [...specOptions(spec), ...parseSshArgs(spec.extra)], config, rc, 0, { file: `inventory (${spec.host})` }, explain));
}

function settingsFor(name: string, hostArg: string, commandLine: ConfigLine[], config: SshConfig | null, rc: ResolveContext, depth: number, origin: { file: string; line?: number }, explain: boolean): SshSettings {
  const r = resolveHost(hostArg, commandLine, config, rc, origin);
  refuseUnsupported(name, r);
  const o = r.options;
  const expand = (v: string, where: Where) => expandAt(where, () => expandValue(expandTilde(v, rc.local.home), defaultTokens(r.tokens), rc.env));
  const explicit = r.identityFiles.filter((f) => f.file !== 'default');
  const num = (option: string): number | undefined => (o.get(option) ? Number(o.get(option)?.value) : undefined);
  const connectTimeout = num('connecttimeout');
  const settings: SshSettings = {
    name,
    hostName: r.hostName,
    port: r.port,
    user: r.user,
    identityFiles: sharedList(r.identityFiles.filter((f) => f.path.toLowerCase() !== 'none').map((f) => expand(f.path, f))),
    identitiesExplicit: explicit.length > 0,
    identitiesOnly: o.get('identitiesonly')?.value === 'yes',
    route: DIRECT,
    userKnownHostsFiles: sharedList(r.userKnownHostsFiles),
    globalKnownHostsFiles: sharedList(r.globalKnownHostsFiles),
    hashKnownHosts: o.get('hashknownhosts')?.value === 'yes',
    strictHostKeyChecking: parsePolicy(o.get('stricthostkeychecking')?.value) ?? 'yes',
    connectTimeoutMs: connectTimeout && connectTimeout > 0 ? connectTimeout * 1000 : DEFAULT_CONNECT_TIMEOUT_MS,
    serverAliveIntervalMs: (num('serveraliveinterval') ?? DEFAULT_SERVER_ALIVE_INTERVAL_S) * 1000,
    serverAliveCountMax: num('serveralivecountmax') ?? 3,
    passwordAuthentication: o.get('passwordauthentication')?.value !== 'no',
    pubkeyAuthentication: !/^(no|false)$/.test(o.get('pubkeyauthentication')?.value ?? 'yes'),
    batchMode: o.get('batchmode')?.value === 'yes',
    addressFamily: (o.get('addressfamily')?.value ?? 'any') as SshSettings['addressFamily'],
  };
  if (explain) settings.resolved = r;
  if (r.identityAgent !== undefined) settings.identityAgent = agentSocket(r.identityAgent, rc.env);
  if (r.hostKeyAlias !== undefined) settings.hostKeyAlias = r.hostKeyAlias;
  const bind = o.get('bindaddress');
  if (bind) settings.bindAddress = bind.value;
  settings.route = routeOf(r, config, rc, depth, explain);
  return settings;
}

/** IdentityAgent: `none`, `SSH_AUTH_SOCK` (the environment's), `$VAR` (that variable's socket), or a path. */
function agentSocket(value: string, env: NodeJS.ProcessEnv): string | undefined {
  if (value === 'SSH_AUTH_SOCK') return undefined;
  if (value.startsWith('$') && !value.startsWith('${')) return env[value.slice(1)] ?? 'none';
  return value;
}

function routeOf(r: ResolvedHost, config: SshConfig | null, rc: ResolveContext, depth: number, explain: boolean): SshRoute {
  if (r.jump) {
    const j = r.jump;
    const where = { file: j.file, line: j.line };
    const jumpUser = j.hop.user ?? r.user;
    if (j.hop.host === r.hostName && (j.hop.port ?? 22) === r.port && jumpUser === r.user) {
      throw new ConfigFileError([{ ...where, message: `jumphost loop via ${j.hop.host}` }]);
    }
    if (depth >= MAX_JUMP_DEPTH) {
      throw new ConfigFileError([{ ...where, message: `ProxyJump chain deeper than ${MAX_JUMP_DEPTH} hosts (a loop between jump hosts?)` }]);
    }
    // ssh runs `ssh [-l user] [-p port] [-J extra] host -W %h:%p` with the target's tokens expanded
    const tokens = proxyTokens(r.tokens);
    const ex = (s: string) => expandAt(where, () => expandValue(s, tokens, null));
    const hopHost = ex(j.hop.host);
    const lines: ConfigLine[] = [];
    // what the ssh -J child gets on its command line, named by the ProxyJump line in errors
    const line = (keyword: string, value: string): ConfigLine => ({ file: j.file, line: j.line, keyword, rest: value, args: [value] });
    if (j.hop.user !== undefined) lines.push(line('user', ex(j.hop.user)));
    if (j.hop.port !== undefined) lines.push(line('port', String(j.hop.port)));
    if (j.extra !== undefined) lines.push(line('proxyjump', ex(j.extra)));
    return { kind: 'jump', via: settingsFor(hopHost, hopHost, lines, config, rc, depth + 1, where, explain), where };
  }
  if (r.proxyCommand !== undefined) {
    const c = r.options.get('proxycommand') as NonNullable<ReturnType<typeof r.options.get>>;
    if (r.proxyCommand === '-') {
      throw new ConfigFileError([{ file: c.file, line: c.line, message: `ProxyCommand - (host ${r.hostArg}): remedy has no stdin/stdout connection to use` }]);
    }
    const command = expandAt(c, () => expandValue(`exec ${r.proxyCommand}`, proxyTokens(r.tokens), null));
    return { kind: 'proxy-command', command, raw: r.proxyCommand, where: { file: c.file, line: c.line } };
  }
  return DIRECT;
}

/** Refuses keywords that would change where or how remedy connects and that it does not implement. */
function refuseUnsupported(name: string, r: ResolvedHost): void {
  const problems = [];
  for (const [option, v] of r.options.entries()) {
    const reason = lookupKeyword(option)?.refuse?.(v.value);
    if (reason) problems.push({ file: v.file, line: v.line, message: `${option} ${v.value} (host ${name}): ${reason}` });
  }
  for (const c of r.options.certificateFiles) {
    problems.push({ file: c.file, line: c.line, message: `certificatefile ${c.path} (host ${name}): remedy cannot authenticate with certificates` });
  }
  if (problems.length > 0) throw new ConfigFileError(problems);
}
