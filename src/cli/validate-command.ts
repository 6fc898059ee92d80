import { validateFile } from './validate-file.js';
import { formatProblem } from '../model/errors.js';
import { EXIT } from './exit.js';

/** `remedy validate FILE...`: says what each file is and lists every problem at once. */
export async function validateCommand(files: string[]): Promise<number> {
  let bad = 0;
  for (const file of files) {
    const { kind, problems } = await validateFile(file);
    if (problems.length === 0) {
      process.stdout.write(`${file}: valid ${kind}\n`);
      continue;
    }
    bad++;
    process.stderr.write(`${file}: ${problems.length} problem${problems.length > 1 ? 's' : ''} (${kind})\n`);
    for (const p of problems) process.stderr.write(`  ${formatProblem(p)}\n`);
  }
  return bad ? EXIT.usage : EXIT.ok;
}
