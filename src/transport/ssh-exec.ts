/**
 * Runs one command on an open ssh2 client: quoting, become through sudo (password on stdin, never in
 * argv), bounded output, and a timeout that ends the REMOTE process group over a second channel.
 *
 * The remote side is wrapped so that its first stderr line is "REMEDY-PGID=<pid>": sshd makes the
 * session's shell a session and process-group leader, so that pid is the group every child inherits.
 */
import type { Client, ClientChannel } from 'ssh2';
import { UnreachableError } from '../model/errors.js';
import { shellJoin, shellQuote, type ExecRequest, type ExecResult } from './transport.js';
import { BoundedBuffer } from './bounded-buffer.js';

export const DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** Scripts longer than this go to `sh -s` on stdin (when stdin is free) instead of `sh -c`. */
const MAX_ARG_SCRIPT = 96 * 1024;
/** Not anchored: a login shell's rc file may print to stderr before the wrapper runs. */
const PGID_RE = /REMEDY-PGID=(\d+)\n/;
/** Stderr held back while looking for the markers, at most. */
const MAX_HELD = 64 * 1024;
const START = 'REMEDY-START\n';
const PROMPT = '[remedy-sudo-password]';
/** Seconds between TERM and KILL when a command is ended. */
const KILL_GRACE_S = 2;
/** How long to wait for the channel to close after the process group was ended. */
const CLOSE_WAIT_MS = 2000;
/** How long to keep asking for a session channel the server refuses (MaxSessions reached). */
const OPEN_RETRY_MS = 60_000;

export interface ExecContext {
  name: string;
  label: string;
  become: boolean;
  becomeUser?: string;
  becomePassword?: string;
  /** Rejects when the connection is lost; execOnClient races it against the command. */
  lost: Promise<never>;
}

interface Built {
  command: string;
  /** Script sent on stdin (sh -s), before req.stdin (which is then not allowed). */
  stdinScript?: string;
  becomes: boolean;
}

function envPrefix(env: Record<string, string> | undefined): string {
  if (!env) return '';
  return Object.entries(env)
    .filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    .map(([k, v]) => `export ${k}=${shellQuote(v)}; `)
    .join('');
}

function sudoPrefix(ctx: ExecContext, user: string): string[] {
  const mode = ctx.becomePassword !== undefined ? ['-S', '-p', PROMPT] : ['-n'];
  return ['sudo', ...mode, '-H', '-u', user, '--'];
}

/** Builds the wrapped command line (exported for tests). */
export function buildCommand(req: ExecRequest, ctx: ExecContext): Built {
  const body = req.script ?? shellJoin(req.argv ?? ['true']);
  const viaStdin = req.script !== undefined && req.script.length > MAX_ARG_SCRIPT && req.stdin === undefined;
  const run = viaStdin ? 'exec sh -s' : `exec sh -c ${shellQuote(envPrefix(req.env) + body)}`;
  const inner = viaStdin ? `${envPrefix(req.env)}${run}` : run;
  const becomes = req.become ?? ctx.become;
  const pgid = `printf 'REMEDY-PGID=%s\\n' "$$" >&2; `;
  if (!becomes) return { command: pgid + inner, ...(viaStdin ? { stdinScript: body } : {}), becomes };
  const user = req.becomeUser ?? ctx.becomeUser ?? 'root';
  const started = `printf '${START.trim()}\\n' >&2; ${inner}`;
  const command = `${pgid}exec ${shellJoin([...sudoPrefix(ctx, user), 'sh', '-c', started])}`;
  return { command, ...(viaStdin ? { stdinScript: body } : {}), becomes };
}

/** A session channel whose exit status and close are recorded from the moment it opens. */
interface OpenChannel {
  ch: ClientChannel;
  exit: { code: number | null; signal: string | null };
  closed: Promise<void>;
}

/**
 * The listeners are attached inside ssh2's callback, synchronously: a fast command's data, exit-status
 * and close may arrive in the same packet as the open confirmation and are emitted before an awaiting
 * caller resumes (seen on the lab: about 1 exec in 40 lost its exit code).
 */
function openExec(client: Client, command: string): Promise<OpenChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, ch) => {
      if (err) return reject(err);
      const exit: OpenChannel['exit'] = { code: null, signal: null };
      ch.on('exit', (code: number | null, sig?: string) => {
        exit.code = typeof code === 'number' ? code : null;
        if (sig) exit.signal = sig.startsWith('SIG') ? sig : `SIG${sig}`;
      });
      const closed = new Promise<void>((done) => ch.once('close', () => done()));
      resolve({ ch, exit, closed });
    });
  });
}

/**
 * TERM the group, wait up to the grace period while a live (non-zombie) member is left, then KILL.
 * A group that `kill -0` does not find is gone; one it finds is read from /proc/PID/stat (field 5 is
 * the group), since a zombie leader that sshd has not reaped yet still answers `kill -0`. No `--`
 * before the negative group id: dash's kill (Debian's sh, and sudo's `sh -c`) refuses it as a number.
 */
export function killScript(pgid: number): string {
  // kill -0 first: a group with no member left (the usual case after TERM) costs no scan of /proc.
  const alive = `alive() { kill -0 -${pgid} 2>/dev/null || return 1; [ -r /proc/self/stat ] || return 0; for f in /proc/[0-9]*/stat; do read -r l < "$f" 2>/dev/null || continue; l=\${l##*) }; set -- $l; [ "$1" != Z ] && [ "$3" = ${pgid} ] && return 0; done; return 1; }`;
  return `${alive}; kill -TERM -${pgid} 2>/dev/null; i=0; while alive && [ $i -lt ${KILL_GRACE_S * 10} ]; do sleep 0.1; i=$((i+1)); done; kill -KILL -${pgid} 2>/dev/null; true`;
}

/** Ends the remote process group: TERM, then KILL after a grace period, over its own channel. */
async function killGroup(client: Client, pgid: number, ctx: ExecContext, becomes: boolean): Promise<void> {
  const script = killScript(pgid);
  const withPassword = becomes && ctx.becomePassword !== undefined;
  const command = becomes
    ? shellJoin(['sudo', ...(withPassword ? ['-S', '-p', ''] : ['-n']), '--', 'sh', '-c', script])
    : script;
  try {
    const { ch, closed } = await openExec(client, command);
    ch.on('data', () => undefined);
    ch.stderr.on('data', () => undefined);
    if (withPassword) ch.write(`${ctx.becomePassword}\n`);
    ch.end();
    await closed;
  } catch {
    // the connection is gone: nothing left to kill from here
  }
}

/**
 * Opens the session channel. A server with a MaxSessions below our channel limit refuses the extra
 * channels (an open failure on a live connection): wait for one to free up instead of failing.
 */
async function openSession(client: Client, command: string, ctx: ExecContext): Promise<OpenChannel> {
  const until = Date.now() + OPEN_RETRY_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await Promise.race([openExec(client, command), ctx.lost]);
    } catch (err) {
      if (err instanceof UnreachableError) throw err;
      const refused = (err as { reason?: unknown }).reason !== undefined && (err as { reason?: unknown }).reason !== '';
      const why = err instanceof Error ? err.message : String(err);
      if (refused && Date.now() + delay < until) {
        await Promise.race([new Promise((r) => setTimeout(r, delay)), ctx.lost]);
        continue;
      }
      const kind = refused ? 'other' : 'connection-lost';
      throw new UnreachableError(ctx.name, kind, `${ctx.label}: cannot open a session channel: ${why}`, { cause: err });
    }
  }
}

/** A lost connection's error, saying where the command was when it went (other errors as they are). */
function lostWhile(err: unknown, when: string): unknown {
  if (!(err instanceof UnreachableError) || err.kind !== 'connection-lost') return err;
  return new UnreachableError(err.host, err.kind, `${err.message} (${when})`, { cause: err });
}

/** Runs the request on the client; throws UnreachableError('connection-lost') if the connection drops. */
export async function execOnClient(client: Client, req: ExecRequest, ctx: ExecContext): Promise<ExecResult> {
  const started = Date.now();
  const built = buildCommand(req, ctx);
  const max = req.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const opened = await openSession(client, built.command, ctx).catch((e: unknown) => { throw lostWhile(e, 'while starting the command: it may not have run'); });
  const { ch } = opened;
  const out = new BoundedBuffer(max);
  const err = new BoundedBuffer(max);
  let pre = '';
  let pgid: number | undefined;
  let running = !built.becomes;
  let prompts = 0;
  let timedOut = false;

  const sendInput = () => {
    if (built.stdinScript !== undefined) ch.write(built.stdinScript);
    else if (req.stdin !== undefined) ch.write(req.stdin);
    if (!req.keepStdinOpen || req.endStdin?.aborted) ch.end();
  };
  // Before the command runs (sudo's prompt), sendInput ends stdin instead.
  req.endStdin?.addEventListener('abort', () => { if (running) ch.end(); }, { once: true });
  let sawPgid = false;
  const onStderr = (chunk: Buffer) => {
    if (sawPgid && running) return err.push(chunk);
    pre += chunk.toString('latin1');
    if (!sawPgid) {
      const m = PGID_RE.exec(pre);
      if (!m && pre.length < MAX_HELD) return;
      sawPgid = true; // found, or given up on (then a timeout can only close the channel)
      if (m) {
        pgid = Number(m[1]);
        pre = pre.slice(0, m.index) + pre.slice(m.index + m[0].length);
      }
    }
    if (!running) {
      while (pre.includes(PROMPT)) {
        pre = pre.replace(PROMPT, '');
        prompts++;
        if (prompts === 1 && ctx.becomePassword !== undefined) ch.write(`${ctx.becomePassword}\n`);
        else ch.end();
      }
      const at = pre.indexOf(START);
      if (at < 0) return;
      err.push(Buffer.from(pre.slice(0, at), 'latin1'));
      pre = pre.slice(at + START.length);
      running = true;
      sendInput();
    }
    if (pre.length > 0) err.push(Buffer.from(pre, 'latin1'));
    pre = '';
  };

  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
    ch.on('data', (chunk: Buffer) => {
      out.push(chunk);
      req.onStdout?.(chunk.toString('utf8'));
    });
    ch.stderr.on('data', onStderr);
    void opened.closed.then(() => resolve());
  });
  if (running) sendInput();

  let stopping: Promise<void> | undefined;
  /** Ends the command: on its timeout (timedOut set) or when the caller aborts (not a timeout). */
  const stop = (byTimer: boolean) => {
    if (stopping) return;
    timedOut = byTimer;
    stopping = (pgid !== undefined ? killGroup(client, pgid, ctx, built.becomes) : Promise.resolve()).then(() => {
      ch.close();
      // sshd keeps a session open while its process lives: do not wait on a process that survived
      setTimeout(finish, CLOSE_WAIT_MS).unref();
    });
  };
  const timer = req.timeoutMs !== undefined && req.timeoutMs > 0 ? setTimeout(() => stop(true), req.timeoutMs) : undefined;
  const onAbort = () => stop(false);
  if (req.signal?.aborted) stop(false);
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([finished, ctx.lost]);
  } catch (e) {
    throw lostWhile(e, 'while the command ran on the host: it may have run in part or whole');
  } finally {
    if (timer) clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
  if (stopping) await stopping;
  if (pre.length > 0) err.push(Buffer.from(pre, 'latin1'));
  return {
    exitCode: opened.exit.code,
    signal: opened.exit.signal,
    stdout: out.text(),
    stderr: err.text(),
    durationMs: Date.now() - started,
    timedOut,
    truncated: out.truncated || err.truncated,
  };
}
