import { setMaxListeners } from 'node:events';

/** The signals that end a run: Ctrl-C, a CI runner's cancel (TERM), a closed terminal (HUP), Ctrl-\\ (QUIT). */
export const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/**
 * Ctrl-C (or SIGTERM from a CI runner, SIGHUP when the terminal goes away, SIGQUIT): the first stops
 * starting new work and lets running steps finish or time out; the second ends running commands too.
 * The report is written either way. A third one exits at once. The handlers stay until dispose(),
 * after the report is written.
 */
export function handleInterrupts(stderr: NodeJS.WritableStream): { stop: AbortSignal; kill: AbortSignal; dispose(): void } {
  const stop = new AbortController();
  const kill = new AbortController();
  // Every running step listens to these (one listener per command): not a leak at 20 hosts.
  setMaxListeners(0, stop.signal, kill.signal);
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!stop.signal.aborted) {
      stderr.write(`\nremedy: ${signal}: starting nothing new; waiting for running steps (press Ctrl-C again to end them)\n`);
      stop.abort(signal);
    } else if (!kill.signal.aborted) {
      stderr.write(`\nremedy: ${signal}: ending running steps; the report is still written\n`);
      kill.abort(signal);
    } else {
      stderr.write(`\nremedy: ${signal}: exiting now\n`);
      process.exit(130);
    }
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return {
    stop: stop.signal,
    kill: kill.signal,
    dispose() {
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
    },
  };
}
