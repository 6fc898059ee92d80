import type { StepResult } from '../model/results.js';
import type { ExecResult } from '../transport/transport.js';

/** A result with every required field filled; pass only what differs. */
export function stepResult(fields: Partial<StepResult> & Pick<StepResult, 'status'>): StepResult {
  return {
    changed: fields.status === 'changed',
    stdout: '',
    stderr: '',
    durationMs: 0,
    ...fields,
  };
}

/** What a step that cannot predict its outcome reports in check mode. */
export function skippedInCheck(what: string): StepResult {
  return stepResult({ status: 'skipped', message: `skipped (check mode): would ${what}` });
}

/** How much of a command's stdout and stderr is kept (the transports' default bound), for messages. */
const OUTPUT_BOUND = '1 MiB each of stdout and stderr';

/** Turns a finished command into a result: exit 0 is 'changed' (like Ansible's command), anything else 'failed'. */
export function resultFromExec(res: ExecResult, timeoutSeconds?: number): StepResult {
  const ok = res.exitCode === 0 && !res.timedOut;
  let message: string | undefined;
  if (res.timedOut) message = `timed out after ${timeoutSeconds ?? '?'}s; the command's process group was ended`;
  else if (res.signal) message = `killed by signal ${res.signal}`;
  else if (!ok) message = `exit code ${res.exitCode}${firstLine(res.stderr)}`;
  // Output beyond the transport's bound is cut: say so, in the message and in what `register` keeps.
  if (res.truncated) message = `${message ? `${message}; ` : ''}output cut: the command printed more than remedy keeps (${OUTPUT_BOUND})`;
  return stepResult({
    status: ok ? 'changed' : 'failed',
    changed: ok,
    exitCode: res.exitCode,
    signal: res.signal,
    stdout: res.stdout,
    stderr: res.stderr,
    durationMs: res.durationMs,
    timedOut: res.timedOut,
    message,
    cause: res.timedOut ? 'timeout' : ok ? undefined : 'exit-code',
    ...(res.truncated ? { data: { truncated: true } } : {}),
  });
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0];
  return line ? `: ${line.slice(0, 200)}` : '';
}
