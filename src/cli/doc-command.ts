/**
 * `remedy doc [STEP]`: the steps a playbook may use, one line each; or one step's arguments,
 * types, defaults and meaning (from its declaration, as schemas/steps/ hold it) with an example
 * taken from the shipped playbooks, where every step is used and tested. A task or play keyword
 * (loop, block, include_tasks, serial…) prints its description from schemas/playbook.schema.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import { UsageError } from '../model/errors.js';
import { allSteps, findStep } from '../steps/registry.js';
import { authoringSchema } from '../steps/args.js';
import { loadSchema } from '../config/schema.js';
import { suggestName } from '../config/suggest.js';
import { playbooksDir } from './defaults.js';
import { firstSentence, formatStepDoc, wrap } from './step-doc.js';

function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name)).sort();
  } catch {
    return [];
  }
  return names.flatMap((n) => (n.endsWith('/') ? yamlFiles(join(dir, n)) : /\.ya?ml$/.test(n) ? [join(dir, n)] : []));
}

/** The first task (in any list of mappings) that uses the step, as its source text, dedented. */
function findExample(step: string, file: string): string | undefined {
  const text = readFileSync(file, 'utf8');
  let found: Node | undefined;
  // A task is a mapping in a list (not, say, play vars that happen to hold a key of that name).
  const visit = (node: unknown, inList: boolean): void => {
    if (found) return;
    if (isSeq(node)) for (const item of node.items) visit(item, true);
    else if (isMap(node)) {
      if (inList && node.items.some((p) => String((p.key as { value?: unknown } | null)?.value) === step)) found = node;
      else for (const p of node.items) visit(p.value, false);
    }
  };
  visit(parseDocument(text).contents, false);
  if (!found?.range) return undefined;
  const lineStart = text.lastIndexOf('\n', found.range[0]) + 1;
  const column = found.range[0] - lineStart;
  const lines = text.slice(lineStart, found.range[1]).replace(/\s+$/, '').split('\n').map((l) => l.slice(column));
  return lines.map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n');
}

/** An example use of the step from the shipped playbooks, and where it is. */
export function stepExample(step: string, dir = playbooksDir): { file: string; text: string } | undefined {
  for (const file of yamlFiles(dir)) {
    const text = findExample(step, file);
    if (text) return { file: relative(join(dir, '..'), file), text };
  }
  return undefined;
}

/** The descriptions of the play and task keywords in the playbook schema. */
function keywordDocs(): Map<string, string> {
  const defs = (loadSchema('playbook').$defs ?? {}) as Record<string, { properties?: Record<string, { description?: string }> }>;
  const docs = new Map<string, string>();
  for (const [def, where] of [['taskKeywords', 'task keyword'], ['play', 'play keyword'], ['playbookImport', 'playbook entry']] as const) {
    for (const [k, v] of Object.entries(defs[def]?.properties ?? {})) if (v.description && !docs.has(k)) docs.set(k, `${k} (${where})\n\n${wrap(v.description, '  ')}`);
  }
  return docs;
}

/** The text `remedy doc [NAME]` prints; a UsageError for a name that is neither a step nor a keyword. */
export function docText(name?: string): string {
  const steps = allSteps();
  if (name === undefined) {
    const width = Math.max(...steps.map((s) => s.name.length));
    const room = 100 - width - 4;
    const line = (text: string) => (text.length <= room ? text : `${text.slice(0, text.lastIndexOf(' ', room - 1))}…`);
    const lines = steps.map((s) => `  ${s.name.padEnd(width)}  ${line(firstSentence(String(authoringSchema(s.args).description ?? '')))}`);
    return ['Steps (remedy doc STEP for its arguments and an example):', ...lines, '',
      'Keywords: remedy doc loop, block, include_tasks, when, register… (see schemas/playbook.schema.json).', ''].join('\n');
  }
  const step = findStep(name);
  if (step) {
    const example = stepExample(name);
    const text = formatStepDoc(name, authoringSchema(step.args), step.supportsCheck);
    return `${text}\n${example ? `\nExample (${example.file}):\n\n${example.text.split('\n').map((l) => `  ${l}`).join('\n')}\n` : ''}`;
  }
  const keyword = keywordDocs().get(name);
  if (keyword) return `${keyword}\n`;
  const known = [...steps.map((s) => s.name), ...keywordDocs().keys()];
  const guess = suggestName(name, known);
  throw new UsageError(`remedy doc: no step or keyword '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}; the steps: ${steps.map((s) => s.name).join(', ')}`);
}

export function docCommand(name?: string): number {
  process.stdout.write(docText(name));
  return 0;
}
