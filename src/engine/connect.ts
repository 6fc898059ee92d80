import { UnreachableError } from '../model/errors.js';
import type { StepResult } from '../model/results.js';
import { stepResult } from '../steps/result.js';
import type { EngineContext } from './context.js';
import type { HostState } from './host-state.js';
import { markInterrupted } from './window.js';
import { describeHolder, LOCAL_LOCK_DIR_ENV, lockedTransport, takeHostLock, type LockOutcome, type LockSettings } from './host-lock.js';

/** The host locks of one run: how to take them, and how to let them go when the run ends. */
export interface RunLocks {
  settings: LockSettings;
  /** The local connection's lock: one per run, shared by every host reached with it (they are this machine). */
  local?: Promise<LockOutcome>;
  releases: Array<() => Promise<void>>;
}

export function createRunLocks(settings: LockSettings): RunLocks {
  return { settings, releases: [] };
}

/** Marks the host unreachable for the rest of the run and returns the matching result value. */
export function markUnreachable(state: HostState, err: UnreachableError, ctx: EngineContext): StepResult {
  state.unreachable = { kind: err.kind, message: err.message };
  state.report.unreachable = state.unreachable;
  ctx.emit({ type: 'host-unreachable', host: state.host.name, kind: err.kind, message: err.message });
  return stepResult({ status: 'unreachable', cause: err.kind, message: err.message });
}

/** Takes the host's lock right after connecting; a held or unavailable lock is a result value. */
async function lockHost(state: HostState, locks: RunLocks, ctx: EngineContext): Promise<StepResult | undefined> {
  const transport = state.transport!;
  let outcome: LockOutcome;
  if (state.spec.kind === 'local') {
    if (!locks.local) {
      const dir = process.env[LOCAL_LOCK_DIR_ENV];
      locks.local = takeHostLock(transport, dir ? { ...locks.settings, dir } : locks.settings);
      locks.local.then((o) => { if (o.kind === 'acquired') locks.releases.push(o.release); }, () => undefined);
    }
    outcome = await locks.local;
  } else {
    outcome = await takeHostLock(transport, locks.settings);
    if (outcome.kind === 'acquired') {
      const wrapped = lockedTransport(transport, locks.settings, outcome);
      state.transport = wrapped;
      locks.releases.push(wrapped.releaseLock);
    }
  }
  if (outcome.kind === 'acquired') return undefined;
  if (outcome.kind === 'unavailable') {
    return stepResult({ status: 'failed', cause: 'lock-unavailable', message: `${outcome.reason}; the host is left alone` });
  }
  const holder = outcome.holder ?? { runId: '?', controller: '?', pid: 0, startedAt: '?' };
  state.locked = holder;
  state.report.locked = holder;
  ctx.emit({ type: 'host-locked', host: state.host.name, holder });
  return stepResult({ status: 'skipped', cause: 'locked', message: `locked by ${describeHolder(outcome.holder, outcome.text)}: left alone` });
}

/**
 * The run was interrupted while the host's connection was being opened: the step did not start and
 * nothing ran on the host; it is not reached (interrupted), and its step says it was connecting.
 */
function interruptedConnecting(state: HostState, ctx: EngineContext, play: string, handshake: boolean): StepResult {
  markInterrupted(ctx, [state], play);
  const signal = typeof ctx.stop.reason === 'string' ? ctx.stop.reason : 'an interrupt';
  const how = handshake ? 'the SSH handshake had not completed' : 'the connection was opened, the step did not start';
  return stepResult({ status: 'skipped', cause: 'aborted', message: `interrupted by ${signal} while connecting (${how}): nothing ran on the host` });
}

/**
 * Opens the host's one connection, reused by every later step, and takes its lock; a failure is a
 * value. The run's first stop signal ends a handshake still in progress: the host is not reached.
 */
export async function connectHost(state: HostState, ctx: EngineContext, play: string): Promise<StepResult | undefined> {
  try {
    state.transport ??= ctx.transportFor(state.spec);
    await state.transport.connect({ signal: ctx.stop });
    state.connected = true;
    if (ctx.stop.aborted) return interruptedConnecting(state, ctx, play, false);
    return ctx.locks ? await lockHost(state, ctx.locks, ctx) : undefined;
  } catch (err) {
    if (ctx.stop.aborted && !state.connected) return interruptedConnecting(state, ctx, play, true);
    if (err instanceof UnreachableError) return markUnreachable(state, err, ctx);
    const message = err instanceof Error ? err.message : String(err);
    return markUnreachable(state, new UnreachableError(state.host.name, 'other', message, { cause: err }), ctx);
  }
}
