/**
 * The IO half of the reboot step: read the boot id, send the reboot detached (so the command returns
 * before the host goes down), wait until the host answers with a different boot id, run the test
 * command until it passes. Failures are values ({ ok: false, why }); only aborts end the wait early.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UnreachableError, type UnreachableKind } from '../model/errors.js';
import type { ExecResult } from '../transport/transport.js';
import { runRemoteScript } from './remote-script.js';
import type { StepContext } from './step.js';

export const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';

/** How long one boot id read or test command may take while waiting (ms). */
const PROBE_TIMEOUT_MS = 15_000;

/**
 * $1 delay seconds before the reboot, $2 message for logged-in users (may be empty).
 * systemd: `systemctl reboot`; SysV: `shutdown -r now`, else `reboot` (the lab's sysv hosts signal their
 * init with both). Detached under nohup with every stream closed, so this command returns at once.
 */
export const SEND_REBOOT_SH = String.raw`
delay=$1 msg=$2
if [ -n "$msg" ]; then
  printf '%s\n' "$msg" | wall 2>/dev/null || true
  logger -t remedy -- "$msg" 2>/dev/null || true
fi
nohup sh -c 'sleep "$1"; systemctl reboot 2>/dev/null || shutdown -r now 2>/dev/null || reboot' remedy-reboot "$delay" </dev/null >/dev/null 2>&1 &
printf 'sent\t%s\n' "$!"
`;

/** A well-formed boot id (the kernel prints a UUID), or undefined. */
export function parseBootId(stdout: string): string | undefined {
  const id = stdout.trim();
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id.toLowerCase() : undefined;
}

/** Reads the boot id over the step's connection; undefined when the read fails. */
export async function readBootId(ctx: StepContext, timeoutMs = PROBE_TIMEOUT_MS): Promise<{ bootId?: string; exec: ExecResult }> {
  const exec = await ctx.transport.exec({ argv: ['cat', BOOT_ID_PATH], timeoutMs, signal: ctx.signal });
  const bootId = exec.exitCode === 0 ? parseBootId(exec.stdout) : undefined;
  return bootId ? { bootId, exec } : { exec };
}

/** Sends the reboot, detached; the exec returns before the host goes down. */
export async function sendReboot(ctx: StepContext, delaySeconds: number, msg: string): Promise<ExecResult> {
  const delay = String(Math.max(1, Math.ceil(delaySeconds)));
  return runRemoteScript(ctx, SEND_REBOOT_SH, [delay, msg]);
}

export type WaitOutcome =
  | { ok: true; bootId: string }
  | { ok: false; cause: 'reboot-timeout' | 'aborted' | UnreachableKind; why: string };

const remaining = (deadline: number): number => Math.max(0, deadline - Date.now());

/**
 * Until `deadline` (epoch ms): connect again (transport.reconnect when it has one: SSH, with backoff)
 * and read the boot id; the same boot id as before means the host has not gone down yet, so keep
 * waiting. A final connection failure (host key changed, auth refused) ends the wait at once.
 */
export async function waitForNewBoot(ctx: StepContext, before: string, deadline: number): Promise<WaitOutcome> {
  let last = 'no answer yet';
  while (remaining(deadline) > 0) {
    if (ctx.signal.aborted) return { ok: false, cause: 'aborted', why: 'interrupted while waiting for the host' };
    try {
      if (ctx.transport.reconnect) {
        await ctx.transport.reconnect({ timeoutMs: remaining(deadline), initialDelayMs: 500, maxDelayMs: 2000, signal: ctx.signal });
      }
      const { bootId, exec } = await readBootId(ctx, Math.min(PROBE_TIMEOUT_MS, Math.max(1000, remaining(deadline))));
      if (bootId && bootId !== before) return { ok: true, bootId };
      last = bootId ? 'still the same boot (the reboot has not happened yet)' : `cannot read ${BOOT_ID_PATH}: exit ${exec.exitCode}`;
    } catch (err) {
      if (ctx.signal.aborted) return { ok: false, cause: 'aborted', why: 'interrupted while waiting for the host' };
      if (!(err instanceof UnreachableError)) throw err;
      last = err.message;
      const final = !['connection-refused', 'timeout', 'connection-lost', 'other', 'jump-failed'].includes(err.kind);
      if (final) return { ok: false, cause: err.kind, why: err.message };
    }
    try {
      await sleep(Math.min(500, remaining(deadline)), undefined, { signal: ctx.signal });
    } catch {
      return { ok: false, cause: 'aborted', why: 'interrupted while waiting for the host' };
    }
  }
  return { ok: false, cause: 'reboot-timeout', why: last };
}

/** Runs the test command until it exits 0 or the deadline passes (at least once); returns the last exec. */
export async function runTestCommand(ctx: StepContext, command: string, deadline: number): Promise<{ ok: boolean; exec: ExecResult; tries: number }> {
  let tries = 0;
  for (;;) {
    tries++;
    let exec: ExecResult;
    try {
      exec = await ctx.transport.exec({ script: command, timeoutMs: Math.min(PROBE_TIMEOUT_MS, Math.max(1000, remaining(deadline))), signal: ctx.signal });
    } catch (err) {
      if (!(err instanceof UnreachableError) || remaining(deadline) <= 0) throw err;
      exec = { exitCode: null, signal: null, stdout: '', stderr: err.message, durationMs: 0, timedOut: false, truncated: false };
    }
    if (exec.exitCode === 0 && !exec.timedOut) return { ok: true, exec, tries };
    if (remaining(deadline) <= 0 || ctx.signal.aborted) return { ok: false, exec, tries };
    try {
      await sleep(Math.min(1000, remaining(deadline)), undefined, { signal: ctx.signal });
    } catch {
      return { ok: false, exec, tries };
    }
  }
}
