import { setTimeout as sleep } from 'node:timers/promises';
import type { Play, Task, Vars } from '../model/playbook.js';
import type { StepResult } from '../model/results.js';
import { ExpressionError, UnreachableError } from '../model/errors.js';
import { evaluateCondition, renderDeep } from '../expr/index.js';
import { findStep } from '../steps/registry.js';
import { stepResult } from '../steps/result.js';
import { checkArgs } from '../steps/check-args.js';
import type { StepContext, StepType } from '../steps/step.js';
import { createFactsAccess } from '../steps/facts-access.js';
import { readHostOptions } from './host-options.js';
import type { EngineContext } from './context.js';
import { type HostState, recordStep } from './host-state.js';
import { FACTS_VAR, resultView, taskScope } from './vars.js';
import type { VarLayer, VarScope } from '../expr/index.js';
import { connectHost, markUnreachable } from './connect.js';
import { LoopError, loopItems } from './loop-items.js';
import { runLoop } from './run-loop.js';

/** A step gets this much longer than its own timeout before the engine stops waiting for it. */
const HARD_TIMEOUT_GRACE_MS = 10_000;

function where(task: Task): string {
  const s = task.source;
  return [s.file, s.line, s.column].filter((x) => x !== undefined).join(':');
}

/** An expression that cannot be evaluated fails the task with the task's position, as a value. */
function expressionFailure(task: Task, err: ExpressionError): StepResult {
  const undefinedVar = /undefined variable/.test(err.message);
  return stepResult({
    status: 'failed',
    message: `${where(task)}: task '${task.name}': ${err.message} (in: ${err.expression})`,
    cause: undefinedVar ? 'undefined-variable' : 'expression',
  });
}

/** The facts variable belongs to the engine: a task cannot set it. */
function readOnly(task: Task, how: string): StepResult {
  return stepResult({ status: 'failed', cause: 'config', message: `${where(task)}: ${how}: ${FACTS_VAR} is read-only (the host's facts, kept by gather_facts and the remediation steps)` });
}

function allTrue(exprs: string[], vars: VarScope): boolean {
  return exprs.every((e) => evaluateCondition(e, vars));
}

async function runWithDeadline(step: StepType<unknown>, ctxArgs: Parameters<StepType<unknown>['run']>, timeout?: number): Promise<StepResult> {
  const run = step.run(...ctxArgs);
  if (!timeout) return run;
  const ac = new AbortController();
  const deadline = sleep(timeout * 1000 + HARD_TIMEOUT_GRACE_MS, undefined, { signal: ac.signal }).then(() =>
    stepResult({ status: 'failed', timedOut: true, cause: 'timeout', message: `step did not end within its timeout of ${timeout}s` }),
  );
  try {
    return await Promise.race([run, deadline]);
  } finally {
    ac.abort();
    deadline.catch(() => undefined);
  }
}

/** A step that failed because the run's second stop signal ended its command says so (not a timeout, not an exit code). */
function interruptedIfKilled(result: StepResult, kill: AbortSignal): StepResult {
  if (!kill.aborted || result.status !== 'failed') return result;
  const signal = typeof kill.reason === 'string' ? kill.reason : 'a second stop signal';
  // a step that noticed the interrupt itself (a reboot's wait) says what it was doing
  if (result.cause === 'aborted') return { ...result, message: `interrupted by ${signal}: ${result.message ?? 'the step stopped'}` };
  const what = result.message ? ` (${result.message})` : '';
  return { ...result, timedOut: false, cause: 'aborted', message: `interrupted by ${signal}: remedy ended the step's command on the host while it ran; it may have run in part${what}` };
}

/** Runs one attempt of the step, turning every kind of failure into a result value. */
async function attempt(state: HostState, task: Task, step: StepType<unknown>, vars: VarScope, ctx: EngineContext): Promise<StepResult> {
  try {
    const checked = checkArgs(step, renderDeep(task.args, vars, step.rawArgs));
    if (!checked.ok) return stepResult({ status: 'failed', cause: 'bad-argument', message: checked.reason });
    const transport = state.transport!;
    const run = { ...(task.timeout ? { timeoutMs: task.timeout * 1000 } : {}), signal: ctx.kill };
    const options = readHostOptions(vars);
    const stepCtx: StepContext = {
      host: state.host.name, connection: state.spec, transport, vars,
      facts: createFactsAccess(transport, options, run, state), options,
      check: ctx.check, timeout: task.timeout, signal: ctx.kill,
    };
    const scans = state.scans ?? 0;
    const result = interruptedIfKilled(await runWithDeadline(step, [stepCtx, checked.args], task.timeout), ctx.kill);
    // A step that changed the host, or may have (it failed), without reading it again after: the kept
    // facts may be out of date, so recheck gathers again. Steps that read the host again keep it up to date.
    if ((result.changed || result.status === 'failed') && (state.scans ?? 0) === scans) stepCtx.facts.markChanged();
    return result;
  } catch (err) {
    if (err instanceof UnreachableError) return markUnreachable(state, err, ctx);
    if (err instanceof ExpressionError) return expressionFailure(task, err);
    const message = err instanceof Error ? err.message : String(err);
    return stepResult({ status: 'failed', cause: 'step-error', message: `step '${task.type}' failed: ${message}` });
  }
}

/** Applies changed_when / failed_when to a finished attempt. */
function applyOverrides(result: StepResult, task: Task, vars: VarScope): StepResult {
  if (result.status === 'unreachable' || result.status === 'skipped') return result;
  const scoped = vars.withData({ [task.register ?? 'result']: resultView(result) });
  let out = result;
  if (task.changedWhen) {
    const changed = allTrue(task.changedWhen, scoped);
    out = { ...out, changed, status: out.status === 'failed' ? 'failed' : changed ? 'changed' : 'ok' };
  }
  if (task.failedWhen) {
    const failed = task.failedWhen.some((e) => evaluateCondition(e, scoped));
    out = { ...out, status: failed ? 'failed' : out.changed ? 'changed' : 'ok', cause: failed ? 'failed-when' : undefined };
  }
  return out;
}

async function execute(state: HostState, task: Task, play: Play, ctx: EngineContext, included: readonly VarLayer[], loopVars?: Vars): Promise<StepResult> {
  const vars = taskScope(state, play, task, ctx.groups, ctx.extraVars, ctx.check, included, loopVars);
  try {
    if (task.when.length && !allTrue(task.when, vars)) {
      return stepResult({ status: 'skipped', message: `condition false: ${task.when.join(' and ')}` });
    }
  } catch (err) {
    if (err instanceof ExpressionError) return expressionFailure(task, err);
    throw err;
  }
  const step = findStep(task.type);
  if (!step) return stepResult({ status: 'failed', cause: 'config', message: `${where(task)}: unknown step type '${task.type}'` });
  if (task.register === FACTS_VAR) return readOnly(task, 'register');
  if (ctx.check && !step.supportsCheck) return stepResult({ status: 'skipped', message: 'skipped (check mode)' });
  if (!state.connected) {
    const failure = await connectHost(state, ctx, play.name);
    if (failure) return failure;
  }
  const tries = (task.until ? task.retries ?? 3 : 0) + 1;
  let result = stepResult({ status: 'skipped' });
  for (let n = 1; n <= tries; n++) {
    result = await attempt(state, task, step, vars, ctx);
    try {
      result = { ...applyOverrides(result, task, vars), attempts: n };
      if (!task.until || result.status === 'unreachable') break;
      const scoped = vars.withData({ [task.register ?? 'result']: resultView(result) });
      if (allTrue(task.until, scoped)) break;
    } catch (err) {
      if (err instanceof ExpressionError) return expressionFailure(task, err);
      throw err;
    }
    if (n === tries) {
      result = { ...result, status: 'failed', cause: 'retries', message: `still not true after ${n} attempts: ${task.until.join(' and ')}` };
    } else {
      try { await sleep((task.delay ?? 5) * 1000, undefined, { signal: ctx.stop }); } catch { break; }
    }
  }
  return result;
}

/** A looped task: its items (a bad loop fails the task), then each item run as a task of its own. */
async function executeLoop(state: HostState, task: Task, play: Play, ctx: EngineContext, included: readonly VarLayer[]): Promise<StepResult> {
  const loop = task.loop!;
  const scopeFor = (vars?: Vars) => taskScope(state, play, task, ctx.groups, ctx.extraVars, ctx.check, included, vars);
  try {
    const items = loopItems(loop, scopeFor());
    // As Ansible, what an item sets (set_fact) is seen by the next item: `acc: "{{ acc + [item] }}"` accumulates.
    const runItem = async (vars: Vars) => {
      const result = await execute(state, task, play, ctx, included, vars);
      if (result.facts && !Object.hasOwn(result.facts, FACTS_VAR)) Object.assign(state.data, result.facts);
      return result;
    };
    return await runLoop(loop, items, scopeFor, runItem, ctx.stop);
  } catch (err) {
    if (err instanceof ExpressionError) return expressionFailure(task, err);
    if (err instanceof LoopError) return stepResult({ status: 'failed', cause: 'config', message: `${where(task)}: task '${task.name}': ${err.message}` });
    throw err;
  }
}

/**
 * Runs one task on one host: emits its events, records the result, updates facts and notifications.
 * `included` are the variable layers the includes around the task hand it (their loop items).
 */
export async function runTask(state: HostState, task: Task, play: Play, ctx: EngineContext, handler = false, included: readonly VarLayer[] = []): Promise<StepResult> {
  ctx.emit({ type: 'task-start', play: play.name, host: state.host.name, task: task.name, handler });
  const started = Date.now();
  const raw = task.loop ? await executeLoop(state, task, play, ctx, included) : await execute(state, task, play, ctx, included);
  let result = { ...raw, durationMs: raw.durationMs || Date.now() - started };
  if (result.facts && Object.hasOwn(result.facts, FACTS_VAR)) result = { ...readOnly(task, task.type), durationMs: result.durationMs };
  if (result.facts) Object.assign(state.data, result.facts);
  if (task.register) state.data[task.register] = resultView(result);
  if (result.changed && result.status !== 'failed') {
    // A task read by include_tasks can name a handler the play lacks (those in the playbook are refused when it loads).
    const missing = task.notify.filter((n) => !play.handlers.some((h) => h.name === n || h.listen.includes(n)));
    if (missing.length) result = { ...result, status: 'failed', cause: 'config', message: `${where(task)}: task '${task.name}' changed the host, but notify names no handler of play '${play.name}': ${missing.map((n) => `'${n}'`).join(', ')}` };
    else task.notify.forEach((n) => state.notified.add(n));
  }
  const ignored = result.status === 'failed' && task.ignoreErrors;
  if (result.status === 'failed' && !ignored) state.failed = true;
  recordStep(state, play.name, task.name, result, ignored);
  ctx.emit({ type: 'task-result', play: play.name, host: state.host.name, task: task.name, handler, result });
  return result;
}
