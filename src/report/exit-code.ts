import type { RunReport } from '../model/results.js';

/** Exit codes that come from a run's outcome (5 and 1 are decided by the CLI, src/cli/exit.ts). */
const EXIT = { ok: 0, failed: 2, rebootRequired: 3, unreachable: 4, interrupted: 130 } as const;

/**
 * The exit code for a finished run: 130 when it was interrupted; 4 when a host was unreachable
 * (wins over 2); 2 when a host failed; 3 only with failOnReboot when some host still needs a
 * reboot and none failed or was unreachable; 0 otherwise.
 */
export function exitCodeFor(report: RunReport, opts: { failOnReboot: boolean }): number {
  if (report.interrupted) return EXIT.interrupted;
  const unreachable = report.summary.unreachable > 0 || report.hosts.some((h) => h.status === 'unreachable');
  if (unreachable) return EXIT.unreachable;
  const failed = report.summary.failed > 0 || report.hosts.some((h) => h.status === 'failed');
  if (failed) return EXIT.failed;
  const reboot = report.summary.rebootRequired.length > 0 || report.hosts.some((h) => h.rebootRequired);
  if (opts.failOnReboot && reboot) return EXIT.rebootRequired;
  return EXIT.ok;
}
