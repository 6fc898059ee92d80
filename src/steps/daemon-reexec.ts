/**
 * daemon_reexec: when PID 1 is systemd and maps deleted (replaced) files, or when forced, run
 * `systemctl daemon-reexec`, then verify that PID 1 is the same systemd process and maps nothing
 * deleted any more. On hosts whose PID 1 is not systemd the step is skipped. One round trip.
 */
import { Type, type Static } from '@sinclair/typebox';
import { OrNull } from './args.js';
import type { ResultParts } from './remote-script.js';
import { parseDaemonReexec, pid1StateProbe, PID1_SCRIPT, type DaemonReexecOutcome } from '../facts/pid1-state.js';
import { remediationStep, type Decision, type Remediation } from './remediation.js';

export const DaemonReexecArgs = OrNull(Type.Object({
  force: Type.Optional(Type.Boolean({ description: 'Re-execute even when PID 1 maps no deleted files.', default: false })),
}, { additionalProperties: false }), {
  description: 'Re-executes PID 1 (`systemctl daemon-reexec`) when it is systemd and maps deleted (replaced) files such as an updated libsystemd-shared or glibc, then verifies that PID 1 is still the same systemd and maps nothing deleted. Skipped on hosts whose PID 1 is not systemd (SysV init cannot be re-executed this way; a reboot is the way). In check mode it says whether it would re-execute and touches nothing. Takes no arguments, or force.',
});
export type DaemonReexecArgs = Static<typeof DaemonReexecArgs>;

const files = (l: string[]): string => `${l.length} deleted file(s): ${l.slice(0, 5).join(', ')}${l.length > 5 ? ', …' : ''}`;

/** What check mode says it would do, and why. */
const wouldReexec = (o: DaemonReexecOutcome): string =>
  `run systemctl daemon-reexec (${o.stale.length ? `PID 1 maps ${files(o.stale)}` : 'forced'})`;

/** Pure: what the outcome means for the step. */
export function judgeDaemonReexec(o: DaemonReexecOutcome): ResultParts {
  const data = { pid1: o.pid1, stale: o.stale, still: o.still };
  if (o.pid1 !== 'systemd') return { status: 'skipped', message: `PID 1 is ${o.pid1 || 'unknown'}, not systemd: nothing to re-execute`, data };
  if (o.action === 'none') return { status: 'ok', message: 'PID 1 (systemd) maps no deleted files', data };
  if (o.action === 'would') return { status: 'skipped', message: `check mode: would ${wouldReexec(o)}`, data };
  if (o.action !== 'reexec') return { status: 'failed', cause: 'script-failed', message: 'could not read the state of PID 1', data };
  if (o.rc !== 0) return { status: 'failed', cause: 'reexec-failed', message: `systemctl daemon-reexec: exit code ${o.rc ?? 'unknown'}`, data };
  if (o.pid1After !== 'systemd') return { status: 'failed', cause: 'verify-failed', message: `PID 1 is ${o.pid1After || 'unknown'} after daemon-reexec`, data };
  if (o.start !== undefined && o.startAfter !== undefined && o.start !== o.startAfter) {
    return { status: 'failed', cause: 'verify-failed', message: 'PID 1 is not the same process after daemon-reexec', data };
  }
  if (o.still.length) return { status: 'failed', cause: 'verify-failed', message: `PID 1 still maps ${files(o.still)}`, data };
  const was = o.stale.length ? `, it mapped ${files(o.stale)}` : ' (forced)';
  return { status: 'changed', message: `systemd re-executed${was}`, data };
}

/** Pure: re-execute when the probe says so; otherwise the result (not systemd, nothing mapped deleted). */
export function decideDaemonReexec(o: DaemonReexecOutcome): Decision<{ stale: string[] }> {
  if (o.pid1 !== 'systemd' || o.action !== 'would') return { done: judgeDaemonReexec(o) };
  return { act: { stale: o.stale }, would: wouldReexec(o), data: { pid1: o.pid1, stale: o.stale, still: o.still } };
}

/** The step's parts, for remediate to reuse. */
export const daemonReexec: Remediation<DaemonReexecArgs, DaemonReexecOutcome, { stale: string[] }, DaemonReexecOutcome> = {
  name: 'daemon_reexec',
  args: DaemonReexecArgs,
  scan: (read, args) => read.probe(pid1StateProbe, { force: args?.force === true }),
  plan: (scan) => decideDaemonReexec(scan),
  apply: async (act, _plan, args) => parseDaemonReexec((await act.script('daemon_reexec', PID1_SCRIPT, [args?.force ? '1' : '0', '0'])).stdout),
  judge: (_plan, outcome) => judgeDaemonReexec(outcome),
};

export const daemonReexecStep = remediationStep(daemonReexec);
