/**
 * Opens one ssh2 connection by the host's route: directly, over a ProxyCommand's stdin/stdout, or
 * through jump hosts (forwardOut), each hop's host key checked under its own name; maps every
 * failure to an UnreachableError with its kind.
 */
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { UnreachableError, type UnreachableKind } from '../model/errors.js';
import { appendKnownHost } from './known-hosts.js';
import { KnownHostsCache } from './known-hosts-index.js';
import { checkHostKey, decideHostKey, hostLabel, knownKeyTypes } from './host-key-policy.js';
import { describeStatus, startProxyCommand, type ProxyProcess } from './proxy-command.js';
import { createAuthHandler, planAuth, type AuthSources } from './ssh-auth.js';
import type { SshSettings } from './ssh-config.js';

export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

export interface ConnectOptions extends AuthSources {
  /** Limits concurrent handshakes (key exchange is CPU bound); runs directly when absent. */
  limitHandshake?: Limiter;
  /** Receives warnings (host key checking off); never given secrets. */
  warn?: (message: string) => void;
  /** Aborting ends the handshake (of every hop) still in progress: UnreachableError('other'). */
  signal?: AbortSignal;
  /** known_hosts read once for the run (the pool's); without it each connection reads the files. */
  knownHosts?: KnownHostsCache;
}

/** An open connection: the target's client and the jump hosts under it. */
export interface SshConnection {
  client: Client;
  settings: SshSettings;
  /** Ends the target and every jump host. */
  close(): void;
}

/**
 * The server host key algorithms ssh2 offers, with those whose key type known_hosts holds for the
 * host moved to the front, keeping the default order among them (OpenSSH's order_hostkeyalgs).
 */
export function orderHostKeyAlgorithms(knownTypes: string[]): string[] {
  const all = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
    'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  const typeOf = (alg: string) => (alg.startsWith('rsa-sha2-') ? 'ssh-rsa' : alg);
  const known = all.filter((a) => knownTypes.includes(typeOf(a)));
  return [...known, ...all.filter((a) => !known.includes(a))];
}

/**
 * Connects to the target by its route: directly, through a ProxyCommand's stdin/stdout, or through a
 * jump host (itself reached by its own route). Closing ends the target, every jump host and every
 * ProxyCommand process.
 */
export async function openConnection(target: SshSettings, opts: ConnectOptions): Promise<SshConnection> {
  const closers: Array<() => void> = [];
  const closeAll = () => {
    for (const c of [...closers].reverse()) c();
    closers.length = 0;
  };
  try {
    const client = await connectRoute(target, opts, closers);
    return { client, settings: target, close: closeAll };
  } catch (err) {
    closeAll();
    throw err;
  }
}

async function connectRoute(s: SshSettings, opts: ConnectOptions, closers: Array<() => void>): Promise<Client> {
  let sock: Duplex | undefined;
  let startProxy: (() => ProxyProcess) | undefined;
  if (s.route.kind === 'jump') {
    let via: Client;
    try {
      via = await connectRoute(s.route.via, opts, closers);
    } catch (err) {
      const label = hostLabel(s.name, s.hostName, s.port);
      const why = err instanceof Error ? err.message : String(err);
      const inner = err instanceof UnreachableError ? ` [${err.kind}]` : '';
      throw new UnreachableError(s.name, 'jump-failed', `${label}: jump host failed: ${why}${inner}`, { cause: err });
    }
    sock = await forwardThrough(via, s);
  } else if (s.route.kind === 'proxy-command') {
    const command = s.route.command;
    // started by connectHop right before the handshake, so that nothing it says is missed
    startProxy = () => {
      const started = startProxyCommand(command);
      closers.push(() => started.end());
      return started;
    };
  }
  const client = await connectHop(s, sock, opts, startProxy);
  closers.push(() => client.end());
  return client;
}

/** Opens a channel to the host through the jump host; failures as the jump host saw them. */
async function forwardThrough(via: Client, s: SshSettings): Promise<ClientChannel> {
  try {
    return await new Promise<ClientChannel>((resolve, reject) => {
      via.forwardOut('127.0.0.1', 0, s.hostName, s.port, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
  } catch (err) {
    const label = hostLabel(s.name, s.hostName, s.port);
    const reason = OPEN_FAILURES[(err as { reason?: number }).reason ?? 0];
    const why = `${err instanceof Error ? err.message.replace(/^\(SSH\) /, '') : String(err)}${reason ? ` (${reason})` : ''}`;
    // refused or unknown as seen from the jump host; anything else (forwarding prohibited…) is the jump's failure
    const kind: UnreachableKind = /refused/i.test(why) ? 'connection-refused'
      : /not known|resolve|no address/i.test(why) ? 'name-not-found' : 'jump-failed';
    throw new UnreachableError(s.name, kind, `${label}: the jump host cannot open a channel to it: ${why}`, { cause: err });
  }
}

/** SSH_MSG_CHANNEL_OPEN_FAILURE reason codes (RFC 4254 5.1). */
const OPEN_FAILURES: Record<number, string> = {
  1: 'administratively prohibited', 2: 'connect failed', 3: 'unknown channel type', 4: 'resource shortage',
};

/**
 * Opens one hop over `sock` (a jump host's channel or a ProxyCommand), or directly, under the
 * handshake limiter.
 */
export async function connectHop(s: SshSettings, sock: Duplex | undefined, opts: ConnectOptions, startProxy?: () => ProxyProcess): Promise<Client> {
  const label = hostLabel(s.name, s.hostName, s.port);
  const keyName = s.hostKeyAlias ?? s.hostName;
  const knownFiles = [...s.userKnownHostsFiles, ...s.globalKnownHostsFiles];
  const knownHosts = opts.knownHosts ?? new KnownHostsCache();
  const entries = await knownHosts.get(knownFiles);
  const auth = await planAuth(s, opts);
  const run = opts.limitHandshake ?? (<T>(fn: () => Promise<T>) => fn());
  return run(() => new Promise<Client>((resolve, reject) => {
    const interrupted = () => new UnreachableError(s.name, 'other', `${label}: interrupted before the SSH handshake completed`);
    if (opts.signal?.aborted) return reject(interrupted());
    const client = new ssh2.Client();
    const proxy = startProxy?.();
    // the ProxyCommand ends with the connection, however the connection ends
    if (proxy) client.once('close', () => proxy.end());
    let refused: UnreachableError | undefined;
    let settled = false;
    const fail = (err: UnreachableError) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      client.end();
      if (!proxy) return reject(err);
      // a ProxyCommand that failed says why on stderr; give it a moment to exit
      void proxyFailure(s, label, proxy, err).then(reject);
    };
    // an interrupt: the socket is destroyed at once (ended, it would wait for a silent server's answer until readyTimeout)
    const onAbort = () => { client.destroy(); fail(interrupted()); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const config: ConnectConfig = {
      host: s.hostName,
      port: s.port,
      username: s.user,
      readyTimeout: s.connectTimeoutMs,
      keepaliveInterval: s.serverAliveIntervalMs,
      keepaliveCountMax: s.serverAliveCountMax,
      algorithms: { serverHostKey: orderHostKeyAlgorithms(knownKeyTypes(entries, keyName, s.port)) as never },
      authHandler: createAuthHandler(s.user, auth),
      hostVerifier: ((key: Buffer, verify: (ok: boolean) => void) => {
        const verdict = checkHostKey(entries, keyName, s.port, key);
        const decision = decideHostKey(verdict, s.strictHostKeyChecking, label, key);
        if (decision.warning) opts.warn?.(decision.warning);
        if (!decision.allow) {
          refused = new UnreachableError(s.name, decision.kind ?? 'other', decision.message ?? `${label}: host key refused`);
          verify(false);
          return;
        }
        if (!decision.append) return verify(true);
        const file = s.userKnownHostsFiles[0];
        if (!file) return verify(true);
        appendKnownHost(file, keyName, s.port, key, s.hashKnownHosts).then((line) => knownHosts.appended(file, line)).then(
          () => verify(true),
          (err: Error) => {
            refused = new UnreachableError(s.name, 'host-key-unknown', `${label}: cannot add its key to ${file}: ${err.message}`);
            verify(false);
          },
        );
      }) as ConnectConfig['hostVerifier'],
    };
    if (proxy) config.sock = proxy.sock;
    else if (sock) config.sock = sock;
    else {
      if (s.bindAddress !== undefined) config.localAddress = s.bindAddress;
      if (s.addressFamily === 'inet') config.forceIPv4 = true;
      if (s.addressFamily === 'inet6') config.forceIPv6 = true;
    }
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (refused) return fail(refused);
      fail(mapConnectError(s, label, err, auth.describe()));
    });
    client.once('close', () => {
      if (refused) return fail(refused);
      fail(new UnreachableError(s.name, 'other', `${label}: connection closed before the handshake completed`));
    });
    client.connect(config);
  }));
}

/** Maps a socket or ssh2 error during connect to an UnreachableError (no secrets in the message). */
export function mapConnectError(s: SshSettings, label: string, err: Error & { level?: string; code?: string }, authTried: string): UnreachableError {
  const code = err.code ?? '';
  const text = err.message;
  let kind: UnreachableKind = 'other';
  let what = text;
  if (code === 'ECONNREFUSED') {
    kind = 'connection-refused';
    what = 'connection refused';
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || err.level === 'client-dns') {
    kind = 'name-not-found';
    what = `name not found (${s.hostName})`;
  } else if (err.level === 'client-timeout' || code === 'ETIMEDOUT') {
    kind = 'timeout';
    what = `timed out after ${s.connectTimeoutMs / 1000}s waiting for the SSH handshake`;
  } else if (err.level === 'client-authentication') {
    kind = 'auth-failed';
    what = `authentication failed for user ${s.user} (${authTried})`;
  } else if (code === 'ECONNRESET' || code === 'EPIPE') {
    what = `connection reset during the handshake (${code})`;
  }
  return new UnreachableError(s.name, kind, `${label}: ${what}`, { cause: err });
}

/**
 * A failure before the handshake completed on a ProxyCommand's connection: when the command has
 * exited on its own (or does within a second), the error says so with its stderr (kind
 * jump-failed); otherwise the original error with whatever it wrote on stderr.
 */
async function proxyFailure(s: SshSettings, label: string, proxy: ProxyProcess, err: UnreachableError): Promise<UnreachableError> {
  await Promise.race([proxy.exited(), new Promise((r) => setTimeout(r, 1000).unref())]);
  const status = proxy.status();
  const stderr = proxy.stderr();
  const route = s.route.kind === 'proxy-command' ? s.route.raw : '';
  // killed by a signal after remedy ended it (a timeout, a refused host key…): not the command's failure
  if (status && !(proxy.ended() && status.signal)) {
    const why = `ProxyCommand "${route}" ${describeStatus(status)} before the SSH handshake completed${stderr ? `: ${stderr}` : ' (nothing on stderr)'}`;
    return new UnreachableError(s.name, 'jump-failed', `${label}: ${why}`, { cause: err });
  }
  if (!stderr) return err;
  return new UnreachableError(s.name, err.kind, `${err.message} (ProxyCommand stderr: ${stderr})`, { cause: err });
}
