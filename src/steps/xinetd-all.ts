/**
 * xinetd_sessions with `service: all`: every xinetd service that runs a server program, each handled as
 * if named; this adds the per-service results up into one step result (pure).
 */
import type { KilledProcess, StepResult } from '../model/results.js';

/** Pure: one step result out of the per-service results (killed lists joined, the worst status wins). */
export function combineServiceResults(results: Array<{ service: string; result: StepResult }>): StepResult {
  const killed: KilledProcess[] = results.flatMap((r) => r.result.effects?.killed ?? []);
  const failed = results.filter((r) => r.result.status === 'failed');
  const acting = results.filter((r) => r.result.status === 'changed' || r.result.status === 'skipped');
  const status = failed.length ? 'failed' : results.some((r) => r.result.status === 'changed') ? 'changed'
    : results.some((r) => r.result.status === 'skipped') ? 'skipped' : 'ok';
  const message = failed.length || acting.length
    ? [...failed, ...acting].map((r) => r.result.message ?? `${r.service}: ${r.result.status}`).join('; ')
    : results.length ? results.map((r) => r.result.message ?? `no old ${r.service} sessions`).join('; ') : 'no xinetd service with a server program';
  const combined: StepResult = {
    status,
    changed: status === 'changed',
    exitCode: results.at(-1)?.result.exitCode ?? 0,
    signal: null,
    stdout: results.map((r) => r.result.stdout).join(''),
    stderr: results.map((r) => r.result.stderr).join(''),
    durationMs: results.reduce((sum, r) => sum + r.result.durationMs, 0),
    message,
    data: { services: results.map((r) => ({ service: r.service, status: r.result.status, ...r.result.data })) },
  };
  if (killed.length) combined.effects = { killed };
  const cause = failed.find((r) => r.result.cause)?.result.cause;
  if (cause) combined.cause = cause;
  if (results.some((r) => r.result.timedOut)) combined.timedOut = true;
  return combined;
}
