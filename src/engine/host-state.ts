import type { ConnectionSpec, Host } from '../model/inventory.js';
import type { HostReport, HostStatus, LockHolder, NotReached, StepRecord, StepResult } from '../model/results.js';
import type { Vars } from '../model/playbook.js';
import type { Transport } from '../transport/transport.js';
import type { UnreachableKind } from '../model/errors.js';
import type { HostFacts } from '../facts/types.js';
import type { FactsStore } from '../steps/facts-access.js';

/** Everything the engine knows about one host during a run. */
export interface HostState extends FactsStore {
  host: Host;
  spec: ConnectionSpec;
  transport?: Transport;
  connected: boolean;
  /** set_fact values, registered results and facts: data from the host and the steps, never rendered as templates; they outlive the play, as in Ansible. */
  data: Vars;
  /** The host's latest facts (typed; playbooks read them as the read-only variable remedy_facts). */
  facts?: HostFacts;
  /** Failed in the current play (reset by nothing: a failed host is out of the run). */
  failed: boolean;
  unreachable?: { kind: UnreachableKind; message: string };
  /** Another run holds the host's lock: this run leaves it alone. */
  locked?: LockHolder;
  /** The run stopped before this host ran every play it was in. */
  notReached?: NotReached;
  notified: Set<string>;
  report: HostReport;
}

export function createHostState(host: Host, spec: ConnectionSpec): HostState {
  return {
    host,
    spec,
    connected: false,
    data: {},
    failed: false,
    notified: new Set(),
    report: {
      name: host.name,
      address: spec.kind === 'local' ? 'local' : spec.port ? `${spec.address}:${spec.port}` : spec.address,
      status: 'skipped',
      rebootRequired: false,
      rebootReasons: [],
      restarted: [],
      killed: [],
      stale: [],
      steps: [],
    },
  };
}

/** The host can run more tasks: neither failed nor unreachable, nor locked by another run. */
export function isActive(state: HostState): boolean {
  return !state.failed && !state.unreachable && !state.locked;
}

/** Failed or unreachable: what a batch's failure threshold and --max-fail count (a locked host is neither). */
export function hasFailed(state: HostState): boolean {
  return state.failed || state.unreachable !== undefined;
}

/** Records one step's outcome in the host report and folds its effects in. */
export function recordStep(state: HostState, play: string, task: string, result: StepResult, ignored = false): void {
  const record: StepRecord = {
    play,
    task,
    status: result.status,
    durationMs: result.durationMs,
    exitCode: result.exitCode ?? null,
    message: result.message ?? '',
  };
  if (result.cause && result.status !== 'ok' && result.status !== 'changed') record.cause = result.cause;
  if (ignored) record.ignored = true;
  if (result.plan !== undefined) record.plan = result.plan;
  state.report.steps.push(record);
  const fx = result.effects;
  if (fx) {
    if (fx.restarted) state.report.restarted.push(...fx.restarted);
    if (fx.killed) state.report.killed.push(...fx.killed);
    if (fx.stale) state.report.stale = fx.stale;
    if (fx.rebootRequired !== undefined) state.report.rebootRequired = fx.rebootRequired;
    if (fx.rebootReasons) state.report.rebootReasons = fx.rebootReasons;
  }
}

/** A host's status: computed here only, when the report is built (engine/report.ts). */
export function hostStatus(state: HostState): HostStatus {
  if (state.unreachable) return 'unreachable';
  const steps = state.report.steps;
  if (steps.some((s) => s.status === 'failed' && !s.ignored)) return 'failed';
  if (state.failed) return 'failed';
  if (state.locked) return 'locked';
  if (state.notReached) return 'not-reached';
  if (steps.some((s) => s.status === 'changed')) return 'changed';
  if (steps.some((s) => s.status === 'ok')) return 'ok';
  return steps.length ? 'ok' : 'skipped';
}
