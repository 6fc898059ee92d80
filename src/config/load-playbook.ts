import { ConfigError, type ConfigProblem } from '../model/errors.js';
import type { Playbook } from '../model/playbook.js';
import { buildPlaybook } from './build-playbook.js';
import { checkPlaybookExpressions } from './check-expressions.js';
import { checkTaskKeys, isTaskPointer } from './check-tasks.js';
import { validateYaml } from './schema.js';
import { parseYamlText, readYamlFile, type YamlFile } from './yaml-file.js';

/**
 * Every problem of a parsed playbook at once: schema (types, unknown keys, values), task step
 * keys (none, two, misspelled) and the syntax of expressions and templates. Empty when valid.
 */
export function playbookProblems(yaml: YamlFile): ConfigProblem[] {
  if (yaml.value === null || yaml.value === undefined) {
    return [{ file: yaml.file, line: 1, column: 1, pointer: '', message: 'the playbook is empty: expected a list of plays' }];
  }
  const schema = validateYaml(yaml, 'playbook', {
    // Unknown keys of tasks are reported by checkTaskKeys, with "did you mean".
    skip: (e) => e.keyword === 'unevaluatedProperties' && isTaskPointer(e.instancePath),
  });
  const all = [...schema, ...checkTaskKeys(yaml), ...checkPlaybookExpressions(yaml)];
  const seen = new Set<string>();
  return all
    .filter((p) => {
      const key = `${p.line}:${p.column}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** Validates a parsed playbook and builds the model; throws ConfigError with every problem. */
export function playbookFromYaml(yaml: YamlFile): Playbook {
  const problems = playbookProblems(yaml);
  if (problems.length > 0) throw new ConfigError(problems);
  return buildPlaybook(yaml);
}

/** Parses playbook text (file names the source in problems); throws ConfigError. */
export function parsePlaybookText(file: string, text: string): Playbook {
  return playbookFromYaml(parseYamlText(file, text));
}

/** Reads, validates and builds a playbook file; throws ConfigError with every problem. */
export async function loadPlaybook(file: string): Promise<Playbook> {
  return playbookFromYaml(await readYamlFile(file));
}
