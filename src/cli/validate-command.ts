import { validateFile, type FileValidation } from './validate-file.js';
import { formatProblem } from '../model/errors.js';
import { EXIT } from './exit.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `remedy validate FILE...`: says what each file is and lists every problem at once. A valid
 * playbook's warnings (names it reads but does not define) and notes are printed too and never
 * fail it; the variables of the inventories given on the same command line count as defined.
 */
export async function validateCommand(files: string[]): Promise<number> {
  const results: Array<[string, FileValidation]> = [];
  for (const file of files) results.push([file, await validateFile(file)]);
  const fromInventories = new Set(results.flatMap(([, r]) => r.names ?? []));
  let bad = 0;
  for (const [file, { kind, problems, warnings = [], notes = [] }] of results) {
    if (problems.length > 0) {
      bad++;
      process.stderr.write(`${file}: ${plural(problems.length, 'problem')} (${kind})\n`);
      for (const p of problems) process.stderr.write(`  ${formatProblem(p)}\n`);
      continue;
    }
    const shown = warnings.filter((w) => w.kind !== 'undefined' || !fromInventories.has(w.name));
    const extra = [shown.length ? plural(shown.length, 'warning') : '', notes.length ? plural(notes.length, 'note') : ''].filter(Boolean);
    process.stdout.write(`${file}: valid ${kind}${extra.length ? ` (${extra.join(', ')})` : ''}\n`);
    for (const p of [...notes, ...shown].sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) : 0))) {
      process.stderr.write(`  ${formatProblem(p)}\n`);
    }
  }
  return bad ? EXIT.usage : EXIT.ok;
}
