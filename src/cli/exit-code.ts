import type { RunReport } from '../model/results.js';
import { EXIT } from './exit.js';

/** Failures that mean the playbook itself is wrong: the run ends with exit code 5, like a config error. */
const CONFIG_CAUSES = new Set(['undefined-variable', 'expression', 'config']);

/**
 * The exit code for a finished run: 130 when it was interrupted; 5 when a task failed because the
 * playbook is wrong (an undefined variable, a bad expression); 4 when a host was unreachable
 * (wins over 2); 2 when a host failed; 3 only with failOnReboot when some host still needs a
 * reboot and none failed or was unreachable; 0 otherwise.
 */
export function exitCodeFor(report: RunReport, opts: { failOnReboot: boolean }): number {
  if (report.interrupted) return EXIT.interrupted;
  const configFailure = report.hosts.some((h) => h.steps.some((s) => s.cause !== undefined && CONFIG_CAUSES.has(s.cause) && !s.ignored));
  if (configFailure) return EXIT.usage;
  const unreachable = report.summary.unreachable > 0 || report.hosts.some((h) => h.status === 'unreachable');
  if (unreachable) return EXIT.unreachable;
  const failed = report.summary.failed > 0 || report.hosts.some((h) => h.status === 'failed');
  if (failed) return EXIT.failed;
  const reboot = report.summary.rebootRequired.length > 0 || report.hosts.some((h) => h.rebootRequired);
  if (opts.failOnReboot && reboot) return EXIT.reboot;
  return EXIT.ok;
}
