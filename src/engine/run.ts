import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ConnectionSpec, Host, Inventory } from '../model/inventory.js';
import type { Playbook, Play, Vars } from '../model/playbook.js';
import type { EventListener } from '../model/events.js';
import type { MaxFail, RunReport, Shard } from '../model/results.js';
import type { Transport } from '../transport/transport.js';
import { connectionFor, selectHostsReporting } from '../inventory/index.js';
import type { EngineContext } from './context.js';
import { createHostState, type HostState, isActive } from './host-state.js';
import { runPlay } from './run-play.js';
import { selectTasks } from './tags.js';
import { buildReport } from './report.js';
import { groupMembers } from './vars.js';
import { type PlaySettings, resolvePlaySettings } from './play-settings.js';
import { checkWindow, markNotReached } from './window.js';
import { inShard } from './shard.js';
import { createRunLocks } from './connect.js';

export interface RunOptions {
  playbooks: Playbook[];
  inventory: Inventory;
  /** --limit: intersected with every play's hosts. */
  limit?: string;
  /** At most this many hosts run a step at the same time (default 20). */
  forks?: number;
  check?: boolean;
  tags?: string[];
  skipTags?: string[];
  extraVars?: Vars;
  /** Abort to stop starting new work (first Ctrl-C). */
  stop?: AbortSignal;
  /** Abort to end running commands too (second Ctrl-C). */
  kill?: AbortSignal;
  transportFor: (spec: ConnectionSpec) => Transport;
  /** --deadline: no batch (and no play) starts at or after this time; running steps finish. */
  deadline?: Date;
  /** --max-fail: failed and unreachable hosts over every batch and play; once crossed, no batch starts. */
  maxFail?: MaxFail;
  /** --shard I/N: only the hosts whose name hashes to shard I (shard.ts). */
  shard?: Shard;
  /** Take each host's lock right after connecting (a run that may change hosts); absent: no lock. */
  hostLock?: { waitSeconds: number };
  /** This run's id, written beside each lock it holds (default: a random UUID). */
  runId?: string;
}

interface PlannedPlay { play: Play; hosts: Host[]; settings: PlaySettings; warnings: string[] }

/**
 * Resolves every play's hosts before anything runs, so a bad pattern fails the run before it starts;
 * a part of a pattern that matches nothing is a warning, as in Ansible. With a shard, each play keeps
 * the hosts of that shard only.
 */
export function planPlays(playbooks: Playbook[], inventory: Inventory, limit: string | undefined, extraVars: Vars, shard?: Shard): PlannedPlay[] {
  return playbooks.flatMap((pb) => pb.plays.map((play) => {
    const { hosts, warnings } = selectHostsReporting(inventory, play.hosts, limit);
    return { play, hosts: hosts.filter((h) => inShard(h.name, shard)), warnings, settings: resolvePlaySettings(play, extraVars) };
  }));
}

/** A signal that is never aborted and that any number of running commands may listen to. */
function unlimitedSignal(): AbortSignal {
  const signal = new AbortController().signal;
  setMaxListeners(0, signal);
  return signal;
}

/** The index of the last play each host is in. */
function lastPlayOf(plan: PlannedPlay[]): Map<string, number> {
  const last = new Map<string, number>();
  plan.forEach(({ hosts }, i) => { for (const h of hosts) last.set(h.name, i); });
  return last;
}

/**
 * Ends the connection (and so releases the lock) of each host of a finished batch that runs nothing
 * more: this was its last play, or it failed or was unreachable. A run in batches holds at most a batch's
 * worth of sessions.
 */
async function disconnectDone(batch: HostState[], lastPlay: Map<string, number>, play: number): Promise<void> {
  const done = batch.filter((s) => s.connected && (!isActive(s) || (lastPlay.get(s.host.name) ?? -1) <= play));
  await Promise.allSettled(done.map(async (s) => {
    s.connected = false;
    await s.transport?.close();
  }));
}

/** Runs the playbooks over the inventory and returns the report; emits events, never prints. */
export async function runPlaybooks(options: RunOptions, listener: EventListener): Promise<RunReport> {
  const startedAt = new Date();
  const runId = options.runId ?? randomUUID();
  const plan = planPlays(options.playbooks, options.inventory, options.limit, options.extraVars ?? {}, options.shard);
  const states = new Map<string, HostState>();
  for (const { hosts } of plan) {
    for (const host of hosts) if (!states.has(host.name)) states.set(host.name, createHostState(host, connectionFor(host, options.extraVars)));
  }
  // Each host's transport is made before any host is touched: how it is reached (~/.ssh/config, the
  // inventory's ssh args) is checked now, and a problem is a configuration error, not a host failure.
  for (const state of states.values()) state.transport = options.transportFor(state.spec);
  const forks = options.forks ?? 20;
  const holder = { runId, controller: hostname(), pid: process.pid, startedAt: startedAt.toISOString() };
  const ctx: EngineContext = {
    inventory: options.inventory,
    groups: groupMembers(options.inventory),
    extraVars: options.extraVars ?? {},
    check: options.check ?? false,
    emit: listener,
    stop: options.stop ?? unlimitedSignal(),
    kill: options.kill ?? unlimitedSignal(),
    transportFor: options.transportFor,
    states: [...states.values()],
    window: { ...(options.deadline ? { deadline: options.deadline } : {}), ...(options.maxFail ? { maxFail: options.maxFail } : {}) },
    ...(options.hostLock ? { locks: createRunLocks({ holder, waitSeconds: options.hostLock.waitSeconds }) } : {}),
  };
  // The CLI aborts with the signal's name as the reason (SIGTERM from a CI runner's cancel, SIGHUP…).
  const onStop = (): void => listener({ type: 'interrupted', signal: typeof ctx.stop.reason === 'string' ? ctx.stop.reason : 'SIGINT' });
  ctx.stop.addEventListener('abort', onStop, { once: true });
  listener({ type: 'run-start', playbooks: options.playbooks.map((p) => p.file), hosts: [...states.keys()], check: ctx.check, forks });
  for (const message of new Set(plan.flatMap((p) => p.warnings))) listener({ type: 'warning', message });
  const limit = pLimit(forks);
  const current = { play: -1 };
  const lastPlay = lastPlayOf(plan);
  ctx.endBatch = (batch) => disconnectDone(batch, lastPlay, current.play);
  try {
    for (const [index, { play, hosts, settings }] of plan.entries()) {
      current.play = index;
      const members = hosts.map((h) => states.get(h.name)!);
      const stop = checkWindow(ctx, play.name);
      if (stop) {
        markNotReached(members, stop, play.name);
        continue;
      }
      const active = members.filter(isActive);
      if (active.length === 0) {
        listener({ type: 'warning', message: `play '${play.name}': no hosts left to run on${options.shard && hosts.length === 0 ? ' in this shard' : ''}` });
        continue;
      }
      const tasks = selectTasks(play.tasks, play.tags, options.tags, options.skipTags);
      await runPlay(play, settings, tasks, active, ctx, limit);
    }
  } finally {
    ctx.stop.removeEventListener('abort', onStop);
    await Promise.allSettled(ctx.locks?.releases.map((release) => release()) ?? []);
    await Promise.allSettled([...states.values()].map((s) => s.transport?.close()));
  }
  const order = new Map(options.inventory.hosts.map((h, i) => [h.name, i]));
  const inOrder = [...states.values()].sort((a, b) => (order.get(a.host.name) ?? 0) - (order.get(b.host.name) ?? 0));
  const report = buildReport(inOrder, {
    runId, playbooks: options.playbooks.map((p) => p.file), check: ctx.check, interrupted: ctx.stop.aborted, startedAt,
    deadline: options.deadline, maxFail: options.maxFail, shard: options.shard, stopped: ctx.stopped,
  });
  if (report.stopped) listener({ type: 'run-stopped', stop: report.stopped, notReached: report.hosts.filter((h) => h.status === 'not-reached').map((h) => h.name) });
  for (const host of report.hosts) listener({ type: 'host-end', host });
  listener({ type: 'run-end', report });
  return report;
}
