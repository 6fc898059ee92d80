/**
 * Ctrl-C (or SIGTERM from a CI runner): the first stops starting new work and lets running steps
 * finish or time out; the second ends running commands too. The report is written either way.
 * A third one exits at once. The handlers stay until dispose(), after the report is written.
 */
export function handleInterrupts(stderr: NodeJS.WritableStream): { stop: AbortSignal; kill: AbortSignal; dispose(): void } {
  const stop = new AbortController();
  const kill = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!stop.signal.aborted) {
      stderr.write(`\nremedy: ${signal}: starting nothing new; waiting for running steps (press Ctrl-C again to end them)\n`);
      stop.abort();
    } else if (!kill.signal.aborted) {
      stderr.write(`\nremedy: ${signal}: ending running steps; the report is still written\n`);
      kill.abort();
    } else {
      stderr.write(`\nremedy: ${signal}: exiting now\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stop: stop.signal,
    kill: kill.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
