/**
 * A task's notify must name a handler of its play (by name or listen). Ansible stops the run when a
 * notified handler does not exist; remedy refuses the playbook before any host is touched, at the task
 * that names it. Tasks read later by include_tasks are checked when they run (engine/run-task.ts).
 */
import type { ConfigProblem } from '../model/errors.js';
import type { Play, TaskNode } from '../model/playbook.js';
import { didYouMean } from './suggest.js';

/** Every name a handler of the play answers to. */
export function handlerNames(play: Pick<Play, 'handlers'>): Set<string> {
  return new Set(play.handlers.flatMap((h) => [h.name, ...h.listen]));
}

function* tasksOf(nodes: readonly TaskNode[]): Generator<TaskNode> {
  for (const n of nodes) {
    yield n;
    if ('kind' in n && n.kind === 'block') yield* tasksOf([...n.block, ...n.rescue, ...n.always]);
  }
}

/** The problems of one play: each notify name no handler answers to, at the task that writes it. */
export function checkNotify(play: Play): ConfigProblem[] {
  const known = handlerNames(play);
  const problems: ConfigProblem[] = [];
  for (const node of tasksOf([...play.tasks, ...play.handlers])) {
    if ('kind' in node) continue;
    for (const name of node.notify) {
      if (known.has(name)) continue;
      const listed = known.size ? `its handlers: ${[...known].map((n) => `'${n}'`).join(', ')}` : 'it has no handlers';
      problems.push({
        ...node.source,
        message: `task '${node.name}': notify: no handler named '${name}' in play '${play.name}' (${listed})${didYouMean(name, [...known])}`,
      });
    }
  }
  return problems;
}
