/**
 * The reboot's veto, as kured's blockers: a command the playbook gives (for example "a backup is
 * running": `pgrep -x borg`) runs on the host just before the reboot would be sent. Exit 0 vetoes the
 * reboot; exit 1 lets it go on; anything else (another exit code, a signal, a timeout) also vetoes it,
 * since a veto that could not answer (a typo: exit 127) must not let a reboot through.
 */
import type { ExecResult } from '../transport/transport.js';
import type { StepContext } from './step.js';

/** Seconds the veto command may take. */
export const VETO_TIMEOUT_S = 60;

export interface VetoVerdict { veto: boolean; why: string }

const firstLine = (s: string): string => s.trim().split('\n')[0]?.slice(0, 200) ?? '';

/** Pure: what the veto command's result means. */
export function judgeVeto(command: string, exec: ExecResult): VetoVerdict {
  const said = firstLine(exec.stdout) || firstLine(exec.stderr);
  const out = said ? `: ${said}` : '';
  if (exec.timedOut) return { veto: true, why: `the veto \`${command}\` did not finish within ${VETO_TIMEOUT_S}s: not rebooting` };
  if (exec.exitCode === 0) return { veto: true, why: `vetoed by \`${command}\` (exit 0${out})` };
  if (exec.exitCode === 1) return { veto: false, why: `the veto \`${command}\` allows the reboot (exit 1)` };
  const how = exec.exitCode === null ? `signal ${exec.signal ?? 'unknown'}` : `exit ${exec.exitCode}`;
  return { veto: true, why: `the veto \`${command}\` did not answer (${how}${out}; only exit 1 allows the reboot): not rebooting` };
}

/** Runs the veto command on the host (one round trip). */
export async function runVeto(ctx: StepContext, command: string): Promise<{ verdict: VetoVerdict; exec: ExecResult }> {
  const exec = await ctx.transport.exec({ script: command, timeoutMs: VETO_TIMEOUT_S * 1000, signal: ctx.signal });
  return { verdict: judgeVeto(command, exec), exec };
}
