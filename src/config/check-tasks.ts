import type { ConfigProblem } from '../model/errors.js';
import { playbookVocabulary } from './schema.js';
import { suggestName } from './suggest.js';
import { pathToPointer, type YamlFile } from './yaml-file.js';

/** Where one task (or handler) sits in a parsed playbook or task file. */
export interface TaskSite {
  pointer: string;
  value: Record<string, unknown>;
  handler: boolean;
  /** The play (0 in a task file). */
  play: number;
  index: number;
}

/** What a file holds: a playbook (a list of plays) or a task file (a list of tasks). */
export type FileKind = 'playbook' | 'tasks';

/** The keys that make a task something else than a step. */
export const BLOCK_KEYS = ['block', 'rescue', 'always'] as const;
export const INCLUDE_KEYS = ['include_tasks', 'import_tasks'] as const;
export const LOOP_KEYS = ['loop', 'with_items', 'with_list', 'with_dict', 'with_indexed_items', 'with_nested'] as const;
/** What a block may have besides its tasks (Ansible's other block keywords need a task-level meaning remedy lacks). */
const BLOCK_KEYWORDS = new Set(['name', 'when', 'vars', 'tags', 'ignore_errors', ...BLOCK_KEYS]);
const INCLUDE_KEYWORDS = new Set(['name', 'when', 'vars', 'tags', 'ignore_errors', 'include_tasks', 'loop_control', ...LOOP_KEYS]);
const IMPORT_KEYWORDS = new Set(['name', 'when', 'vars', 'tags', 'import_tasks']);

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sitesOf(list: unknown, pointer: (i: number) => string, handler: boolean, play: number, sites: TaskSite[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((task: unknown, i) => {
    if (!isMapping(task)) return;
    const at = pointer(i);
    sites.push({ pointer: at, value: task, handler, play, index: i });
    for (const key of BLOCK_KEYS) sitesOf(task[key], (j) => `${at}/${key}/${j}`, handler, play, sites);
  });
}

/** Every task and handler that is a mapping, blocks' tasks included, in file order per play. */
export function findTaskSites(root: unknown, kind: FileKind = 'playbook'): TaskSite[] {
  const sites: TaskSite[] = [];
  if (!Array.isArray(root)) return sites;
  if (kind === 'tasks') {
    sitesOf(root, (i) => pathToPointer([i]), false, 0, sites);
    return sites;
  }
  root.forEach((play: unknown, p) => {
    if (!isMapping(play)) return;
    for (const section of ['tasks', 'handlers'] as const) {
      sitesOf(play[section], (i) => pathToPointer([p, section, i]), section === 'handlers', p, sites);
    }
  });
  return sites;
}

/** True for the JSON pointer of a task or handler (where checkTaskKeys reports unknown keys). */
export function isTaskPointer(pointer: string, kind: FileKind = 'playbook'): boolean {
  const nested = '(?:/(?:block|rescue|always)/\\d+)*';
  return new RegExp(kind === 'tasks' ? `^/\\d+${nested}$` : `^/\\d+/(tasks|handlers)/\\d+${nested}$`).test(pointer);
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  return q.length <= 2 ? q.join(' and ') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

const countWords = ['no', 'one', 'two', 'three', 'four'];

/** Keys that are allowed on their own but not together with the task's kind (block, include, import). */
function misplacedKeys(site: TaskSite, keys: string[], yaml: YamlFile): ConfigProblem[] {
  const at = (key: string) => `${site.pointer}${pathToPointer([key])}`;
  const problems: ConfigProblem[] = [];
  const has = (k: string) => keys.includes(k);
  const loops = keys.filter((k) => (LOOP_KEYS as readonly string[]).includes(k));
  if (loops.length > 1) problems.push(yaml.problemAt(at(loops[1]!), `a task has one loop: ${quoteList(loops)}`, true));
  if (has('loop_control') && loops.length === 0) problems.push(yaml.problemAt(at('loop_control'), "'loop_control' needs 'loop' or a with_* keyword", true));
  const kind = has('block') ? 'block' : has('include_tasks') ? 'include_tasks' : has('import_tasks') ? 'import_tasks' : undefined;
  if (kind === undefined) {
    for (const k of ['rescue', 'always']) if (has(k)) problems.push(yaml.problemAt(at(k), `'${k}' belongs to a block: add 'block:' with the tasks it follows`, true));
    return problems;
  }
  const allowed = kind === 'block' ? BLOCK_KEYWORDS : kind === 'include_tasks' ? INCLUDE_KEYWORDS : IMPORT_KEYWORDS;
  const why: Record<string, string> = {
    block: 'a block takes name, when, vars, tags, ignore_errors, block, rescue and always (loops and the rest go on its tasks, or loop over include_tasks)',
    include_tasks: 'include_tasks takes name, when, vars, tags, ignore_errors, a loop and loop_control',
    import_tasks: 'import_tasks takes name, when, vars and tags; its file is read when the playbook is loaded (use include_tasks to loop or for a templated file name)',
  };
  const { steps } = playbookVocabulary();
  for (const key of keys) {
    if (allowed.has(key) || steps.includes(key)) continue;
    if ([...BLOCK_KEYS, ...INCLUDE_KEYS].includes(key as never) && key !== 'rescue' && key !== 'always') continue;
    problems.push(yaml.problemAt(at(key), `'${key}' is not allowed with '${kind}': ${why[kind]}`, true));
  }
  if (site.handler) problems.push(yaml.problemAt(at(kind), `handlers cannot be ${kind === 'block' ? 'blocks' : kind}: a handler is one step`, true));
  return problems;
}

/**
 * Checks that every task has exactly one action (a step, `block`, `include_tasks` or `import_tasks`),
 * no unknown key, and only the keywords its kind takes; the schema cannot say which of these went
 * wrong as clearly. Problems sit at the offending key (or the task).
 */
export function checkTaskKeys(yaml: YamlFile, fileKind: FileKind = 'playbook'): ConfigProblem[] {
  const { steps, taskKeywords, handlerOnlyKeywords } = playbookVocabulary();
  const problems: ConfigProblem[] = [];
  for (const site of findTaskSites(yaml.value, fileKind)) {
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
      if (key === 'include' || key === 'import_role' || key === 'include_role' || key === 'roles') {
        const instead = key === 'include' ? ': use include_tasks or import_tasks (import_playbook for a playbook)' : ' (remedy has no roles): use include_tasks or import_tasks';
        problems.push(yaml.problemAt(at, `'${key}' is not supported${instead}`, true));
        continue;
      }
      const guess = suggestName(key, [...steps, ...keywords]);
      const hint = guess !== undefined
        ? ` (did you mean '${guess}'?)`
        : ` (expected a step: ${steps.join(', ')}; or a ${kind} keyword: ${keywords.join(', ')})`;
      problems.push(yaml.problemAt(at, `unknown step type or ${kind} keyword '${key}'${hint}`, true));
    }
    const actions = keys.filter((k) => steps.includes(k) || k === 'block' || (INCLUDE_KEYS as readonly string[]).includes(k));
    const name = typeof site.value.name === 'string' ? `'${site.value.name}'` : `#${site.index + 1}${fileKind === 'playbook' ? ` of play ${site.play + 1}` : ''}`;
    if (actions.length === 0 && unknown.length === 0 && !keys.includes('rescue') && !keys.includes('always')) {
      problems.push(yaml.problemAt(site.pointer, `${kind} ${name} has no step: expected one of ${steps.join(', ')} (or block, include_tasks, import_tasks)`));
    } else if (actions.length > 1) {
      const second = `${site.pointer}${pathToPointer([actions[1] as string])}`;
      const count = countWords[actions.length] ?? String(actions.length);
      const what = actions.every((a) => steps.includes(a)) ? 'steps' : 'actions';
      problems.push(yaml.problemAt(second, `${kind} has ${count} ${what}: ${quoteList(actions)} (a ${kind} has exactly one; split it into several)`, true));
    } else {
      problems.push(...misplacedKeys(site, keys.filter((k) => !unknown.includes(k)), yaml));
    }
  }
  return problems;
}
