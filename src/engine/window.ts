import type { MaxFail, RunStop, StopReason } from '../model/results.js';
import type { EngineContext } from './context.js';
import { hasFailed, type HostState, isActive } from './host-state.js';

/**
 * The patch window: when the run stops starting work. Checked before every batch (and before every
 * play): running steps always finish; what did not start is listed as not reached, with the reason.
 */
export interface RunWindow {
  /** --deadline: no batch starts at or after this time. */
  deadline?: Date;
  /** --max-fail: the run's failure budget, over every batch and play. */
  maxFail?: MaxFail;
}

/**
 * Whether `failed` hosts of `total` cross the budget. Both forms compare strictly, as Ansible's
 * max_fail_percentage does: `N` is crossed by more than N hosts (0: by the first), `P%` by more
 * than P percent of the run's hosts.
 */
export function maxFailCrossed(failed: number, total: number, maxFail: MaxFail): boolean {
  if (maxFail.unit === 'hosts') return failed > maxFail.value;
  return total > 0 && (failed * 100) / total > maxFail.value;
}

/** Hosts of the run that count against --max-fail: failed (a reboot that never came back included) or unreachable. */
export function countFailed(states: Iterable<HostState>): number {
  let n = 0;
  for (const s of states) if (hasFailed(s)) n++;
  return n;
}

function describeMaxFail(m: MaxFail): string {
  return m.unit === 'hosts' ? `${m.value} ${m.value === 1 ? 'host' : 'hosts'}` : `${m.value}% of the run's hosts`;
}

function stopWith(ctx: EngineContext, reason: StopReason, message: string, play: string, batch?: number): RunStop {
  ctx.stopped = { reason, message, play, ...(batch !== undefined ? { batch } : {}), at: new Date().toISOString() };
  return ctx.stopped;
}

/**
 * Before a play (batch undefined) or one of its batches starts: the reason not to start it, or
 * undefined to go on. The first reason found stops the run for good (later checks return it).
 */
export function checkWindow(ctx: EngineContext, play: string, batch?: number): RunStop | undefined {
  if (ctx.stopped) return ctx.stopped;
  const where = batch === undefined ? `play '${play}'` : `batch ${batch} of play '${play}'`;
  if (ctx.stop.aborted) return stopWith(ctx, 'interrupted', `interrupted: ${where} did not start`, play, batch);
  const { maxFail, deadline } = ctx.window;
  if (maxFail) {
    const failed = countFailed(ctx.states);
    if (maxFailCrossed(failed, ctx.states.length, maxFail)) {
      const message = `--max-fail: ${failed} of ${ctx.states.length} hosts failed or were unreachable, more than ${describeMaxFail(maxFail)}; ${where} did not start`;
      return stopWith(ctx, 'max-fail', message, play, batch);
    }
  }
  if (deadline && Date.now() >= deadline.getTime()) {
    return stopWith(ctx, 'deadline', `--deadline ${deadline.toISOString()} passed; ${where} did not start`, play, batch);
  }
  return undefined;
}

/** Records a stop after a batch failed as a whole (the play's own threshold), unless the run already stopped. */
export function stopAfterFailedBatch(ctx: EngineContext, play: string, batch: number, message: string): RunStop {
  return ctx.stopped ?? stopWith(ctx, 'batch-failed', message, play, batch + 1);
}

/** Marks the hosts that are still active as not reached in `play` (a host keeps the first play it missed). */
export function markNotReached(hosts: Iterable<HostState>, stop: RunStop, play: string): void {
  for (const h of hosts) {
    if (!isActive(h) || h.notReached) continue;
    h.notReached = { reason: stop.reason, play };
    h.report.notReached = h.notReached;
  }
}

/**
 * Marks hosts that an interrupt left with tasks or notified handlers of `play` still to run as not
 * reached (reason interrupted), so the report says which hosts are half-done.
 */
export function markInterrupted(ctx: EngineContext, hosts: Iterable<HostState>, play: string): void {
  const stop = ctx.stopped ?? stopWith(ctx, 'interrupted', `interrupted during play '${play}': the hosts with tasks left did not run them`, play);
  markNotReached(hosts, stop, play);
}
