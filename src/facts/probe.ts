/**
 * A probe: what a step reads from a host before it plans. A POSIX sh body (see script.ts), the
 * positional arguments it takes, and the pure parser of what it prints. Read-only by contract: a probe
 * changes nothing on the host, so it runs the same in check mode.
 */
export interface Probe<I, T> {
  /** Names the probe in messages: "xinetd_sessions scan", "kill_processes scan"… */
  name: string;
  /** The sh body, run as a function with the arguments as $1… (script.ts buildScriptCommand). */
  script: string;
  args(input: I): string[];
  parse(stdout: string): T;
}
