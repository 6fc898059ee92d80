import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { ConnectionSpec, Host, Inventory } from '../model/inventory.js';
import type { Playbook, Play, Vars } from '../model/playbook.js';
import type { EventListener } from '../model/events.js';
import type { RunReport } from '../model/results.js';
import type { Transport } from '../transport/transport.js';
import { connectionFor, selectHostsReporting } from '../inventory/index.js';
import type { EngineContext } from './context.js';
import { createHostState, type HostState, isActive } from './host-state.js';
import { runPlay } from './run-play.js';
import { selectTasks } from './tags.js';
import { buildReport } from './report.js';
import { groupMembers } from './vars.js';
import { type PlaySettings, resolvePlaySettings } from './play-settings.js';

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
}

interface PlannedPlay { play: Play; hosts: Host[]; settings: PlaySettings; warnings: string[] }

/**
 * Resolves every play's hosts before anything runs, so a bad pattern fails the run before it starts;
 * a part of a pattern that matches nothing is a warning, as in Ansible.
 */
export function planPlays(playbooks: Playbook[], inventory: Inventory, limit: string | undefined, extraVars: Vars): PlannedPlay[] {
  return playbooks.flatMap((pb) => pb.plays.map((play) => {
    const { hosts, warnings } = selectHostsReporting(inventory, play.hosts, limit);
    return { play, hosts, warnings, settings: resolvePlaySettings(play, extraVars) };
  }));
}

/** A signal that is never aborted and that any number of running commands may listen to. */
function unlimitedSignal(): AbortSignal {
  const signal = new AbortController().signal;
  setMaxListeners(0, signal);
  return signal;
}

/** Runs the playbooks over the inventory and returns the report; emits events, never prints. */
export async function runPlaybooks(options: RunOptions, listener: EventListener): Promise<RunReport> {
  const startedAt = new Date();
  const plan = planPlays(options.playbooks, options.inventory, options.limit, options.extraVars ?? {});
  const states = new Map<string, HostState>();
  for (const { hosts } of plan) {
    for (const host of hosts) if (!states.has(host.name)) states.set(host.name, createHostState(host, connectionFor(host, options.extraVars)));
  }
  // Each host's transport is made before any host is touched: how it is reached (~/.ssh/config, the
  // inventory's ssh args) is checked now, and a problem is a configuration error, not a host failure.
  for (const state of states.values()) state.transport = options.transportFor(state.spec);
  const forks = options.forks ?? 20;
  const ctx: EngineContext = {
    inventory: options.inventory,
    groups: groupMembers(options.inventory),
    extraVars: options.extraVars ?? {},
    check: options.check ?? false,
    emit: listener,
    stop: options.stop ?? unlimitedSignal(),
    kill: options.kill ?? unlimitedSignal(),
    transportFor: options.transportFor,
  };
  // The CLI aborts with the signal's name as the reason (SIGTERM from a CI runner's cancel, SIGHUP…).
  const onStop = (): void => listener({ type: 'interrupted', signal: typeof ctx.stop.reason === 'string' ? ctx.stop.reason : 'SIGINT' });
  ctx.stop.addEventListener('abort', onStop, { once: true });
  listener({ type: 'run-start', playbooks: options.playbooks.map((p) => p.file), hosts: [...states.keys()], check: ctx.check, forks });
  for (const message of new Set(plan.flatMap((p) => p.warnings))) listener({ type: 'warning', message });
  const limit = pLimit(forks);
  try {
    for (const { play, hosts, settings } of plan) {
      if (ctx.stop.aborted) break;
      const active = hosts.map((h) => states.get(h.name)!).filter(isActive);
      if (active.length === 0) {
        listener({ type: 'warning', message: `play '${play.name}': no hosts left to run on` });
        continue;
      }
      const tasks = selectTasks(play.tasks, play.tags, options.tags, options.skipTags);
      const outcome = await runPlay(play, settings, tasks, active, ctx, limit);
      if (outcome !== 'done') break;
    }
  } finally {
    ctx.stop.removeEventListener('abort', onStop);
    await Promise.allSettled([...states.values()].map((s) => s.transport?.close()));
  }
  const order = new Map(options.inventory.hosts.map((h, i) => [h.name, i]));
  const inOrder = [...states.values()].sort((a, b) => (order.get(a.host.name) ?? 0) - (order.get(b.host.name) ?? 0));
  const report = buildReport(inOrder, options.playbooks.map((p) => p.file), ctx.check, ctx.stop.aborted, startedAt);
  for (const host of report.hosts) listener({ type: 'host-end', host });
  listener({ type: 'run-end', report });
  return report;
}
