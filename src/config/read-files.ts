/**
 * Reading the files a playbook names (task files, imported playbooks, vars files), synchronously
 * (loading is startup work, and a dynamic include is read while its host waits anyway), each
 * validated as what it is, with every problem at file:line:column.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ConfigProblem, SourceRef } from '../model/errors.js';
import { checkPlaybookExpressions } from './check-expressions.js';
import { checkTaskKeys, isTaskPointer, type FileKind } from './check-tasks.js';
import { validateYaml } from './schema.js';
import { parseYamlText, type YamlFile } from './yaml-file.js';
import { ConfigError } from '../model/errors.js';

export interface ReadFile {
  yaml?: YamlFile;
  problems: ConfigProblem[];
}

function readProblem(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a YAML file' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
}

/** Reads and parses one YAML file; a missing or unreadable file and syntax errors are problems. */
export function readYamlSync(file: string): ReadFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { problems: [{ file, message: `cannot read file: ${readProblem(file, err)}` }] };
  }
  try {
    return { yaml: parseYamlText(file, text), problems: [] };
  } catch (err) {
    if (err instanceof ConfigError) return { problems: err.problems };
    throw err;
  }
}

/** Problems listed once each, by file (in the order the files were met), then by place. */
export function uniqueProblems(all: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  const files = [...new Set(all.map((p) => p.file))];
  return all
    .filter((p) => {
      const key = `${p.file}:${p.line}:${p.column}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/**
 * Every problem of one parsed playbook or task file on its own: schema (types, unknown keys,
 * values), task keys (no action, two, misspelled, misplaced) and the syntax of expressions and
 * templates. Empty when valid; the files it names are checked when they are read.
 */
export function fileProblems(yaml: YamlFile, kind: FileKind): ConfigProblem[] {
  if (kind === 'playbook' && (yaml.value === null || yaml.value === undefined)) {
    return [{ file: yaml.file, line: 1, column: 1, pointer: '', message: 'the playbook is empty: expected a list of plays' }];
  }
  const schema = validateYaml(yaml, kind === 'playbook' ? 'playbook' : 'tasks', {
    // Unknown keys of tasks are reported by checkTaskKeys, with "did you mean"; a play-or-import
    // `if` fails only with its branch, whose errors say more.
    skip: (e) => (e.keyword === 'unevaluatedProperties' && isTaskPointer(e.instancePath, kind)) || e.keyword === 'if',
  });
  return uniqueProblems([...schema, ...checkTaskKeys(yaml, kind), ...checkPlaybookExpressions(yaml, kind)]);
}

/** "file:line:column" of a place. */
export function placeOf(s: SourceRef): string {
  return [s.file, s.line, s.column].filter((x) => x !== undefined).join(':');
}

/** The same problems, each saying which include led to its file. */
export function viaInclude(problems: ConfigProblem[], how: string, site: SourceRef): ConfigProblem[] {
  return problems.map((p) => ({ ...p, message: `${p.message} (${how} from ${placeOf(site)})` }));
}

/**
 * Where a file named by an include is: relative to the including file's directory, then to the
 * playbook's (as Ansible looks); the first that exists, else the first candidate.
 */
export function resolveIncluded(name: string, dir: string, playbookDir: string): { path: string; tried: string[] } {
  if (isAbsolute(name)) return { path: name, tried: [name] };
  const tried = [...new Set([join(dir, name), join(playbookDir, name)])];
  return { path: tried.find((p) => existsSync(p)) ?? tried[0]!, tried };
}
