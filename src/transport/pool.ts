/**
 * One SSH connection per host for the whole run, shared by every step. Handshakes have their own,
 * smaller concurrency limit than running steps (key exchange is CPU bound).
 */
import pLimit from 'p-limit';
import type { ConnectionSpec } from '../model/inventory.js';
import { KnownHostsCache } from './known-hosts-index.js';
import { IdentityCache } from './ssh-auth.js';
import { loadSshConfig } from './ssh-config.js';
import { defaultResolveContext } from './ssh-config/resolve.js';
import { SshTransport, type SshOptions } from './ssh-transport.js';

export const DEFAULT_HANDSHAKE_CONCURRENCY = 8;

export interface SshPoolOptions extends Omit<SshOptions, 'limitHandshake'> {
  /** Handshakes at once across all hosts (default 8). */
  handshakeConcurrency?: number;
  /** Receives each host's warnings (host key checking off), with the host's inventory name. */
  onWarning?: (host: string, message: string) => void;
}

export class SshPool {
  private readonly transports = new Map<string, SshTransport>();
  private readonly options: SshOptions;
  private readonly onWarning?: (host: string, message: string) => void;

  constructor(options: SshPoolOptions = {}) {
    const limit = pLimit(Math.max(options.handshakeConcurrency ?? DEFAULT_HANDSHAKE_CONCURRENCY, 1));
    const { handshakeConcurrency: _ignored, onWarning, ...rest } = options;
    this.onWarning = onWarning;
    this.options = {
      ...rest,
      // read ~/.ssh/config once for the whole run
      sshConfig: options.sshConfig === undefined ? loadSshConfig() : options.sshConfig,
      limitHandshake: (fn) => limit(fn),
      // the local user and host name, read once rather than per host
      resolveContext: options.resolveContext ?? defaultResolveContext(),
      // known_hosts and identity files: parsed once, not per host (a fleet's known_hosts has a line per host)
      knownHosts: options.knownHosts ?? new KnownHostsCache(),
      identities: options.identities ?? new IdentityCache(),
    };
  }

  /** The host's transport, created on first use and reused afterwards (keyed by inventory name). */
  get(spec: ConnectionSpec): SshTransport {
    let t = this.transports.get(spec.host);
    if (!t) {
      const warn = this.onWarning ? (message: string) => this.onWarning?.(spec.host, message) : this.options.warn;
      t = new SshTransport(spec, { ...this.options, warn });
      this.transports.set(spec.host, t);
    }
    return t;
  }

  get size(): number {
    return this.transports.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.transports.values()];
    this.transports.clear();
    await Promise.all(all.map((t) => t.close()));
  }
}
