/**
 * A throwaway OpenSSH server for unit-level transport tests (host keys, config, auth), on 127.0.2.x
 * (the lab uses 127.0.1.x). Real sshd, real keys; the pid is tracked and ended in stop().
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateSshd {
  address: string;
  port: number;
  dir: string;
  /** Client key (ed25519, no passphrase) authorised for root. */
  keyFile: string;
  /** known_hosts made with ssh-keyscan against this server (plain, [addr]:port). */
  knownHostsFile: string;
  /** Host public keys by type, as "type base64". */
  hostKeys: Record<string, string>;
  /** Ends the listening sshd (connections it already forked live on); start() brings it back. */
  pause(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

function keygen(args: string[]): void {
  const r = spawnSync('ssh-keygen', ['-q', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`ssh-keygen ${args.join(' ')}: ${r.stderr.toString()}`);
}

function isListening(address: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = createConnection({ host: address, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function waitListening(address: string, port: number, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await isListening(address, port);
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd on ${address}:${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts sshd; `extraConfig` lines are appended to sshd_config. */
export async function startPrivateSshd(opts: { octet?: number; port?: number; extraConfig?: string[] } = {}): Promise<PrivateSshd> {
  const address = `127.0.2.${opts.octet ?? 10 + (process.pid % 100) + counter++}`;
  const port = opts.port ?? 2222;
  const dir = mkdtempSync(join(tmpdir(), 'remedy-sshd-'));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKeys: Record<string, string> = {};
  for (const type of ['ed25519', 'ecdsa', 'rsa']) {
    const f = join(dir, `host_${type}`);
    keygen(['-t', type, '-N', '', '-f', f, ...(type === 'rsa' ? ['-b', '2048'] : [])]);
    const pub = readFileSync(`${f}.pub`, 'utf8').trim().split(/\s+/);
    hostKeys[pub[0] ?? type] = `${pub[0]} ${pub[1]}`;
  }
  const keyFile = join(dir, 'client_ed25519');
  keygen(['-t', 'ed25519', '-N', '', '-f', keyFile]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${keyFile}.pub`));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const config = [
    `ListenAddress ${address}:${port}`,
    ...['ed25519', 'ecdsa', 'rsa'].map((t) => `HostKey ${join(dir, `host_${t}`)}`),
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PidFile none',
    'StrictModes no',
    'PermitRootLogin yes',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'LogLevel ERROR',
    ...(opts.extraConfig ?? []),
  ];
  writeFileSync(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
  let child: ChildProcess | undefined;
  const start = async () => {
    if (await isListening(address, port)) throw new Error(`${address}:${port} is already in use (a leftover sshd?)`);
    const c = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    let log = '';
    c.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    try {
      await waitListening(address, port);
    } catch (err) {
      c.kill('SIGTERM');
      throw new Error(`${(err as Error).message}: ${log}`);
    }
  };
  const pause = async () => {
    const c = child;
    child = undefined;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    }
  };
  await start();
  const scan = spawnSync('ssh-keyscan', ['-p', String(port), address], { encoding: 'utf8' });
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, scan.stdout);
  return {
    address,
    port,
    dir,
    keyFile,
    knownHostsFile,
    hostKeys,
    pause,
    start,
    stop: async () => {
      await pause();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
