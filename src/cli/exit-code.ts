import type { RunReport } from '../model/results.js';
import { EXIT } from './exit.js';

/** Failures that mean the playbook itself is wrong: the run ends with exit code 5, like a config error. */
const CONFIG_CAUSES = new Set(['undefined-variable', 'expression', 'config']);

/** Hosts this run did not get to: not reached (the run stopped early), locked by another run, or in a shard missing from a merge. */
export function hostsLeft(report: RunReport): boolean {
  const s = report.summary;
  if ((s.notReached ?? 0) > 0 || (s.locked ?? 0) > 0) return true;
  if (report.hosts.some((h) => h.status === 'not-reached' || h.status === 'locked')) return true;
  return report.shards !== undefined && report.shards.present.length < report.shards.count;
}

/**
 * The exit code for a finished run, the first that applies: 130 when it was interrupted; 5 when a
 * task failed because the playbook is wrong (an undefined variable, a bad expression); 6 when a host
 * was left (not reached: --deadline, --max-fail or a failed batch stopped the run; locked by another
 * run; a shard missing from a merge): the window must be resumed, and the failures that stopped it
 * are in the report; 4 when a host was unreachable (wins over 2); 2 when a host failed; 3 only with
 * failOnReboot when some host still needs a reboot; 0 otherwise.
 */
export function exitCodeFor(report: RunReport, opts: { failOnReboot: boolean }): number {
  if (report.interrupted) return EXIT.interrupted;
  const configFailure = report.hosts.some((h) => h.steps.some((s) => s.cause !== undefined && CONFIG_CAUSES.has(s.cause) && !s.ignored));
  if (configFailure) return EXIT.usage;
  if (hostsLeft(report)) return EXIT.notReached;
  const unreachable = report.summary.unreachable > 0 || report.hosts.some((h) => h.status === 'unreachable');
  if (unreachable) return EXIT.unreachable;
  const failed = report.summary.failed > 0 || report.hosts.some((h) => h.status === 'failed');
  if (failed) return EXIT.failed;
  const reboot = report.summary.rebootRequired.length > 0 || report.hosts.some((h) => h.rebootRequired);
  if (opts.failOnReboot && reboot) return EXIT.reboot;
  return EXIT.ok;
}
