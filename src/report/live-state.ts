import type { RunEvent } from '../model/events.js';
import type { HostReport, RunReport, StepStatus } from '../model/results.js';
import { cellWidth, pad, sanitizeLine, type Paint } from './text.js';
import { describeLockHolder, describeNotReached } from './host-outcome.js';

export type Counts = Record<StepStatus, number>;

/** How a finished host's row ends: listr2 shows ok as ✔, failed as ✖, skipped as ↓. */
export interface Final { kind: 'ok' | 'failed' | 'skipped'; word: string; text: string }

export interface HostState {
  name: string;
  /** The name as printed: sanitized. */
  label: string;
  counts: Counts;
  /** "play › task" of the step running or last run, or an unreachable notice. */
  current?: string;
  final?: Final;
  /** When the host last changed, as a counter: the most recent first when rows are scarce. */
  seq: number;
  problem: boolean;
}

export interface FleetState {
  readonly hosts: Map<string, HostState>;
  reset(names: string[]): void;
  /** Applies one event; returns the host it changed, if any. */
  apply(event: RunEvent): HostState | undefined;
  /** Ends every host not yet finished, from the report when it has the host; returns them. */
  finishAll(report: RunReport | undefined, why: string): HostState[];
  /** The row text of one host: its name padded to `width`, then its progress or outcome. */
  line(h: HostState, width: number): string;
  /** One line about the whole fleet: done, failed, unreachable, running, waiting. */
  fleetLine(): string;
  /** The `n` hosts most worth a row: problems, then running, then finished, then waiting. */
  pick(n: number): HostState[];
}

const zero = (): Counts => ({ ok: 0, changed: 0, skipped: 0, failed: 0, unreachable: 0 });

/** Tracks what the live view shows of each host, from the engine's events. Pure state, no IO. */
export function createFleetState(paint: Paint): FleetState {
  const hosts = new Map<string, HostState>();
  let seq = 0;
  const touch = (h: HostState): HostState => { h.seq = ++seq; return h; };

  const finish = (h: HostState, final: Final, problem: boolean): HostState => {
    h.final = final;
    h.problem = problem;
    return touch(h);
  };

  const fromReport = (h: HostState, r: HostReport): HostState => {
    const counts = zero();
    for (const s of r.steps) if (!(s.status === 'failed' && s.ignored)) counts[s.status]++;
    h.counts = counts;
    const reboot = r.rebootRequired ? `  ${paint('yellow', 'reboot required')}` : '';
    if (r.status === 'unreachable') {
      const kind = r.unreachable ? ` (${sanitizeLine(r.unreachable.kind)})` : '';
      const msg = r.unreachable ? `: ${sanitizeLine(r.unreachable.message.split('\n')[0] ?? '')}` : '';
      return finish(h, { kind: 'failed', word: 'unreachable', text: `${paint('red', 'unreachable')}${kind}${msg}` }, true);
    }
    if (r.status === 'locked' || r.status === 'not-reached') {
      const why = r.status === 'locked' ? `by ${describeLockHolder(r)}` : describeNotReached(r);
      return finish(h, { kind: 'skipped', word: r.status, text: `${paint('yellow', r.status === 'locked' ? 'locked' : 'not reached')}: ${sanitizeLine(why)}` }, true);
    }
    const word = r.status === 'failed' ? paint('red', 'failed') : r.status === 'changed' ? paint('yellow', 'changed')
      : r.status === 'ok' ? paint('green', 'ok') : 'skipped';
    const kind = r.status === 'failed' ? 'failed' : r.status === 'skipped' ? 'skipped' : 'ok';
    return finish(h, { kind, word: r.status, text: `${word}  ${formatCounts(counts, paint)}${reboot}` }, r.status === 'failed');
  };

  return {
    hosts,
    reset(names) {
      hosts.clear();
      for (const name of names) hosts.set(name, { name, label: sanitizeLine(name), counts: zero(), seq: 0, problem: false });
    },
    apply(event) {
      switch (event.type) {
        case 'task-start': {
          const h = hosts.get(event.host);
          if (!h || h.final) return undefined;
          h.current = sanitizeLine(`${event.play} › ${event.handler ? 'handler ' : ''}${event.task}`);
          return touch(h);
        }
        case 'task-result': {
          const h = hosts.get(event.host);
          if (!h || h.final) return undefined;
          h.counts[event.result.status]++;
          if (event.result.status === 'failed' || event.result.status === 'unreachable') h.problem = true;
          return touch(h);
        }
        case 'host-unreachable': {
          const h = hosts.get(event.host);
          if (!h || h.final) return undefined;
          h.current = `${paint('red', 'UNREACHABLE')} (${sanitizeLine(event.kind)}): ${sanitizeLine(event.message.split('\n')[0] ?? '')}`;
          h.problem = true;
          return touch(h);
        }
        case 'host-end': {
          const h = hosts.get(event.host.name);
          return h && !h.final ? fromReport(h, event.host) : undefined;
        }
        default:
          return undefined;
      }
    },
    finishAll(report, why) {
      const ended: HostState[] = [];
      for (const h of hosts.values()) {
        if (h.final) continue;
        const r = report?.hosts.find((x) => x.name === h.name);
        ended.push(r ? fromReport(h, r) : finish(h, { kind: 'skipped', word: why, text: `${why}  ${formatCounts(h.counts, paint)}` }, h.problem));
      }
      return ended;
    },
    line(h, width) {
      const text = h.final ? h.final.text : `${h.current ?? 'waiting'}  ${formatCounts(h.counts, paint)}`;
      return `${paint('bold', pad(h.label, width))}  ${text}`;
    },
    fleetLine() {
      let done = 0, failed = 0, unreachable = 0, running = 0;
      const stopped = new Map<string, number>();
      for (const h of hosts.values()) {
        if (h.final?.kind === 'skipped' && h.final.word !== 'skipped') stopped.set(h.final.word, (stopped.get(h.final.word) ?? 0) + 1);
        else if (h.final) {
          done++;
          if (h.final.word === 'unreachable') unreachable++;
          else if (h.final.word === 'failed') failed++;
        } else if (h.seq > 0) running++;
      }
      const waiting = hosts.size - done - running - [...stopped.values()].reduce((a, b) => a + b, 0);
      const parts = [`${done}/${hosts.size} hosts done`];
      if (failed > 0) parts.push(paint('red', `${failed} failed`));
      if (unreachable > 0) parts.push(paint('red', `${unreachable} unreachable`));
      if (running > 0) parts.push(`${running} running`);
      if (waiting > 0) parts.push(paint('dim', `${waiting} waiting`));
      for (const [word, n] of stopped) parts.push(paint('dim', `${n} ${word}`));
      return parts.join(' · ');
    },
    pick(n) {
      const rank = (h: HostState): number => (h.problem ? 0 : !h.final && h.seq > 0 ? 1 : h.final ? 2 : 3);
      return [...hosts.values()].sort((a, b) => rank(a) - rank(b) || b.seq - a.seq).slice(0, Math.max(0, n));
    },
  };
}

/** The width of the name column for a set of rows (at most 30 cells). */
export function labelWidth(rows: Iterable<HostState>): number {
  let w = 0;
  for (const h of rows) w = Math.max(w, cellWidth(h.label));
  return Math.min(30, w);
}

export function formatCounts(c: Counts, paint: Paint): string {
  const parts = [
    paint(c.ok > 0 ? 'green' : 'dim', `ok ${c.ok}`),
    paint(c.changed > 0 ? 'yellow' : 'dim', `changed ${c.changed}`),
    paint(c.failed > 0 ? 'red' : 'dim', `failed ${c.failed}`),
  ];
  if (c.skipped > 0) parts.push(paint('cyan', `skipped ${c.skipped}`));
  if (c.unreachable > 0) parts.push(paint('red', `unreachable ${c.unreachable}`));
  return parts.join(' · ');
}
