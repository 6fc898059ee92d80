/**
 * The pure half of ending processes: reading what `remedy_terminate` (PROC_SH in remote-script.ts)
 * printed, and turning it into the step's effects. The script side signals only the exact process
 * it was given (pid AND starttime), so a pid reused in between is never touched.
 */
import type { KilledProcess, StepEffects } from '../model/results.js';
import { parseRecords } from './remote-script.js';

export interface TerminateOutcome {
  /** pid → the first signal sent to it. */
  sent: Map<number, string>;
  /** Processes that ended, with the signal after which they were found gone. */
  gone: Array<{ pid: number; signal: string }>;
  /** Processes already gone before the first signal. */
  vanished: number[];
  /** Still alive at the end (after KILL when kill_after). */
  survivors: number[];
  errors: Array<{ pid: number; why: string }>;
}

/** Pure parser of remedy_terminate output. */
export function parseTerminateOutput(stdout: string): TerminateOutcome {
  const out: TerminateOutcome = { sent: new Map(), gone: [], vanished: [], survivors: [], errors: [] };
  for (const r of parseRecords(stdout)) {
    const pid = Number(r.fields[0]);
    if (!Number.isInteger(pid)) continue;
    switch (r.kind) {
      case 'sent': if (!out.sent.has(pid)) out.sent.set(pid, r.fields[1] ?? ''); break;
      case 'gone': out.gone.push({ pid, signal: r.fields[1] ?? '' }); break;
      case 'vanished': out.vanished.push(pid); break;
      case 'survivor': out.survivors.push(pid); break;
      case 'error': out.errors.push({ pid, why: r.fields.slice(1).join(' ') }); break;
      default: break;
    }
  }
  return out;
}

/** Seconds of grace → the number of 0.2 s polls remedy_terminate makes. */
export function graceTicks(seconds: number): number {
  return Math.max(0, Math.ceil(seconds * 5));
}

/** The killed list of the step's effects: every process that ended, with the signal that ended it. */
export function terminateEffects(outcome: TerminateOutcome, targets: Array<{ pid: number; command: string }>): StepEffects {
  const byPid = new Map(targets.map((t) => [t.pid, t.command]));
  const killed: KilledProcess[] = outcome.gone.map((g) => ({ pid: g.pid, command: byPid.get(g.pid) ?? '', signal: g.signal }));
  return { killed };
}
