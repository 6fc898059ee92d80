/** The engine's entry point to transports: local for kind 'local', SSH otherwise. */
import pLimit from 'p-limit';
import type { ConnectionSpec } from '../model/inventory.js';
import { createLocalTransport } from './local.js';
import { DEFAULT_HANDSHAKE_CONCURRENCY, type SshPool } from './pool.js';
import { loadSshConfig } from './ssh-config.js';
import type { Limiter } from './ssh-connection.js';
import { createSshTransport, type SshOptions } from './ssh-transport.js';
import type { Transport } from './transport.js';

export interface CreateTransportOptions extends SshOptions {
  /** When given, SSH transports come from (and stay in) this pool: one connection per host. */
  pool?: SshPool;
}

let shared: { sshConfig: ReturnType<typeof loadSshConfig>; limitHandshake: Limiter } | undefined;

/** Without a pool, transports still share one handshake limit and one reading of ~/.ssh/config. */
function sharedDefaults(): NonNullable<typeof shared> {
  if (!shared) {
    const limit = pLimit(DEFAULT_HANDSHAKE_CONCURRENCY);
    shared = { sshConfig: loadSshConfig(), limitHandshake: (fn) => limit(fn) };
  }
  return shared;
}

export function createTransport(spec: ConnectionSpec, opts: CreateTransportOptions = {}): Transport {
  if (spec.kind === 'local') return createLocalTransport(spec);
  const { pool, ...options } = opts;
  if (pool) return pool.get(spec);
  const defaults = sharedDefaults();
  return createSshTransport(spec, {
    ...options,
    sshConfig: options.sshConfig === undefined ? defaults.sshConfig : options.sshConfig,
    limitHandshake: options.limitHandshake ?? defaults.limitHandshake,
  });
}

export { SshPool, type SshPoolOptions } from './pool.js';
export { loadSshConfig, type SshConfig } from './ssh-config.js';
export { describeSshConnection, formatSshConnection, viewOfSettings, type SshConnectionView } from './ssh-connection-view.js';
export { SshTransport, createSshTransport, type SshOptions, type ReconnectOptions } from './ssh-transport.js';
export type { ExecRequest, ExecResult, Transport } from './transport.js';
