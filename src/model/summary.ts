/** The totals of a run report, from its hosts: one definition for the engine's report and merged shards. */
import type { HostReport, RunReport } from './results.js';

export function summarizeHosts(hosts: readonly HostReport[]): RunReport['summary'] {
  const count = (status: HostReport['status']): number => hosts.filter((h) => h.status === status).length;
  return {
    hosts: hosts.length,
    ok: count('ok'),
    changed: count('changed'),
    failed: count('failed'),
    unreachable: count('unreachable'),
    locked: count('locked'),
    notReached: count('not-reached'),
    rebootRequired: hosts.filter((h) => h.rebootRequired).map((h) => h.name),
  };
}
