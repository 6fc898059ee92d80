/**
 * The SSH Transport: one ssh2 connection per host, a channel limit below OpenSSH's MaxSessions (10)
 * with a queue, connection loss noticed (keepalives) and reported as 'connection-lost', and reconnect
 * with backoff for after a reboot. A connection that was lost is not opened again behind the caller's
 * back: the next exec fails as 'connection-lost' (nothing of it ran) until connect() or reconnect()
 * is called, since what held on the old connection (the host lock) went with it.
 */
import pLimit from 'p-limit';
import { UnreachableError } from '../model/errors.js';
import type { ConnectionSpec } from '../model/inventory.js';
import { hostLabel } from './host-key-policy.js';
import { loadSshConfig, resolveSshSettings, type SshConfig, type SshSettings } from './ssh-config.js';
import type { ResolveContext } from './ssh-config/resolve.js';
import { openConnection, type ConnectOptions, type SshConnection } from './ssh-connection.js';
import { execOnClient } from './ssh-exec.js';
import { shellQuote, type ExecRequest, type ExecResult, type Transport } from './transport.js';

/** Channels run at once on one connection; the 2 left of MaxSessions=10 are for kill channels. */
export const DEFAULT_CHANNEL_LIMIT = 8;

export interface SshOptions extends ConnectOptions {
  /** Parsed ssh config; null for none; default: ~/.ssh/config then /etc/ssh/ssh_config. */
  sshConfig?: SshConfig | null;
  /** Channels at once per host (default 8, at most 9). */
  channelLimit?: number;
  /** The local user, environment and services ssh config is resolved with (default: read per host). */
  resolveContext?: ResolveContext;
}

export interface ReconnectOptions {
  /** Give up after this long (default 300 s). */
  timeoutMs?: number;
  /** First wait between attempts (default 1 s), doubled up to maxDelayMs (default 10 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Stop trying when aborted (the run's second stop signal): throws at the next attempt or wait. */
  signal?: AbortSignal;
}

/** Kinds worth retrying after a reboot; the others (auth, host keys, names) will not get better. */
const RETRYABLE = new Set(['connection-refused', 'timeout', 'connection-lost', 'other', 'jump-failed']);

export class SshTransport implements Transport {
  readonly host: string;
  readonly settings: SshSettings;
  private conn: SshConnection | undefined;
  private connecting: Promise<SshConnection> | undefined;
  private lost: Promise<never> = new Promise<never>(() => undefined);
  /** Made on the first command and dropped when the connection is closed with nothing queued. */
  private channels: ReturnType<typeof pLimit> | undefined;
  private closing = false;
  /** Set when the connection was lost (not closed by us): exec refuses until connect() or reconnect(). */
  private lostWith: UnreachableError | undefined;

  constructor(private readonly spec: ConnectionSpec, private readonly options: SshOptions = {}) {
    this.host = spec.host;
    const config = options.sshConfig === undefined ? loadSshConfig() : options.sshConfig;
    this.settings = resolveSshSettings(spec, config, options.resolveContext);
  }

  private limitChannel<T>(fn: () => Promise<T>): Promise<T> {
    this.channels ??= pLimit(Math.min(Math.max(this.options.channelLimit ?? DEFAULT_CHANNEL_LIMIT, 1), 9));
    return this.channels(fn);
  }

  get label(): string {
    return hostLabel(this.host, this.settings.hostName, this.settings.port);
  }

  get connected(): boolean {
    return this.conn !== undefined;
  }

  async connect(opts: { signal?: AbortSignal } = {}): Promise<void> {
    this.lostWith = undefined;
    await this.ensure(opts.signal);
  }

  private ensure(signal?: AbortSignal): Promise<SshConnection> {
    if (this.conn) return Promise.resolve(this.conn);
    if (!this.connecting) {
      this.closing = false;
      this.connecting = openConnection(this.settings, {
        ...this.options,
        ...(this.spec.password !== undefined ? { password: this.spec.password } : {}),
        ...(signal ? { signal } : {}),
      })
        .then((conn) => {
          this.attach(conn);
          return conn;
        })
        .finally(() => {
          this.connecting = undefined;
        });
    }
    return this.connecting;
  }

  private attach(conn: SshConnection): void {
    this.conn = conn;
    let reason = 'the server closed the connection';
    this.lost = new Promise<never>((_, reject) => {
      conn.client.on('error', (err: Error) => {
        reason = err.message;
      });
      conn.client.once('close', () => {
        if (this.conn === conn) this.conn = undefined;
        if (this.closing) return;
        const err = new UnreachableError(this.host, 'connection-lost', `${this.label}: connection lost: ${reason}`);
        this.lostWith = err;
        reject(err);
      });
    });
    this.lost.catch(() => undefined);
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    return this.limitChannel(async () => {
      if (this.lostWith && !this.conn) {
        const lost = this.lostWith;
        throw new UnreachableError(this.host, 'connection-lost', `${lost.message} (before this command was sent: it did not run)`, { cause: lost });
      }
      const conn = await this.ensure();
      return execOnClient(conn.client, req, {
        name: this.host,
        label: this.label,
        become: this.spec.become,
        ...(this.spec.becomeUser !== undefined ? { becomeUser: this.spec.becomeUser } : {}),
        ...(this.spec.becomePassword !== undefined ? { becomePassword: this.spec.becomePassword } : {}),
        lost: this.lost,
      });
    });
  }

  /** Writes a file atomically (temp file in the same directory, chmod, rename) through exec. */
  async put(path: string, content: string | Buffer, mode = 0o644): Promise<void> {
    const p = shellQuote(path);
    const script = `set -e; tmp=$(mktemp "$(dirname ${p})/.remedy.XXXXXX"); trap 'rm -f "$tmp"' EXIT; cat > "$tmp"; chmod ${(mode & 0o7777).toString(8)} "$tmp"; mv -f "$tmp" ${p}; trap - EXIT`;
    const res = await this.exec({ script, stdin: content });
    if (res.exitCode !== 0) {
      throw new Error(`${this.label}: cannot write ${path}: ${res.stderr.trim() || `exit ${res.exitCode}`}`);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const conn = this.conn;
    this.conn = undefined;
    // Every exec raced this never-settling promise: a fresh one lets what they held (their output) go.
    this.lost = new Promise<never>(() => undefined);
    if (this.channels && this.channels.activeCount + this.channels.pendingCount === 0) this.channels = undefined;
    if (!conn) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000).unref();
      conn.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      conn.close();
    });
  }

  /**
   * Drops the connection and connects again, waiting with exponential backoff while the host is
   * down (after a reboot). Throws the last UnreachableError when the time is up or the failure is final,
   * and an UnreachableError ('other') when opts.signal aborts the wait.
   */
  async reconnect(opts: ReconnectOptions = {}): Promise<void> {
    await this.close();
    const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
    let delay = opts.initialDelayMs ?? 1000;
    const { signal } = opts;
    for (;;) {
      if (signal?.aborted) throw new UnreachableError(this.host, 'other', `${this.label}: stopped reconnecting: interrupted`);
      try {
        await this.connect();
        return;
      } catch (err) {
        const retry = err instanceof UnreachableError && RETRYABLE.has(err.kind);
        if (!retry || Date.now() + delay > deadline) throw err;
      }
      await new Promise<void>((resolve) => {
        const done = (): void => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
        const timer = setTimeout(done, delay);
        signal?.addEventListener('abort', done, { once: true });
      });
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 10_000);
    }
  }
}

export function createSshTransport(spec: ConnectionSpec, options: SshOptions = {}): SshTransport {
  return new SshTransport(spec, options);
}
