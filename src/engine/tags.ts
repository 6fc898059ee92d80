import type { TagFilter, TaskNode } from '../model/playbook.js';

/**
 * Ansible's tag rules: a task carries its own tags plus its play's; with --tags only tasks sharing one
 * run (plus those tagged `always`); --skip-tags removes tasks sharing one; `never` runs only when asked.
 */
function selected(own: string[], playTags: string[], only: string[], skip: string[]): boolean {
  const tags = new Set([...own, ...playTags]);
  if (skip.some((t) => tags.has(t))) return false;
  if (only.length === 0 || only.includes('all')) return !tags.has('never');
  if (tags.has('always')) return true;
  if (only.includes('tagged') && tags.size > 0) return true;
  if (only.includes('untagged') && tags.size === 0) return true;
  return only.some((t) => tags.has(t));
}

/**
 * The same over blocks and includes: a block keeps its selected tasks (and goes when none is left);
 * an include is selected by its own tags, and the tasks it reads are selected when they are read.
 */
export function selectTasks<T extends TaskNode>(tasks: T[], playTags: string[], only: string[] = [], skip: string[] = []): T[] {
  return tasks.flatMap((node): T[] => {
    if (!('kind' in node)) return selected(node.tags, playTags, only, skip) ? [node] : [];
    if (node.kind === 'include') {
      const tagFilter: TagFilter = { playTags, only, skip };
      return selected(node.tags, playTags, only, skip) ? [{ ...node, tagFilter }] : [];
    }
    const part = (list: TaskNode[]) => selectTasks(list, playTags, only, skip);
    const block = { ...node, block: part(node.block), rescue: part(node.rescue), always: part(node.always) };
    return block.block.length + block.rescue.length + block.always.length > 0 ? [block] : [];
  });
}

/** The tasks an include read, selected as the include was. */
export function selectIncluded(tasks: TaskNode[], filter: TagFilter | undefined): TaskNode[] {
  return filter ? selectTasks(tasks, filter.playTags, filter.only, filter.skip) : tasks;
}

