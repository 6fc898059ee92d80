import { ConfigError, type ConfigProblem } from '../model/errors.js';
import type { Playbook } from '../model/playbook.js';
import { dirname, normalize } from 'node:path';
import { buildPlaybookReporting } from './build-playbook.js';
import { buildTaskList, NOTHING_HANDED, type BuildScope } from './build-tasks.js';
import { fileProblems, uniqueProblems } from './read-files.js';
import { parseYamlText, readYamlFile, type YamlFile } from './yaml-file.js';

/**
 * Every problem of a parsed playbook on its own: schema (types, unknown keys, values), task keys
 * (none, two, misspelled, misplaced) and the syntax of expressions and templates. Empty when valid.
 */
export function playbookProblems(yaml: YamlFile): ConfigProblem[] {
  return fileProblems(yaml, 'playbook');
}

/**
 * A playbook and every file it names (imported playbooks and task files, task files included
 * without a template, vars files): the model when all are valid, and every problem at once, each
 * in its file, naming the include that led there.
 */
export function checkPlaybookTree(yaml: YamlFile): { playbook?: Playbook; problems: ConfigProblem[] } {
  const own = playbookProblems(yaml);
  if (own.length > 0) return { problems: own };
  const { playbook, problems } = buildPlaybookReporting(yaml);
  return problems.length > 0 ? { problems: uniqueProblems(problems) } : { playbook, problems: [] };
}

/** A task file on its own (what include_tasks and import_tasks read): its problems and those of the files it names. */
export function checkTaskFile(yaml: YamlFile): ConfigProblem[] {
  const own = fileProblems(yaml, 'tasks');
  if (own.length > 0) return own;
  const scope: BuildScope = { yaml, playbookDir: dirname(yaml.file), chain: [normalize(yaml.file)], problems: [] };
  buildTaskList(scope, yaml.value, '', NOTHING_HANDED);
  return uniqueProblems(scope.problems);
}

/** Validates a parsed playbook (and the files it names) and builds the model; throws ConfigError with every problem. */
export function playbookFromYaml(yaml: YamlFile): Playbook {
  const { playbook, problems } = checkPlaybookTree(yaml);
  if (!playbook) throw new ConfigError(problems);
  return playbook;
}

/** Parses playbook text (file names the source in problems, and where the files it names are); throws ConfigError. */
export function parsePlaybookText(file: string, text: string): Playbook {
  return playbookFromYaml(parseYamlText(file, text));
}

/** Reads, validates and builds a playbook file; throws ConfigError with every problem. */
export async function loadPlaybook(file: string): Promise<Playbook> {
  return playbookFromYaml(await readYamlFile(file));
}
