import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../model/errors.js';

/**
 * Writes one output (a report in any format) to `file`:
 * - `-` writes to stdout;
 * - an existing file that is not a regular file (a character device such as /dev/null or
 *   /dev/stdout, a FIFO, a socket) is opened and written in place: renaming over it would replace
 *   the device node with a plain file (and needs write access to /dev);
 * - anything else (a regular file, or a new one) is written atomically: to a temporary file in the
 *   same directory, flushed to disk, then renamed over the target, so a reader (a CI step,
 *   node_exporter's textfile collector) never sees half a file and an earlier file stays intact
 *   when writing fails. A symbolic link to a regular file keeps being a link: its target is replaced.
 * Errors (missing directory, no permission) are node's errors with their code (ENOENT, EACCES…);
 * the temporary file is removed.
 */
export async function writeOutput(file: string, text: string, stdout: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (file === '-') {
    await writeToStream(stdout, text);
    return;
  }
  const target = await realTarget(resolve(file));
  const info = await stat(target).catch(() => undefined);
  if (info && !info.isFile() && !info.isDirectory()) {
    await writeInPlace(target, text);
    return;
  }
  await writeAtomically(target, text);
}

/** Where a path finally points (links followed); the path itself when it does not exist yet. */
async function realTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

async function writeInPlace(target: string, text: string): Promise<void> {
  // 'w' opens without creating anything new here (the node exists); FIFOs block until a reader opens them.
  const handle = await open(target, 'w');
  try {
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}

async function writeAtomically(target: string, text: string): Promise<void> {
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

/**
 * Checks before a run that an output can be written, so a patch window does not run for an hour
 * and then lose its report: `-`, an existing device or FIFO, or a path whose directory exists and is
 * writable. Throws a UsageError naming the flag otherwise.
 */
export async function checkOutputTarget(flag: string, file: string): Promise<void> {
  if (file === '-') return;
  if (file === '') throw new UsageError(`${flag}: expected a file name or - for stdout`);
  const target = await realTarget(resolve(file));
  const info = await stat(target).catch(() => undefined);
  if (info?.isDirectory()) throw new UsageError(`${flag} ${file}: is a directory, expected a file`);
  if (info && !info.isFile()) {
    if (!(await access(target, constants.W_OK).then(() => true, () => false))) throw new UsageError(`${flag} ${file}: permission denied`);
    return;
  }
  const dir = dirname(target);
  const dirInfo = await stat(dir).catch(() => undefined);
  if (!dirInfo) throw new UsageError(`${flag} ${file}: the directory ${dir} does not exist`);
  if (!dirInfo.isDirectory()) throw new UsageError(`${flag} ${file}: ${dir} is not a directory`);
  if (!(await access(dir, constants.W_OK).then(() => true, () => false))) throw new UsageError(`${flag} ${file}: cannot write in ${dir} (permission denied)`);
}

/** Says why an output could not be written, in words (for a node error with a code). */
export function describeWriteError(flag: string, file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'the directory does not exist'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'EISDIR' ? 'is a directory'
        : code === 'ENOSPC' ? 'no space left on the device' : (err as Error).message;
  return `${flag} ${file}: cannot write: ${why}`;
}
