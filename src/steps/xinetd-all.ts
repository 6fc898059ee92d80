/**
 * xinetd_sessions with `service: all`: every xinetd service that runs a server program (/etc/xinetd.conf
 * and /etc/xinetd.d/*), each handled as if named, the results added up into one step result.
 * read (one script lists the services) → for each: the single-service step (scan, plan, terminate).
 */
import type { StepContext } from './step.js';
import type { KilledProcess, StepResult } from '../model/results.js';
import { parseRecords, runRemoteScript, toStepResult, execFailure } from './remote-script.js';
import { SERVICE_NAME_RE } from './service.js';

/** The value of `service` that selects every xinetd service. */
export const ALL_XINETD_SERVICES = 'all';

/** Records: `service NAME` for each service block whose `server` is a program path (internal services have none). */
export const XINETD_LIST_SH = String.raw`
cat /etc/xinetd.conf /etc/xinetd.d/* 2>/dev/null | awk '
  $1 == "service" && NF >= 2 { name = $2; inb = 1; next }
  inb && /^[ \t]*}/ { inb = 0; next }
  inb && /^[ \t]*server[ \t]*=[ \t]*\// { if (!(name in seen)) { seen[name] = 1; printf "service\t%s\n", name } }
'
return 0
`;

/** Pure parser of XINETD_LIST_SH output: service names, in file order, without duplicates or unsafe names. */
export function parseXinetdServiceList(stdout: string): string[] {
  const names = parseRecords(stdout).filter((r) => r.kind === 'service').map((r) => r.fields[0] ?? '');
  return [...new Set(names)].filter((n) => SERVICE_NAME_RE.test(n));
}

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

/** Lists the host's xinetd services and runs `runOne` for each, one after the other. */
export async function runAllXinetdSessions<A extends { service: string }>(
  ctx: StepContext,
  args: A,
  runOne: (ctx: StepContext, args: A) => Promise<StepResult>,
): Promise<StepResult> {
  const listExec = await runRemoteScript(ctx, XINETD_LIST_SH, []);
  if (listExec.exitCode !== 0 || listExec.timedOut) return execFailure([listExec], 'xinetd_sessions all');
  const services = parseXinetdServiceList(listExec.stdout);
  if (services.length === 0) {
    return toStepResult([listExec], { status: 'ok', message: 'no xinetd service with a server program', data: { services: [] } });
  }
  const results: Array<{ service: string; result: StepResult }> = [];
  for (const service of services) {
    if (ctx.signal?.aborted) break;
    results.push({ service, result: await runOne(ctx, { ...args, service }) });
  }
  return combineServiceResults(results);
}
