import { dirname, normalize } from 'node:path';
import type { ConfigProblem } from '../model/errors.js';
import type { HealthGate, Play, Playbook, SerialSpec, Task, Vars } from '../model/playbook.js';
import { buildStepTask, toConditions, toTags } from './build-task.js';
import { checkNotify } from './check-notify.js';
import { type BuildScope, buildTaskList, NOTHING_HANDED, prependWhen } from './build-tasks.js';
import { fileProblems, readYamlSync, resolveIncluded, viaInclude } from './read-files.js';
import { pathToPointer, type YamlFile } from './yaml-file.js';

export { defaultTaskName, summarizeArgs, toConditions, toStringList, toTags } from './build-task.js';

type Raw = Record<string, unknown>;

function isMapping(v: unknown): v is Raw {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The vars of a play's vars_files, in order (later files win), read relative to the playbook. */
function readVarsFiles(scope: BuildScope, raw: Raw, index: number): Vars {
  const files = Array.isArray(raw.vars_files) ? raw.vars_files as string[] : [];
  const vars: Vars = {};
  files.forEach((name, i) => {
    const pointer = pathToPointer([index, 'vars_files', i]);
    const pos = scope.yaml.positionOf(pointer);
    const site = { file: scope.yaml.file, line: pos.line, column: pos.column, pointer };
    const { path } = resolveIncluded(name, dirname(scope.yaml.file), dirname(scope.yaml.file));
    const read = readYamlSync(path);
    if (!read.yaml) {
      const single = read.problems.length === 1 && read.problems[0]!.line === undefined;
      if (single) scope.problems.push({ ...site, message: `vars_files: ${path}: ${read.problems[0]!.message}` });
      else scope.problems.push(...viaInclude(read.problems, 'a vars file read', site));
      return;
    }
    const value = read.yaml.value;
    if (value === null || value === undefined) return;
    if (!isMapping(value)) {
      scope.problems.push(...viaInclude([read.yaml.problemAt('', `a vars file holds a mapping of variable names to values, got ${Array.isArray(value) ? 'a list' : typeof value}`)], 'a vars file read', site));
      return;
    }
    const bad = Object.keys(value).filter((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
    for (const k of bad) scope.problems.push(...viaInclude([read.yaml.problemAt(pathToPointer([k]), `invalid variable name '${k}' (letters, digits and _, not starting with a digit)`, true)], 'a vars file read', site));
    Object.assign(vars, value);
  });
  return vars;
}

function buildPlay(scope: BuildScope, raw: Raw, index: number): Play {
  const { yaml } = scope;
  const pointer = pathToPointer([index]);
  const hosts = Array.isArray(raw.hosts) ? raw.hosts.map(String).join(',') : String(raw.hosts);
  const pos = yaml.positionOf(pointer);
  const handlers: Task[] = (Array.isArray(raw.handlers) ? (raw.handlers as Raw[]) : [])
    .map((t, i) => buildStepTask(yaml, t, pathToPointer([index, 'handlers', i]), NOTHING_HANDED));
  const play: Play = {
    name: typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : hosts,
    hosts,
    vars: { ...((raw.vars ?? {}) as Vars), ...readVarsFiles(scope, raw, index) },
    strategy: raw.strategy === 'free' ? 'free' : 'linear',
    tasks: buildTaskList(scope, raw.tasks, pathToPointer([index, 'tasks']), NOTHING_HANDED),
    handlers,
    tags: toTags(raw.tags),
    source: { file: yaml.file, line: pos.line, column: pos.column, pointer },
  };
  if (typeof raw.category === 'string') play.category = raw.category;
  if (raw.serial !== undefined && raw.serial !== null) play.serial = raw.serial as SerialSpec;
  if (typeof raw.max_fail_percentage === 'number' || typeof raw.max_fail_percentage === 'string') play.maxFailPercentage = raw.max_fail_percentage;
  if (raw.health_gate && typeof raw.health_gate === 'object') play.healthGate = raw.health_gate as HealthGate;
  scope.problems.push(...checkNotify(play));
  return play;
}

/** The plays of an imported playbook, with the import's vars (winning), tags and when applied (as Ansible). */
function importPlays(scope: BuildScope, raw: Raw, index: number): Play[] {
  const pointer = pathToPointer([index, 'import_playbook']);
  const pos = scope.yaml.positionOf(pointer);
  const site = { file: scope.yaml.file, line: pos.line, column: pos.column, pointer };
  const { path } = resolveIncluded(String(raw.import_playbook), dirname(scope.yaml.file), dirname(scope.yaml.file));
  if (scope.chain.includes(path)) {
    scope.problems.push({ ...site, message: `import_playbook: include loop: ${[...scope.chain.slice(scope.chain.indexOf(path)), path].join(' → ')}` });
    return [];
  }
  const read = readYamlSync(path);
  const own = read.yaml ? fileProblems(read.yaml, 'playbook') : read.problems;
  if (!read.yaml || own.length > 0) {
    const single = own.length === 1 && own[0]!.line === undefined;
    if (single) scope.problems.push({ ...site, message: `import_playbook: ${path}: ${own[0]!.message}` });
    else scope.problems.push(...viaInclude(own, 'imported', site));
    return [];
  }
  const inner: BuildScope = { yaml: read.yaml, playbookDir: dirname(path), chain: [...scope.chain, path], problems: [] };
  const plays = buildPlays(inner);
  scope.problems.push(...viaInclude(inner.problems, 'imported', site));
  const vars = (raw.vars ?? {}) as Vars;
  const tags = toTags(raw.tags);
  const when = toConditions(raw.when);
  return plays.map((p) => ({ ...p, vars: { ...p.vars, ...vars }, tags: [...new Set([...p.tags, ...tags])], tasks: prependWhen(p.tasks, when) }));
}

function buildPlays(scope: BuildScope): Play[] {
  return (scope.yaml.value as Raw[]).flatMap((p, i) => (Object.hasOwn(p, 'import_playbook') ? importPlays(scope, p, i) : [buildPlay(scope, p, i)]));
}

/**
 * Builds the model from a playbook that passed validation (see playbookProblems), reading the
 * files it names (imports, includes without a template, vars files); the problems found in
 * those (each naming both files) are returned with it.
 */
export function buildPlaybookReporting(yaml: YamlFile): { playbook: Playbook; problems: ConfigProblem[] } {
  const scope: BuildScope = { yaml, playbookDir: dirname(yaml.file), chain: [normalize(yaml.file)], problems: [] };
  const plays = buildPlays(scope);
  return { playbook: { file: yaml.file, plays }, problems: scope.problems };
}

/** The same, for a playbook whose named files are known to be fine (tests). */
export function buildPlaybook(yaml: YamlFile): Playbook {
  return buildPlaybookReporting(yaml).playbook;
}

