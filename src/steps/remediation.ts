/**
 * The one shape of a remediating step: scan (the host's facts, or a probe from src/facts) → plan (pure,
 * typed, plain data) → apply (IO, as few round trips as possible) → judge (pure, from what apply and an
 * optional re-scan saw). The runner below owns the execs, the failures of a script, and check mode: in
 * check mode it stops after the plan and shows it. A remediating step is its pure parts and its scripts.
 */
import type { TSchema } from '@sinclair/typebox';
import type { HostFacts } from '../facts/types.js';
import type { Probe } from '../facts/probe.js';
import type { ConnectionSpec } from '../model/inventory.js';
import { UnreachableError } from '../model/errors.js';
import type { StepEffects, StepResult } from '../model/results.js';
import type { ExecResult } from '../transport/transport.js';
import { factsEffects } from '../facts/effects.js';
import type { FactsAccess, HostOptions } from './facts-access.js';
import { execFailure, runRemoteScript, toStepResult, type ResultParts } from './remote-script.js';
import type { StepContext, StepType } from './step.js';

/** What a scan may read: the host's facts (kept between steps) and probes. */
export interface Reader {
  facts: FactsAccess;
  probe<I, T>(probe: Probe<I, T>, input: I): Promise<T>;
}

/** What apply may do: run a script on the host (one round trip each), and say what it is doing. */
export interface Actor extends Reader {
  /** `onStdout` sees the script's output as it arrives (a script may say it has reached a point). */
  script(what: string, body: string, args: string[], timeoutSeconds?: number, onStdout?: (chunk: string) => void): Promise<ExecResult>;
  progress(message: string): void;
  /** The step's context, for the few steps that drive the connection itself (reboot). */
  ctx: StepContext;
}

/** What a plan may know about the host besides its scan. */
export interface PlanHost {
  check: boolean;
  connection: ConnectionSpec;
  options: HostOptions;
}

/**
 * The plan's verdict: act on the plan (in check mode: show it), or a result without acting. `effects`
 * of an act are the step's view of the host before acting (check mode reports them).
 */
export type Decision<P> =
  | { act: P; would: string; data?: Record<string, unknown>; effects?: StepEffects }
  | { done: ResultParts };

export interface Remediation<A, S, P, O, V = undefined> {
  name: string;
  /** The arguments, declared once (TypeBox): the schema files and the engine's check come from it. */
  args: TSchema;
  scan(read: Reader, args: A): Promise<S>;
  plan(scan: S, args: A, host: PlanHost): Decision<P>;
  apply(act: Actor, plan: P, args: A): Promise<O>;
  /** After apply: read again what changed (the facts, a service's state), for judge. */
  verify?(read: Reader, plan: P, outcome: O, args: A): Promise<V | undefined>;
  judge(plan: P, outcome: O, verified: V | undefined, args: A): ResultParts;
}

/** A script or probe that ended badly (exit code, signal, timeout): the step fails with it. */
class ScriptFailed extends Error {
  constructor(readonly what: string) { super(what); }
}

/** Gathering the facts failed in a way that is not an unreachable host: the step fails with probe-error. */
class FactsFailed extends Error {}

async function reading<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof UnreachableError) throw err;
    throw new FactsFailed(err instanceof Error ? err.message : String(err));
  }
}

const PHASES = {
  scan: 'while reading the host, before changing anything',
  apply: 'while changing the host: it may be half done, see the host',
  verify: 'after changing the host, while checking the result',
} as const;

/** Runs one remediation step on one host: every exec it makes goes into the step result. */
export async function runRemediation<A, S, P, O, V = undefined>(def: Remediation<A, S, P, O, V>, ctx: StepContext, args: A): Promise<StepResult> {
  const started = Date.now();
  const execs: ExecResult[] = [];
  let scanned: HostFacts | undefined;
  let applied = false;
  /** Where the step is, for a connection lost on the way: the report says which phase it was in. */
  let phase: 'scan' | 'apply' | 'verify' = 'scan';
  const exec = async (what: string, body: string, scriptArgs: string[], timeout?: number, onStdout?: (chunk: string) => void): Promise<ExecResult> => {
    const res = await runRemoteScript(timeout === undefined ? ctx : { ...ctx, timeout }, body, scriptArgs, onStdout);
    execs.push(res);
    if (res.exitCode !== 0 || res.timedOut) throw new ScriptFailed(what);
    return res;
  };
  const facts: FactsAccess = {
    peek: () => ctx.facts.peek(),
    get: async () => ctx.facts.peek() ?? (scanned = await reading(() => ctx.facts.get())),
    refresh: async (o) => (scanned = await reading(() => ctx.facts.refresh(o))),
    judge: (never) => {
      const judged = ctx.facts.judge(never);
      if (scanned && judged) scanned = judged;
      return judged;
    },
    current: async (o) => {
      const now = await reading(() => ctx.facts.current(o));
      scanned = now.facts;
      return now;
    },
    markChanged: () => ctx.facts.markChanged(),
  };
  const reader: Reader = {
    facts,
    probe: async (probe, input) => probe.parse((await exec(`${def.name}`, probe.script, probe.args(input))).stdout),
  };
  const finish = (parts: ResultParts, plan?: unknown): StepResult => {
    const result = toStepResult(execs, parts);
    // The latest scan's view, unless the step judged the host itself (restart_services' never-restart list).
    if (scanned) result.effects = { ...factsEffects(scanned), ...(result.effects ?? {}) };
    if (plan !== undefined) result.plan = plan;
    result.durationMs = Date.now() - started;
    return result;
  };
  try {
    const decision = def.plan(await def.scan(reader, args), args, { check: ctx.check, connection: ctx.connection, options: ctx.options });
    if ('done' in decision) return finish(decision.done);
    if (ctx.check) {
      return finish({
        status: 'skipped', message: `check mode: would ${decision.would}`,
        ...(decision.data ? { data: decision.data } : {}), ...(decision.effects ? { effects: decision.effects } : {}),
      }, decision.act);
    }
    const actor: Actor = { ...reader, script: exec, progress: (m) => ctx.progress?.(m), ctx };
    phase = 'apply';
    // From here the kept facts may be out of date, until verify reads the host again.
    ctx.facts.markChanged();
    const outcome = await def.apply(actor, decision.act, args);
    applied = true;
    phase = 'verify';
    const verified = def.verify ? await def.verify(reader, decision.act, outcome, args) : undefined;
    return finish(def.judge(decision.act, outcome, verified, args), decision.act);
  } catch (err) {
    if (err instanceof ScriptFailed) {
      const failed = execFailure(execs, err.what);
      // ended by the run's second stop signal: say which phase, as for a connection lost on the way
      const where = ctx.signal?.aborted ? `; ${PHASES[phase]}` : '';
      return { ...failed, message: `${failed.message ?? ''}${where}`, durationMs: Date.now() - started };
    }
    if (err instanceof FactsFailed) {
      const when = applied ? 'applied, but gathering the facts again failed: ' : '';
      return finish({ status: 'failed', cause: 'probe-error', message: `${def.name}: ${when}${err.message}` });
    }
    if (err instanceof UnreachableError) throw new UnreachableError(err.host, err.kind, `${err.message} (${def.name}: ${PHASES[phase]})`, { cause: err });
    throw err;
  }
}

/** The step type the engine runs for a remediation. */
export function remediationStep<A, S, P, O, V = undefined>(def: Remediation<A, S, P, O, V>): StepType<A> {
  return { name: def.name, args: def.args, supportsCheck: true, run: (ctx, args) => runRemediation(def, ctx, args) };
}
