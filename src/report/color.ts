/**
 * Whether to write color codes to `stream`: NO_COLOR (any non-empty value) disables, and wins;
 * FORCE_COLOR enables (except FORCE_COLOR=0 or false, which disable, as in node and chalk);
 * otherwise only a TTY that is not TERM=dumb gets color.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
