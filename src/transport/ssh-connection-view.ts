/**
 * The connection remedy will use for one host, as a plain object (for `remedy inventory --host`):
 * where it connects, as whom, with which keys and known_hosts files, through what, under which host
 * key policy, and where each setting came from (file:line, the inventory, or OpenSSH's default).
 */
import type { ConnectionSpec } from '../model/inventory.js';
import type { HostKeyPolicy } from './host-key-policy.js';
import { loadSshConfig, resolveSshSettings, type SshConfig, type SshSettings } from './ssh-config.js';
import type { ResolveContext } from './ssh-config/resolve.js';

export interface SshConnectionView {
  /** The inventory name (or the jump host as written). */
  host: string;
  address: string;
  port: number;
  user: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  /** `SSH_AUTH_SOCK` (the environment's agent), `none`, or a socket path. */
  identityAgent: string;
  knownHostsFiles: string[];
  hostKeyAlias?: string;
  hostKeyPolicy: HostKeyPolicy;
  connectTimeoutSeconds: number;
  serverAliveIntervalSeconds: number;
  serverAliveCountMax: number;
  /** How the host is reached: directly (null), through a ProxyCommand (as it runs), or through a jump host. */
  via: { proxyCommand: string } | { jumpHost: SshConnectionView } | null;
  /** Where each setting came from: "file:line", "inventory (NAME)", "ansible_ssh_common_args" or "default". */
  from: Record<string, string>;
}

/** The view of settings resolved with `{ explain: true }`. */
export function viewOfSettings(s: SshSettings): SshConnectionView {
  if (!s.resolved) throw new Error(`internal: the settings of ${s.name} were resolved without { explain: true }`);
  const o = s.resolved.options;
  const at = (option: string): string => {
    const v = o.get(option);
    if (!v) return 'default';
    return v.line > 0 ? `${v.file}:${v.line}` : v.file;
  };
  const from: Record<string, string> = {
    address: at('hostname'),
    port: at('port'),
    user: at('user'),
    identityFiles: o.identityFiles.length > 0 ? o.identityFiles.map((f) => (f.line > 0 ? `${f.file}:${f.line}` : f.file)).join(', ') : 'default',
    knownHostsFiles: at('userknownhostsfile'),
    hostKeyPolicy: at('stricthostkeychecking'),
  };
  let via: SshConnectionView['via'] = null;
  if (s.route.kind === 'proxy-command') {
    via = { proxyCommand: s.route.command.replace(/^exec /, '') };
    from.via = `${s.route.where.file}:${s.route.where.line}`;
  } else if (s.route.kind === 'jump') {
    via = { jumpHost: viewOfSettings(s.route.via) };
    from.via = s.route.where.line > 0 ? `${s.route.where.file}:${s.route.where.line}` : s.route.where.file;
  }
  const view: SshConnectionView = {
    host: s.name,
    address: s.hostName,
    port: s.port,
    user: s.user,
    identityFiles: s.identityFiles,
    identitiesOnly: s.identitiesOnly,
    identityAgent: s.identityAgent ?? 'SSH_AUTH_SOCK',
    knownHostsFiles: [...s.userKnownHostsFiles, ...s.globalKnownHostsFiles],
    hostKeyPolicy: s.strictHostKeyChecking,
    connectTimeoutSeconds: s.connectTimeoutMs / 1000,
    serverAliveIntervalSeconds: s.serverAliveIntervalMs / 1000,
    serverAliveCountMax: s.serverAliveCountMax,
    via,
    from,
  };
  if (s.hostKeyAlias !== undefined) view.hostKeyAlias = s.hostKeyAlias;
  return view;
}

/**
 * Resolves the host from the inventory and ~/.ssh/config (or `config`) as remedy will connect;
 * throws ConfigError for what remedy cannot honour, as a run would.
 */
export function describeSshConnection(spec: ConnectionSpec, config?: SshConfig | null, rc?: ResolveContext): SshConnectionView {
  return viewOfSettings(resolveSshSettings(spec, config === undefined ? loadSshConfig() : config, rc, { explain: true }));
}

/** The view as `ssh -G`-style lines (keyword value), jump hosts indented under the host. */
export function formatSshConnection(v: SshConnectionView, indent = ''): string {
  const lines = [
    `host ${v.host}`,
    `hostname ${v.address}`,
    `port ${v.port}`,
    `user ${v.user}`,
    ...v.identityFiles.map((f) => `identityfile ${f}`),
    `identitiesonly ${v.identitiesOnly ? 'yes' : 'no'}`,
    `identityagent ${v.identityAgent}`,
    `knownhostsfiles ${v.knownHostsFiles.join(' ') || 'none'}`,
    ...(v.hostKeyAlias !== undefined ? [`hostkeyalias ${v.hostKeyAlias}`] : []),
    `stricthostkeychecking ${v.hostKeyPolicy}`,
    `connecttimeout ${v.connectTimeoutSeconds}`,
    `serveraliveinterval ${v.serverAliveIntervalSeconds}`,
    `serveralivecountmax ${v.serverAliveCountMax}`,
  ];
  if (v.via && 'proxyCommand' in v.via) lines.push(`proxycommand ${v.via.proxyCommand}`);
  let out = lines.map((l) => `${indent}${l}`).join('\n');
  if (v.via && 'jumpHost' in v.via) out += `\n${indent}proxyjump ${v.via.jumpHost.host}\n${formatSshConnection(v.via.jumpHost, `${indent}  `)}`;
  return out;
}
