/** gatherFacts: one exec of the probe on a host, then the pure parsers. */
import type { Transport } from '../transport/transport.js';
import { buildProbeScript } from './probe.sh.js';
import { parseProbeOutput, type ParseOptions } from './parse-facts.js';
import type { HostFacts } from './types.js';

export interface GatherOptions extends ParseOptions {
  /** Where the probe reads sysfs (default /sys): the lab tests plant a live patch stand-in there. */
  sysRoot?: string;
  /** Milliseconds before the probe is ended (default 120 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Bytes of probe output kept (a host with thousands of processes prints a few MiB at most). */
export const PROBE_MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * Runs the probe in one transport.exec and parses its output. Probe problems (timeout, truncated
 * output, exit status) become `unknown` facts with the reason; only the transport's own errors
 * (UnreachableError) propagate.
 */
export async function gatherFacts(transport: Transport, opts: GatherOptions = {}): Promise<HostFacts> {
  const result = await transport.exec({
    script: buildProbeScript({ coreExtra: opts.coreExtra, ...(opts.sysRoot ? { sysRoot: opts.sysRoot } : {}) }),
    timeoutMs: opts.timeoutMs ?? 120_000,
    maxOutputBytes: PROBE_MAX_OUTPUT,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  // The probe's last words on stderr: why it exited badly, or why its process scan stopped.
  const err = result.stderr.trim().split('\n').slice(-3).join('; ');
  const facts = withHostsWord(parseProbeOutput(result.stdout, opts), err);
  if (result.timedOut) facts.unknown.push({ what: 'probe', reason: `the probe timed out after ${result.durationMs} ms` });
  if (result.truncated) facts.unknown.push({ what: 'probe', reason: `the probe output was truncated at ${PROBE_MAX_OUTPUT} bytes` });
  if (result.exitCode !== 0 && !result.timedOut) {
    facts.unknown.push({ what: 'probe', reason: `the probe exited with ${result.exitCode ?? result.signal}${err ? `: ${err}` : ''}` });
  }
  return facts;
}

/**
 * A process scan cut short (awk's exit status) gets what the probe last printed on stderr, which says
 * why (the scan's own errors go there): without it "the scan ended with status 2" is a riddle.
 */
export function withHostsWord(facts: HostFacts, said: string): HostFacts {
  if (!said) return facts;
  const unknown = facts.unknown.map((u) => (u.what === 'processes' && u.reason.startsWith('the process scan') ? { ...u, reason: `${u.reason} (the host said: ${said})` } : u));
  return { ...facts, unknown };
}
