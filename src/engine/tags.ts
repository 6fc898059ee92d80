import type { Task } from '../model/playbook.js';

/**
 * Ansible's tag rules: a task carries its own tags plus its play's; with --tags only tasks sharing one
 * run (plus those tagged `always`); --skip-tags removes tasks sharing one; `never` runs only when asked.
 */
export function selectTasks(tasks: Task[], playTags: string[], only: string[] = [], skip: string[] = []): Task[] {
  return tasks.filter((task) => {
    const tags = new Set([...task.tags, ...playTags]);
    if (skip.some((t) => tags.has(t))) return false;
    if (only.length === 0 || only.includes('all')) return !tags.has('never');
    if (tags.has('always')) return true;
    if (only.includes('tagged') && tags.size > 0) return true;
    if (only.includes('untagged') && tags.size === 0) return true;
    return only.some((t) => tags.has(t));
  });
}
