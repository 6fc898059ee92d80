import type { LockHolder } from '../model/results.js';
import { UnreachableError } from '../model/errors.js';
import type { ExecResult, Transport } from '../transport/transport.js';
import { shellQuote } from '../model/shell-quote.js';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The host lock: two runs never remediate one host at the same time.
 *
 * Right after connecting, a run that may change hosts starts one long-lived command on the host:
 * it opens /run/lock/remedy.lock (else /var/lock, else /run), takes `flock -x` on it, writes who
 * holds it into the file (run id, controller, pid, start time, and the holding shell's pid), says
 * "acquired", then waits for the end of its stdin. stdin stays open as long as remedy's connection
 * (or, for the local connection, remedy's process) does, so the lock goes when the run ends, when
 * the controller dies (kill -9 included: the kernel closes the connection, sshd closes stdin) and
 * when the connection drops. A second run's `flock -n` fails: it reads the holder and leaves the host
 * alone. No flock(1) on the host, or no lock file that can be opened: the host is refused with that
 * reason, since running without the lock would break the promise.
 */

export interface LockSettings {
  holder: LockHolder;
  /** Seconds to wait for a held lock (0: refuse at once). */
  waitSeconds: number;
  /** The lock's directory, instead of the first of /run/lock, /var/lock, /run (REMEDY_LOCAL_LOCK_DIR, local connection only). */
  dir?: string;
}

/** Where the local connection's lock lives when set: lets test suites run side by side on one machine. */
export const LOCAL_LOCK_DIR_ENV = 'REMEDY_LOCAL_LOCK_DIR';

export type LockOutcome =
  | { kind: 'acquired'; file: string; release(): Promise<void> }
  | { kind: 'held'; holder: LockHolder | undefined; text: string }
  | { kind: 'unavailable'; reason: string };

const ANSWER = /REMEDY-LOCK (acquired|held|unavailable) ?([^\n]*)\n/;

/** Characters that survive into the holder line unchanged; anything else becomes '_'. */
function token(value: string | number): string {
  return String(value).replace(/[^A-Za-z0-9._:+-]/g, '_') || '_';
}

/** The script run on the host (POSIX sh and flock(1)). */
export function lockScript(settings: LockSettings): string {
  const h = settings.holder;
  const info = `run=${token(h.runId)} controller=${token(h.controller)} pid=${token(h.pid)} started=${token(h.startedAt)}`;
  const wait = settings.waitSeconds > 0 ? `-w ${Number(settings.waitSeconds.toFixed(1))}` : '-n';
  return [
    "say() { printf 'REMEDY-LOCK %s\\n' \"$*\"; }",
    "command -v flock >/dev/null 2>&1 || { say unavailable 'no flock(1) on the host (util-linux or busybox): remedy cannot take the host lock'; exit 0; }",
    settings.dir !== undefined
      ? `d=${shellQuote(settings.dir)}; f=$d/remedy.lock`
      : 'd=/run; for c in /run/lock /var/lock; do if [ -d "$c" ]; then d=$c; break; fi; done; f=$d/remedy.lock',
    'if ! err=$( { : >>"$f"; } 2>&1 ); then say unavailable "cannot open the lock file $f: ${err##*: }"; exit 0; fi',
    'exec 9>>"$f"',
    `if flock -x ${wait} 9; then`,
    `  printf '%s hostpid=%s\\n' ${shellQuote(info)} "$$" >"$f"`,
    '  say acquired "$f"',
    '  cat >/dev/null',
    '  exit 0',
    'fi',
    // The holder writes its line right after flock: wait for a line whose holding shell is alive.
    'i=0; while :; do h=$(cat "$f" 2>/dev/null) || h=; p=${h##*hostpid=}; p=${p%% *}',
    '  if [ -n "$h" ] && [ -n "$p" ] && [ -d "/proc/$p" ]; then break; fi',
    '  i=$((i+1)); [ $i -ge 30 ] && break; sleep 0.1; done',
    'say held "$h"',
  ].join('\n');
}

/** Reads "run=… controller=… pid=… started=…" (undefined when the line is not one). */
export function parseHolder(text: string): LockHolder | undefined {
  const fields = new Map(text.trim().split(/\s+/).map((kv) => {
    const at = kv.indexOf('=');
    return [kv.slice(0, at), kv.slice(at + 1)] as const;
  }));
  const runId = fields.get('run');
  const pid = Number(fields.get('pid'));
  if (!runId || !Number.isInteger(pid)) return undefined;
  return { runId, controller: fields.get('controller') ?? '?', pid, startedAt: fields.get('started') ?? '?' };
}

/** "run ID from CONTROLLER (pid N) since TIME", for messages. */
export function describeHolder(holder: LockHolder | undefined, text = ''): string {
  if (!holder) return text.trim() ? `an unknown holder (${text.trim()})` : 'another run (its holder line was not readable)';
  return `run ${holder.runId} from ${holder.controller} (pid ${holder.pid}) since ${holder.startedAt}`;
}

/** How long a released lock's holder may take to see the end of its input before it is ended (TERM, KILL). */
const RELEASE_WAIT_MS = 5_000;

/** Takes the host's lock through its transport. Throws UnreachableError when the connection fails. */
export async function takeHostLock(transport: Transport, settings: LockSettings): Promise<LockOutcome> {
  const ac = new AbortController();
  const eof = new AbortController();
  let out = '';
  let answered: (m: RegExpExecArray) => void = () => undefined;
  const answer = new Promise<RegExpExecArray>((resolve) => { answered = resolve; });
  const exec = transport.exec({
    script: lockScript(settings),
    keepStdinOpen: true,
    endStdin: eof.signal,
    signal: ac.signal,
    onStdout: (chunk) => {
      out += chunk;
      const m = ANSWER.exec(out);
      if (m) answered(m);
    },
  });
  const ended: Promise<ExecResult | UnreachableError> = exec.catch((err: unknown) => {
    if (err instanceof UnreachableError) return err;
    throw err;
  });
  const first = await Promise.race([answer, ended]);
  const m = Array.isArray(first) ? first : ANSWER.exec(out);
  if (first instanceof UnreachableError && !m) throw first;
  if (m?.[1] === 'acquired') {
    return {
      kind: 'acquired',
      file: m[2] ?? '',
      async release() {
        // The holder's `cat` reads the end of its input and exits: the lock is free, nothing to kill.
        eof.abort();
        // The wait is cancelled once the command ended, so that its timer holds nothing of the host.
        const waiting = new AbortController();
        const gone = await Promise.race([ended.then(() => true, () => true), sleep(RELEASE_WAIT_MS, false, { ref: false, signal: waiting.signal }).catch(() => true)]);
        waiting.abort();
        if (!gone) ac.abort();
        await ended;
      },
    };
  }
  await ended;
  if (m?.[1] === 'held') return { kind: 'held', holder: parseHolder(m[2] ?? ''), text: m[2] ?? '' };
  if (m?.[1] === 'unavailable') return { kind: 'unavailable', reason: m[2] ?? 'the host lock cannot be taken' };
  const res = first as ExecResult;
  const why = res.stderr?.trim().split('\n').pop() || `exit ${res.exitCode}`;
  return { kind: 'unavailable', reason: `the lock command gave no answer: ${why}` };
}

/**
 * The transport a locked host's steps use: the same as `inner`, except that a reconnect (after a
 * reboot, after sshd was restarted) takes the lock again on the new connection, waiting a little
 * for the old one to go. If another run took it in between, the reconnect fails saying so.
 */
export function lockedTransport(inner: Transport, settings: LockSettings, first: LockOutcome & { kind: 'acquired' }): Transport & { releaseLock(): Promise<void> } {
  let held: (LockOutcome & { kind: 'acquired' }) | undefined = first;
  const release = async (): Promise<void> => {
    const h = held;
    held = undefined;
    await h?.release();
  };
  const wrapped: Transport & { releaseLock(): Promise<void> } = {
    host: inner.host,
    connect: (opts) => inner.connect(opts),
    exec: (req) => inner.exec(req),
    put: (path, content, mode) => inner.put(path, content, mode),
    async close() {
      await release();
      await inner.close();
    },
    releaseLock: release,
  };
  if (inner.reconnect) {
    const reconnect = inner.reconnect.bind(inner);
    wrapped.reconnect = async (opts) => {
      await release();
      await reconnect(opts);
      const again = await takeHostLock(inner, { ...settings, waitSeconds: Math.max(settings.waitSeconds, 10) });
      if (again.kind === 'acquired') {
        held = again;
        return;
      }
      const why = again.kind === 'held' ? `it is held by ${describeHolder(again.holder, again.text)}` : again.reason;
      throw new Error(`${inner.host}: the host lock could not be taken again after reconnecting: ${why}`);
    };
  }
  return wrapped;
}
