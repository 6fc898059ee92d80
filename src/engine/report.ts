import type { RunReport } from '../model/results.js';
import type { HostState } from './host-state.js';
import { hostStatus } from './host-state.js';

/** The final report: one entry per host in inventory order, and totals. */
export function buildReport(states: HostState[], playbooks: string[], check: boolean, interrupted: boolean, startedAt: Date): RunReport {
  const hosts = states.map((s) => ({ ...s.report, status: hostStatus(s) }));
  const count = (status: string): number => hosts.filter((h) => h.status === status).length;
  return {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    playbooks,
    check,
    interrupted,
    hosts,
    summary: {
      hosts: hosts.length,
      ok: count('ok'),
      changed: count('changed'),
      failed: count('failed'),
      unreachable: count('unreachable'),
      rebootRequired: hosts.filter((h) => h.rebootRequired).map((h) => h.name),
    },
  };
}
