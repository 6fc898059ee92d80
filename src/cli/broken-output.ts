/**
 * A terminal or log that cannot take more output (a full disk, `> /dev/full`, a closed pipe) must not
 * end a run that is remediating hosts: the error is said once on the other stream (when it can still
 * be written), the lost output is dropped, and the run, its report files and its exit code go on.
 */
export function surviveBrokenOutput(streams: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process): void {
  const said = new Set<NodeJS.WriteStream>();
  const watch = (stream: NodeJS.WriteStream, name: string, other: NodeJS.WriteStream): void => {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (said.has(stream)) return;
      said.add(stream);
      if (other.writable && !said.has(other)) {
        other.write(`remedy: cannot write to ${name} (${err.code ?? err.message}): its output is dropped; the run and its report files go on\n`);
      }
    });
  };
  watch(streams.stdout, 'stdout', streams.stderr);
  watch(streams.stderr, 'stderr', streams.stdout);
}
