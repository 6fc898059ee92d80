/**
 * Task lists into the model: step tasks, blocks (their keywords handed down to their tasks),
 * import_tasks (read now, their tasks in their place) and include_tasks (kept as a node the
 * engine reads when a host reaches it; a file name without a template is checked now too).
 */
import { dirname } from 'node:path';
import type { ConfigProblem } from '../model/errors.js';
import type { Block, IncludeTasks, Inherited, TaskNode, Vars } from '../model/playbook.js';
import { hasTemplate } from '../expr/index.js';
import { buildLoop, buildStepTask, inherit } from './build-task.js';
import { fileProblems, readYamlSync, resolveIncluded, viaInclude } from './read-files.js';
import { pathToPointer, type YamlFile } from './yaml-file.js';

type Raw = Record<string, unknown>;

/** Where a task list is being built: its file, the files that led to it, and the problems met so far. */
export interface BuildScope {
  yaml: YamlFile;
  playbookDir: string;
  /** The files from the playbook to this one (this one last). */
  chain: string[];
  problems: ConfigProblem[];
}

export type Handed = Inherited & { vars: Vars };

export const NOTHING_HANDED: Handed = { when: [], tags: [], vars: {} };

function fileOf(value: unknown): string {
  return typeof value === 'string' ? value : String((value as Raw).file);
}

/** A loop of files: the chain and the file that closes it, for the message. */
function loopMessage(chain: string[], file: string): string {
  return `include loop: ${[...chain.slice(chain.indexOf(file)), file].join(' → ')} (a file cannot include itself, directly or through others)`;
}

/**
 * Reads a task file named at `site` and builds its tasks with what the include hands down;
 * problems (a missing file, a loop, anything wrong inside it) name both files. Undefined when
 * the file cannot be used.
 */
export function readTaskFile(path: string, tried: string[], how: 'imported' | 'included', site: { file: string; line?: number; column?: number; pointer?: string },
  chain: string[], playbookDir: string, handed: Handed, problems: ConfigProblem[]): TaskNode[] | undefined {
  const keyword = how === 'imported' ? 'import_tasks' : 'include_tasks';
  if (chain.includes(path)) {
    problems.push({ ...site, message: `${keyword}: ${loopMessage(chain, path)}` });
    return undefined;
  }
  const read = readYamlSync(path);
  if (!read.yaml) {
    const where = tried.length > 1 ? ` (looked for ${tried.join(' and ')})` : '';
    const why = read.problems.length === 1 && read.problems[0]!.line === undefined ? read.problems[0]!.message : undefined;
    if (why !== undefined) problems.push({ ...site, message: `${keyword}: ${path}: ${why}${where}` });
    else problems.push(...viaInclude(read.problems, how, site));
    return undefined;
  }
  const own = fileProblems(read.yaml, 'tasks');
  if (own.length > 0) {
    problems.push(...viaInclude(own, how, site));
    return undefined;
  }
  const scope: BuildScope = { yaml: read.yaml, playbookDir, chain: [...chain, path], problems: [] };
  const tasks = buildTaskList(scope, read.yaml.value, '', handed);
  problems.push(...viaInclude(scope.problems, how, site));
  return scope.problems.length > 0 ? undefined : tasks;
}

function buildBlock(scope: BuildScope, raw: Raw, pointer: string, from: Handed): Block {
  const own = inherit(from, raw);
  const pos = scope.yaml.positionOf(pointer);
  const part = (key: 'block' | 'rescue' | 'always') => buildTaskList(scope, raw[key], `${pointer}/${key}`, own);
  return {
    kind: 'block',
    name: typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : 'block',
    block: part('block'),
    rescue: part('rescue'),
    always: part('always'),
    source: { file: scope.yaml.file, line: pos.line, column: pos.column, pointer },
  };
}

function buildInclude(scope: BuildScope, raw: Raw, pointer: string, from: Handed): IncludeTasks {
  const own = inherit(from, raw);
  const file = fileOf(raw.include_tasks);
  const pos = scope.yaml.positionOf(pointer);
  const inherited: Inherited = { when: from.when, tags: from.tags };
  if (from.ignoreErrors !== undefined) inherited.ignoreErrors = from.ignoreErrors;
  const include: IncludeTasks = {
    kind: 'include',
    name: typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : `include_tasks: ${file}`,
    file,
    dir: dirname(scope.yaml.file),
    playbookDir: scope.playbookDir,
    chain: scope.chain,
    when: own.when,
    inherited,
    vars: own.vars,
    tags: own.tags,
    ignoreErrors: own.ignoreErrors === true,
    source: { file: scope.yaml.file, line: pos.line, column: pos.column, pointer },
  };
  const loop = buildLoop(raw);
  if (loop) include.loop = loop;
  if (!hasTemplate(file)) {
    // Read now only to report its problems before any host runs; the engine reads it again (cached).
    const { path, tried } = resolveIncluded(file, include.dir, scope.playbookDir);
    const at = `${pointer}/include_tasks`;
    const where = scope.yaml.positionOf(at);
    readTaskFile(path, tried, 'included', { file: scope.yaml.file, line: where.line, column: where.column, pointer: at }, scope.chain, scope.playbookDir, { ...inherited, vars: own.vars }, scope.problems);
  }
  return include;
}

function buildImport(scope: BuildScope, raw: Raw, pointer: string, from: Handed): TaskNode[] {
  const own = inherit(from, raw);
  const { path, tried } = resolveIncluded(fileOf(raw.import_tasks), dirname(scope.yaml.file), scope.playbookDir);
  const at = `${pointer}/import_tasks`;
  const pos = scope.yaml.positionOf(at);
  return readTaskFile(path, tried, 'imported', { file: scope.yaml.file, line: pos.line, column: pos.column, pointer: at }, scope.chain, scope.playbookDir, own, scope.problems) ?? [];
}

/** Builds a validated list of tasks (a play's, a block's part, a task file's) into nodes. */
export function buildTaskList(scope: BuildScope, list: unknown, pointer: string, from: Handed): TaskNode[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw: Raw, i): TaskNode[] => {
    const at = `${pointer}${pathToPointer([i])}`;
    if (Object.hasOwn(raw, 'block')) return [buildBlock(scope, raw, at, from)];
    if (Object.hasOwn(raw, 'include_tasks')) return [buildInclude(scope, raw, at, from)];
    if (Object.hasOwn(raw, 'import_tasks')) return buildImport(scope, raw, at, from);
    return [buildStepTask(scope.yaml, raw, at, from)];
  });
}

/** Adds conditions before those of every task in a list (import_playbook's when). */
export function prependWhen(nodes: TaskNode[], when: string[]): TaskNode[] {
  if (when.length === 0) return nodes;
  return nodes.map((n): TaskNode => {
    if (!('kind' in n)) return { ...n, when: [...when, ...n.when] };
    if (n.kind === 'block') return { ...n, block: prependWhen(n.block, when), rescue: prependWhen(n.rescue, when), always: prependWhen(n.always, when) };
    return { ...n, when: [...when, ...n.when], inherited: { ...n.inherited, when: [...when, ...n.inherited.when] } };
  });
}

