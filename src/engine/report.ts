import type { MaxFail, RunReport, RunStop, Shard } from '../model/results.js';
import { summarizeHosts } from '../model/summary.js';
import type { HostState } from './host-state.js';
import { hostStatus } from './host-state.js';
import { countFailed, maxFailCrossed } from './window.js';

export interface ReportFacts {
  runId: string;
  playbooks: string[];
  check: boolean;
  interrupted: boolean;
  startedAt: Date;
  deadline?: Date;
  maxFail?: MaxFail;
  shard?: Shard;
  stopped?: RunStop;
}

/**
 * The final report: one entry per host in inventory order, run-level facts, and totals. The stop is
 * kept only when it left a host not reached (a batch that failed as the run's last one stops nothing).
 */
export function buildReport(states: HostState[], facts: ReportFacts): RunReport {
  const hosts = states.map((s) => ({ ...s.report, status: hostStatus(s) }));
  const notReached = hosts.filter((h) => h.status === 'not-reached').length;
  const failed = countFailed(states);
  return {
    version: 1,
    startedAt: facts.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    playbooks: facts.playbooks,
    check: facts.check,
    interrupted: facts.interrupted,
    runId: facts.runId,
    ...(facts.deadline ? { deadline: facts.deadline.toISOString() } : {}),
    ...(facts.maxFail ? { maxFail: { ...facts.maxFail, failed, crossed: maxFailCrossed(failed, states.length, facts.maxFail) } } : {}),
    ...(facts.shard ? { shard: facts.shard } : {}),
    ...(facts.stopped && notReached > 0 ? { stopped: facts.stopped } : {}),
    hosts,
    summary: summarizeHosts(hosts),
  };
}
