import { UnreachableError } from '../model/errors.js';
import type { StepResult } from '../model/results.js';
import { stepResult } from '../steps/result.js';
import type { EngineContext } from './context.js';
import type { HostState } from './host-state.js';

/** Marks the host unreachable for the rest of the run and returns the matching result value. */
export function markUnreachable(state: HostState, err: UnreachableError, ctx: EngineContext): StepResult {
  state.unreachable = { kind: err.kind, message: err.message };
  state.report.unreachable = state.unreachable;
  ctx.emit({ type: 'host-unreachable', host: state.host.name, kind: err.kind, message: err.message });
  return stepResult({ status: 'unreachable', cause: err.kind, message: err.message });
}

/** Opens the host's one connection, reused by every later step; a failure is a value. */
export async function connectHost(state: HostState, ctx: EngineContext): Promise<StepResult | undefined> {
  try {
    state.transport ??= ctx.transportFor(state.spec);
    await state.transport.connect();
    state.connected = true;
    return undefined;
  } catch (err) {
    if (err instanceof UnreachableError) return markUnreachable(state, err, ctx);
    const message = err instanceof Error ? err.message : String(err);
    return markUnreachable(state, new UnreachableError(state.host.name, 'other', message, { cause: err }), ctx);
  }
}
