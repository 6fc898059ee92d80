/**
 * Walks a play's task list over the hosts of a batch: each task on every active host before the
 * next (linear; the free strategy walks one host at a time), blocks with Ansible's rescue and
 * always, and include_tasks, whose files the hosts that include them run in lock-step.
 */
import type { Block, IncludeTasks, Play, TaskNode, Vars } from '../model/playbook.js';
import type { StepResult } from '../model/results.js';
import type { VarLayer } from '../expr/index.js';
import type { EngineContext } from './context.js';
import { type HostState, isActive } from './host-state.js';
import { type Inclusion, includeOnHost } from './run-include.js';
import { runTask } from './run-task.js';
import { markInterrupted } from './window.js';
import { resultView } from './vars.js';

/** How a walk runs something on several hosts: with the fork limit (linear), or in turn. */
export type EachHost = (hosts: HostState[], run: (host: HostState) => Promise<void>) => Promise<void>;

/** The variable layers each host's tasks get from the includes and rescues around them. */
export type LayersOf = (host: HostState) => readonly VarLayer[];

export interface Walk {
  play: Play;
  ctx: EngineContext;
  each: EachHost;
}

/** The last failure of each host, for ansible_failed_task and ansible_failed_result in a rescue. */
const lastFailure = new WeakMap<HostState, { task: string; result: StepResult }>();

const noLayers: LayersOf = () => [];

/** Marks the failures a rescue handles: they no longer fail the host (the report says rescued). */
function markRescued(host: HostState, from: number): void {
  for (const step of host.report.steps.slice(from)) {
    if (step.status === 'failed' && !step.ignored) {
      step.ignored = true;
      step.rescued = true;
    }
  }
}

async function runBlock(walk: Walk, hosts: HostState[], block: Block, layers: LayersOf): Promise<void> {
  const started = new Map(hosts.map((h) => [h, h.report.steps.length]));
  await runNodes(walk, hosts, block.block, layers);
  const failed = hosts.filter((h) => h.failed && !h.unreachable);
  if (block.rescue.length > 0 && failed.length > 0 && !walk.ctx.stop.aborted) {
    for (const h of failed) {
      markRescued(h, started.get(h) ?? 0);
      h.failed = false;
    }
    const rescueLayers: LayersOf = (h) => {
      const last = lastFailure.get(h);
      const vars: Vars = last ? { ansible_failed_task: { name: last.task }, ansible_failed_result: resultView(last.result) } : {};
      return [...layers(h), { kind: 'data', vars }];
    };
    await runNodes(walk, failed, block.rescue, rescueLayers);
  }
  if (block.always.length === 0 || walk.ctx.stop.aborted) return;
  // Every host that entered the block, failed or not (but reachable), runs always; a failure stays.
  const reachable = hosts.filter((h) => !h.unreachable);
  const wasFailed = new Map(reachable.map((h) => [h, h.failed]));
  for (const h of reachable) h.failed = false;
  await runNodes(walk, reachable, block.always, layers);
  for (const h of reachable) h.failed ||= wasFailed.get(h) ?? false;
}

/**
 * Each host's inclusions run in rounds (its first included file, then its second…); in a round,
 * the hosts that include the same file run its tasks together, each with its own item.
 */
async function runInclude(walk: Walk, hosts: HostState[], include: IncludeTasks, layers: LayersOf): Promise<void> {
  const byHost = new Map<HostState, Inclusion[]>();
  await walk.each(hosts, async (h) => { byHost.set(h, includeOnHost(h, include, walk.play, walk.ctx, layers(h))); });
  const rounds = Math.max(0, ...[...byHost.values()].map((list) => list.length));
  for (let round = 0; round < rounds; round++) {
    const groups = new Map<string, Array<{ host: HostState; inclusion: Inclusion }>>();
    for (const [host, list] of byHost) {
      const inclusion = list[round];
      if (!inclusion || !isActive(host)) continue;
      groups.set(inclusion.path, [...(groups.get(inclusion.path) ?? []), { host, inclusion }]);
    }
    for (const members of groups.values()) {
      const vars = new Map(members.map((m) => [m.host, m.inclusion.vars]));
      const included: LayersOf = (h) => {
        const item = vars.get(h);
        return item ? [...layers(h), { kind: 'data', vars: item }] : layers(h);
      };
      await runNodes(walk, members.map((m) => m.host), members[0]!.inclusion.nodes, included);
    }
  }
}

/** Runs the nodes in order over the hosts still active; stops when none is left or the run stops. */
export async function runNodes(walk: Walk, hosts: HostState[], nodes: TaskNode[], layers: LayersOf = noLayers): Promise<void> {
  for (const node of nodes) {
    const ready = hosts.filter(isActive);
    if (ready.length === 0) return;
    if (walk.ctx.stop.aborted) return markInterrupted(walk.ctx, ready, walk.play.name);
    if (!('kind' in node)) {
      await walk.each(ready, async (h) => {
        const result = await runTask(h, node, walk.play, walk.ctx, false, layers(h));
        if (result.status === 'failed' && !node.ignoreErrors) lastFailure.set(h, { task: node.name, result });
      });
    } else if (node.kind === 'block') {
      await runBlock(walk, ready, node, layers);
    } else {
      await runInclude(walk, ready, node, layers);
    }
  }
}
