import type { LimitFunction } from 'p-limit';
import type { Play, TaskNode } from '../model/playbook.js';
import type { EngineContext } from './context.js';
import { hasFailed, type HostState, isActive } from './host-state.js';
import { batchFailed, splitIntoBatches } from './batches.js';
import { runTask } from './run-task.js';
import { runNodes } from './run-nodes.js';
import type { PlaySettings } from './play-settings.js';
import { checkWindow, markInterrupted, markNotReached, stopAfterFailedBatch } from './window.js';
import { checkHealthGate } from './health-gate.js';

export type PlayOutcome = 'done' | 'stopped' | 'interrupted';

/** Linear: every host finishes a task before any host starts the next (blocks and includes: run-nodes.ts). */
async function runLinear(hosts: HostState[], tasks: TaskNode[], play: Play, ctx: EngineContext, limit: LimitFunction): Promise<void> {
  await runNodes({
    play, ctx,
    each: async (ready, run) => {
      await Promise.all(ready.map((h) => limit(async () => { if (ctx.stop.aborted) markInterrupted(ctx, [h], play.name); else await run(h); })));
    },
  }, hosts, tasks);
}

/** Free: each host runs through its tasks as fast as it can. */
async function runFree(hosts: HostState[], tasks: TaskNode[], play: Play, ctx: EngineContext, limit: LimitFunction): Promise<void> {
  const each = async (ready: HostState[], run: (h: HostState) => Promise<void>) => { for (const h of ready) await run(h); };
  await Promise.all(hosts.map((h) => limit(() => runNodes({ play, ctx, each }, [h], tasks))));
}

/** Handlers run once per host at the end of the batch, in the order they are written, when notified. */
async function runHandlers(hosts: HostState[], play: Play, ctx: EngineContext, limit: LimitFunction): Promise<void> {
  await Promise.all(hosts.map((h) => limit(async () => {
    for (const handler of play.handlers) {
      if (!isActive(h)) break;
      const names = [handler.name, ...handler.listen];
      if (!names.some((n) => h.notified.has(n))) continue;
      if (ctx.stop.aborted) {
        markInterrupted(ctx, [h], play.name);
        break;
      }
      await runTask(h, handler, play, ctx, true);
    }
    h.notified.clear();
  })));
}

/**
 * Runs one play over its hosts, batch by batch. Before each batch the run's window is checked
 * (interrupt, --max-fail, --deadline); after each, the play's own threshold (max_fail_percentage,
 * per batch as in Ansible). A stop lists the hosts of the batches that did not start as not reached.
 */
export async function runPlay(play: Play, settings: PlaySettings, tasks: TaskNode[], hosts: HostState[], ctx: EngineContext, limit: LimitFunction): Promise<PlayOutcome> {
  const { serial, maxFailPercentage } = settings;
  ctx.emit({ type: 'play-start', play: play.name, hosts: hosts.map((h) => h.host.name) });
  const batches = splitIntoBatches(hosts, serial);
  for (const [i, batch] of batches.entries()) {
    const stop = checkWindow(ctx, play.name, i + 1);
    if (stop) {
      markNotReached(batches.slice(i).flat(), stop, play.name);
      return stop.reason === 'interrupted' ? 'interrupted' : 'stopped';
    }
    if (batches.length > 1) ctx.emit({ type: 'batch-start', play: play.name, batch: i + 1, hosts: batch.map((h) => h.host.name) });
    const run = play.strategy === 'free' ? runFree : runLinear;
    await run(batch, tasks, play, ctx, limit);
    await runHandlers(batch.filter((h) => h.notified.size > 0), play, ctx, limit);
    const failed = batch.filter(hasFailed).length;
    if (batchFailed(failed, batch.length, maxFailPercentage)) {
      ctx.emit({ type: 'batch-failed', play: play.name, batch: i + 1, failed, total: batch.length, maxFailPercentage });
      const why = maxFailPercentage === undefined ? 'every host of the batch failed' : `more than max_fail_percentage ${maxFailPercentage}%`;
      const stop = stopAfterFailedBatch(ctx, play.name, i + 1, `batch ${i + 1} of play '${play.name}' failed: ${failed} of ${batch.length} hosts, ${why}; the run ends`);
      markNotReached(batches.slice(i + 1).flat(), stop, play.name);
      return 'stopped';
    }
    const gated = i + 1 < batches.length ? await checkHealthGate(ctx, play.name, play.healthGate, batch, i + 1) : undefined;
    if (gated) {
      markNotReached(batches.slice(i + 1).flat(), gated, play.name);
      return 'stopped';
    }
    // After the gate, which may run a command on the batch's hosts; a stop above leaves them to the run's end.
    await ctx.endBatch?.(batch);
  }
  ctx.emit({ type: 'play-end', play: play.name });
  return ctx.stop.aborted ? 'interrupted' : 'done';
}
