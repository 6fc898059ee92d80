/** The engine's entry point to transports: local for kind 'local', SSH otherwise. */
import type { ConnectionSpec } from '../model/inventory.js';
import { createLocalTransport } from './local.js';
import { SshPool, type SshPoolOptions } from './pool.js';
import { createSshTransport, type SshOptions } from './ssh-transport.js';
import type { Transport } from './transport.js';

export interface CreateTransportOptions extends SshOptions {
  /** When given, SSH transports come from (and stay in) this pool: one connection per host. */
  pool?: SshPool;
}

/** One transport for one host: the pool's when a pool is given, else one of its own. */
export function createTransport(spec: ConnectionSpec, opts: CreateTransportOptions = {}): Transport {
  if (spec.kind === 'local') return createLocalTransport(spec);
  const { pool, ...options } = opts;
  return pool ? pool.get(spec) : createSshTransport(spec, options);
}

/**
 * What a run uses to reach its hosts, built once by the composition root (src/cli): one SSH
 * connection per host, one reading of ~/.ssh/config and one handshake limit for the whole run.
 */
export function createTransportFactory(options: SshPoolOptions = {}): (spec: ConnectionSpec) => Transport {
  const pool = new SshPool(options);
  return (spec) => createTransport(spec, { pool });
}

export { SshPool, type SshPoolOptions } from './pool.js';
export { loadSshConfig, type SshConfig } from './ssh-config.js';
export { describeSshConnection, formatSshConnection, viewOfSettings, type SshConnectionView } from './ssh-connection-view.js';
export { SshTransport, createSshTransport, type SshOptions, type ReconnectOptions } from './ssh-transport.js';
export { PASSPHRASE_ENV, promptOnTty } from './ssh-auth.js';
export type { ExecRequest, ExecResult, Transport } from './transport.js';
