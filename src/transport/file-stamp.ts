import { stat } from 'node:fs/promises';

/**
 * A file's identity on disk (device, inode, size, mtime), to tell whether a file read earlier in the
 * run changed since; a missing or unreadable file has one too.
 */
export async function fileStamp(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch (err) {
    return `absent:${(err as NodeJS.ErrnoException).code ?? ''}`;
  }
}
