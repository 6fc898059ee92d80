import { ConfigError, RemedyError } from '../model/errors.js';

export const EXIT = { ok: 0, internal: 1, failed: 2, reboot: 3, unreachable: 4, usage: 5, notReached: 6, interrupted: 130 } as const;

/** The one place errors become exit codes and messages; a stack trace only for real bugs. */
export function exitForError(err: unknown, stderr: NodeJS.WritableStream): number {
  if (err instanceof ConfigError) {
    stderr.write(`remedy: configuration error${err.problems.length > 1 ? `s (${err.problems.length})` : ''}:\n${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof RemedyError && (err.code === 'USAGE' || err.code === 'CONFIG')) {
    stderr.write(`remedy: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof RemedyError && err.code === 'INTERRUPTED') {
    stderr.write(`remedy: ${err.message}\n`);
    return EXIT.interrupted;
  }
  const detail = err instanceof Error ? err.stack ?? err.message : String(err);
  stderr.write(`remedy: internal error (this is a bug in remedy, please report it):\n${detail}\n`);
  return EXIT.internal;
}
