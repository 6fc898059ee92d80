import { checkExpression, checkTemplate } from '../expr/index.js';
import type { ConfigProblem } from '../model/errors.js';
import { findTaskSites, LOOP_KEYS, type FileKind } from './check-tasks.js';
import { playbookVocabulary } from './schema.js';
import { pathToPointer, type YamlFile } from './yaml-file.js';

/** Task keywords whose values are bare expressions (not templates). */
export const expressionKeywords = ['when', 'changed_when', 'failed_when', 'until'] as const;

/** Step arguments that hold bare expressions rather than templated strings. */
export const expressionArgs: Readonly<Record<string, readonly string[]>> = { assert: ['that'] };

type Check = (source: string) => Array<{ message: string; offset: number }>;

/** An expression value: a string, a bool, or a list of those; yields [string, pointer] pairs. */
function* expressionStrings(value: unknown, pointer: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [value, pointer];
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (typeof value[i] === 'string') yield [value[i] as string, `${pointer}/${i}`];
  }
}

/** Every string anywhere inside a value (map values and list items), with its pointer. */
function* allStrings(value: unknown, pointer: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [value, pointer];
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* allStrings(value[i], `${pointer}/${i}`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* allStrings(v, `${pointer}${pathToPointer([k])}`);
  }
}

/** A condition written as a whole template, "{{ x }}", means x (as evaluateCondition reads it); an empty one is true. */
const checkCondition: Check = (source) => {
  if (source.trim() === '') return [];
  return source.trimStart().startsWith('{{') ? checkTemplate(source) : checkExpression(source);
};

function run(yaml: YamlFile, check: Check, source: string, pointer: string, what: string): ConfigProblem[] {
  let found: Array<{ message: string; offset: number }>;
  try {
    found = check(source);
  } catch (err) {
    found = [{ message: (err as Error).message, offset: 0 }];
  }
  return found.map((f) => {
    const pos = yaml.positionInString(pointer, f.offset);
    return { file: yaml.file, line: pos.line, column: pos.column, pointer, message: `${what}: ${f.message}` };
  });
}

/**
 * Checks the SYNTAX of every expression (when, changed_when, failed_when, until, assert.that)
 * and every {{ template }} in step arguments and vars, located at the offending character.
 */
export function checkPlaybookExpressions(yaml: YamlFile, kind: FileKind = 'playbook'): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const root = yaml.value;
  if (!Array.isArray(root)) return problems;
  if (kind === 'playbook') {
    root.forEach((play: unknown, p) => {
      if (play === null || typeof play !== 'object' || Array.isArray(play)) return;
      const vars = (play as Record<string, unknown>).vars;
      for (const [s, ptr] of allStrings(vars, pathToPointer([p, 'vars']))) problems.push(...run(yaml, checkTemplate, s, ptr, 'invalid template'));
      const when = (play as Record<string, unknown>).when;
      for (const [s, ptr] of expressionStrings(when, pathToPointer([p, 'when']))) problems.push(...run(yaml, checkCondition, s, ptr, 'invalid expression in when'));
    });
  }
  const { steps } = playbookVocabulary();
  for (const site of findTaskSites(root, kind)) {
    // Loops, loop labels and pauses, and the file of an include are templates too.
    for (const key of [...LOOP_KEYS, 'loop_control', 'include_tasks']) {
      for (const [s, ptr] of allStrings(site.value[key], `${site.pointer}/${key}`)) problems.push(...run(yaml, checkTemplate, s, ptr, 'invalid template'));
    }
    for (const kw of expressionKeywords) {
      for (const [s, ptr] of expressionStrings(site.value[kw], `${site.pointer}/${kw}`)) {
        problems.push(...run(yaml, checkCondition, s, ptr, `invalid expression in ${kw}`));
      }
    }
    for (const [s, ptr] of allStrings(site.value.vars, `${site.pointer}/vars`)) problems.push(...run(yaml, checkTemplate, s, ptr, 'invalid template'));
    for (const step of Object.keys(site.value).filter((k) => steps.includes(k))) {
      const args = site.value[step];
      const raw = expressionArgs[step] ?? [];
      const argsPtr = `${site.pointer}${pathToPointer([step])}`;
      if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
        for (const [key, v] of Object.entries(args)) {
          const ptr = `${argsPtr}${pathToPointer([key])}`;
          if (raw.includes(key)) {
            for (const [s, p] of expressionStrings(v, ptr)) problems.push(...run(yaml, checkCondition, s, p, `invalid expression in ${step}.${key}`));
          } else {
            for (const [s, p] of allStrings(v, ptr)) problems.push(...run(yaml, checkTemplate, s, p, 'invalid template'));
          }
        }
      } else {
        for (const [s, p] of allStrings(args, argsPtr)) problems.push(...run(yaml, checkTemplate, s, p, 'invalid template'));
      }
    }
  }
  return problems;
}
