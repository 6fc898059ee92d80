import type { ConfigProblem } from '../model/errors.js';
import { playbookVocabulary } from './schema.js';
import { suggestName } from './suggest.js';
import { pathToPointer, type YamlFile } from './yaml-file.js';

/** Where one task (or handler) sits in a parsed playbook. */
export interface TaskSite {
  pointer: string;
  value: Record<string, unknown>;
  handler: boolean;
  play: number;
  index: number;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Every task and handler that is a mapping, in file order per play. */
export function findTaskSites(root: unknown): TaskSite[] {
  const sites: TaskSite[] = [];
  if (!Array.isArray(root)) return sites;
  root.forEach((play: unknown, p) => {
    if (!isMapping(play)) return;
    for (const section of ['tasks', 'handlers'] as const) {
      const list = play[section];
      if (!Array.isArray(list)) continue;
      list.forEach((task: unknown, i) => {
        if (isMapping(task)) sites.push({ pointer: pathToPointer([p, section, i]), value: task, handler: section === 'handlers', play: p, index: i });
      });
    }
  });
  return sites;
}

/** True for the JSON pointer of a task or handler (where checkTaskKeys reports unknown keys). */
export function isTaskPointer(pointer: string): boolean {
  return /^\/\d+\/(tasks|handlers)\/\d+$/.test(pointer);
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  return q.length <= 2 ? q.join(' and ') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

const countWords = ['no', 'one', 'two', 'three', 'four'];

/**
 * Checks that every task has exactly one step key and no unknown key; the schema cannot say
 * which of these went wrong as clearly. Problems sit at the offending key (or the task).
 */
export function checkTaskKeys(yaml: YamlFile): ConfigProblem[] {
  const { steps, taskKeywords, handlerOnlyKeywords } = playbookVocabulary();
  const problems: ConfigProblem[] = [];
  for (const site of findTaskSites(yaml.value)) {
    const keywords = site.handler ? [...taskKeywords, ...handlerOnlyKeywords] : taskKeywords;
    const keys = Object.keys(site.value);
    const kind = site.handler ? 'handler' : 'task';
    const unknown = keys.filter((k) => !steps.includes(k) && !keywords.includes(k));
    for (const key of unknown) {
      const at = `${site.pointer}${pathToPointer([key])}`;
      if (!site.handler && handlerOnlyKeywords.includes(key)) {
        problems.push(yaml.problemAt(at, `'${key}' is only allowed in handlers`, true));
        continue;
      }
      const guess = suggestName(key, [...steps, ...keywords]);
      const hint = guess !== undefined
        ? ` (did you mean '${guess}'?)`
        : ` (expected a step: ${steps.join(', ')}; or a ${kind} keyword: ${keywords.join(', ')})`;
      problems.push(yaml.problemAt(at, `unknown step type or ${kind} keyword '${key}'${hint}`, true));
    }
    const found = keys.filter((k) => steps.includes(k));
    const name = typeof site.value.name === 'string' ? `'${site.value.name}'` : `#${site.index + 1} of play ${site.play + 1}`;
    if (found.length === 0 && unknown.length === 0) {
      problems.push(yaml.problemAt(site.pointer, `${kind} ${name} has no step: expected one of ${steps.join(', ')}`));
    } else if (found.length > 1) {
      const second = `${site.pointer}${pathToPointer([found[1] as string])}`;
      const count = countWords[found.length] ?? String(found.length);
      problems.push(yaml.problemAt(second, `${kind} has ${count} steps: ${quoteList(found)} (a ${kind} has exactly one; split it into several)`, true));
    }
  }
  return problems;
}
