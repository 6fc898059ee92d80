import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunReport } from '../model/results.js';

/** The report as it is written: pretty JSON with a final newline. */
export function formatJsonReport(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Writes the JSON report (shape: schemas/report.schema.json). `-` writes it to stdout.
 * A file is written atomically: to a temporary file in the same directory, flushed to disk,
 * then renamed over `file`, so a reader (a CI step, a dashboard) never sees half a report and
 * an earlier report stays intact when writing fails. Errors (missing directory, no permission)
 * are thrown as node's errors with their code (ENOENT, EACCES…); the temporary file is removed.
 */
export async function writeJsonReport(file: string, report: RunReport): Promise<void> {
  const text = formatJsonReport(report);
  if (file === '-') {
    await writeToStream(process.stdout, text);
    return;
  }
  const target = resolve(file);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let written = false;
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
    written = true;
  } finally {
    if (!written) await unlink(tmp).catch(() => undefined);
  }
}

function writeToStream(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolvePromise()));
  });
}
