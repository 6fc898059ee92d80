/**
 * Shared plumbing of the remediation steps: run a POSIX sh script on the host in one round trip (the
 * script and record helpers themselves are in src/facts/script.ts), and turn execs into step results.
 */
import type { ExecResult } from '../transport/transport.js';
import { buildScriptCommand } from '../facts/script.js';

export {
  buildScriptCommand, parseRecords, recordValue, fieldsOf, parseStatStart, PROC_SH, TERMINATE_SH, DELETED_MAPS_SH, type ScriptRecord,
} from '../facts/script.js';
import type { StepCause, StepResult, StepStatus, StepEffects } from '../model/results.js';
import type { StepContext } from './step.js';



/** Runs one script on the host through the step's transport (one exec round trip). */
export async function runRemoteScript(ctx: StepContext, body: string, args: string[], onStdout?: (chunk: string) => void): Promise<ExecResult> {
  return ctx.transport.exec({
    script: buildScriptCommand(body, args),
    timeoutMs: ctx.timeout !== undefined ? ctx.timeout * 1000 : undefined,
    signal: ctx.signal,
    ...(onStdout ? { onStdout } : {}),
  });
}


export interface ResultParts {
  status: StepStatus;
  /** Whether the host changed, when it differs from status === 'changed' (a restart that failed its verification). */
  changed?: boolean;
  message?: string;
  cause?: StepCause;
  effects?: StepEffects;
  data?: Record<string, unknown>;
  /** The command whose output and exit code the result shows, when it is not the last script (reboot's test command). */
  output?: ExecResult;
}

/** Builds a StepResult from the exec results of the step's round trips and what was decided. */
export function toStepResult(execs: ExecResult[], parts: ResultParts): StepResult {
  const last = execs[execs.length - 1];
  const result: StepResult = {
    status: parts.status,
    changed: parts.changed ?? parts.status === 'changed',
    exitCode: last ? last.exitCode : null,
    signal: last ? last.signal : null,
    stdout: execs.map((e) => e.stdout).join(''),
    stderr: execs.map((e) => e.stderr).join(''),
    durationMs: execs.reduce((sum, e) => sum + e.durationMs, 0),
  };
  if (parts.message !== undefined) result.message = parts.message;
  if (parts.cause !== undefined) result.cause = parts.cause;
  if (parts.effects !== undefined) result.effects = parts.effects;
  if (parts.data !== undefined) result.data = parts.data;
  if (parts.output) Object.assign(result, { stdout: parts.output.stdout, stderr: parts.output.stderr, exitCode: parts.output.exitCode });
  if (execs.some((e) => e.timedOut)) {
    result.timedOut = true;
    result.status = 'failed';
    result.changed = false;
    result.cause = 'timeout';
  }
  return result;
}

/** A failed result for an exec that ended badly (timeout, signal, unexpected exit code). */
export function execFailure(execs: ExecResult[], what: string): StepResult {
  const last = execs[execs.length - 1];
  const why = last?.timedOut ? 'timed out' : last?.signal ? `killed by ${last.signal}` : `exit code ${last?.exitCode}`;
  const err = last?.stderr.trim();
  return toStepResult(execs, {
    status: 'failed',
    message: `${what}: ${why}${err ? `: ${err.split('\n').slice(-3).join(' / ')}` : ''}`,
    cause: last?.timedOut ? 'timeout' : 'script-failed',
  });
}
