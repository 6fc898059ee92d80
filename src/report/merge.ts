import { UsageError } from '../model/errors.js';
import type { HostReport, MaxFail, RunReport } from '../model/results.js';
import { summarizeHosts } from '../model/summary.js';

export interface NamedReport { file: string; report: RunReport }

/** A host's place in a merged report: by name, in code-point order (the same on every machine and locale). */
function byName(a: HostReport, b: HostReport): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The shards a report holds: its own (--shard), those of a merged report, or none. */
function shardsOf(r: RunReport): { count: number; present: number[] } | undefined {
  if (r.shards) return r.shards;
  return r.shard ? { count: r.shard.count, present: [r.shard.index] } : undefined;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Checks that the parts are pieces of one run: same mode, same playbooks, shards of one split, no host twice. */
function checkParts(parts: NamedReport[]): { count: number; present: number[] } | undefined {
  const [first] = parts;
  if (!first) throw new UsageError('report merge: no reports to merge');
  const seen = new Map<string, string>();
  let shards: { count: number; present: number[] } | undefined;
  const fromShard = new Map<number, string>();
  for (const { file, report } of parts) {
    if (report.check !== first.report.check) {
      throw new UsageError(`report merge: ${file} is ${report.check ? 'a check-mode run' : 'a run that changed hosts'} and ${first.file} is not: they are not parts of one run`);
    }
    if (!sameList(report.playbooks, first.report.playbooks)) {
      throw new UsageError(`report merge: ${file} ran ${report.playbooks.join(', ') || 'no playbook'} and ${first.file} ran ${first.report.playbooks.join(', ') || 'no playbook'}: they are not parts of one run`);
    }
    const own = shardsOf(report);
    if ((own === undefined) !== (shardsOf(first.report) === undefined)) {
      throw new UsageError(`report merge: ${file} ${own ? 'is' : 'is not'} a shard (--shard) and ${first.file} ${own ? 'is not' : 'is'}: they are not parts of one split`);
    }
    if (own) {
      if (shards && shards.count !== own.count) throw new UsageError(`report merge: ${file} is a shard of ${own.count} and ${first.file} of ${shards.count}: not one split`);
      shards = { count: own.count, present: shards?.present ?? [] };
      for (const i of own.present) {
        const other = fromShard.get(i);
        if (other !== undefined) throw new UsageError(`report merge: shard ${i}/${own.count} is in both ${other} and ${file}`);
        fromShard.set(i, file);
        shards.present.push(i);
      }
    }
    for (const h of report.hosts) {
      const other = seen.get(h.name);
      if (other !== undefined) throw new UsageError(`report merge: host '${h.name}' is in both ${other} and ${file}: the parts overlap`);
      seen.set(h.name, file);
    }
  }
  return shards ? { count: shards.count, present: [...shards.present].sort((a, b) => a - b) } : undefined;
}

function combineMaxFail(reports: RunReport[]): RunReport['maxFail'] {
  const budgets = reports.map((r) => r.maxFail).filter((m): m is MaxFail & { failed: number; crossed: boolean } => m !== undefined);
  const [first] = budgets;
  if (!first) return undefined;
  return { value: first.value, unit: first.unit, failed: budgets.reduce((n, m) => n + m.failed, 0), crossed: budgets.some((m) => m.crossed) };
}

/**
 * Merges the reports of the parts of one run (the shards of `--shard I/N`, run on several machines)
 * into one: hosts in name order, the summary recomputed from them, run-level fields combined (the
 * earliest start, the latest end, interrupted if any part was, the latest deadline, the failure
 * budget summed over the parts, the first stop in part order, the shards present). A pure function:
 * parts that cannot be one run (check mode and not, other playbooks, shards of different splits,
 * a host or shard twice) are a UsageError naming the files.
 */
export function mergeReports(parts: NamedReport[]): RunReport {
  const shards = checkParts(parts);
  const ordered = shards ? [...parts].sort((a, b) => (shardsOf(a.report)!.present[0] ?? 0) - (shardsOf(b.report)!.present[0] ?? 0)) : parts;
  const reports = ordered.map((p) => p.report);
  const hosts = reports.flatMap((r) => r.hosts).sort(byName);
  const starts = reports.map((r) => r.startedAt).sort();
  const ends = reports.map((r) => r.finishedAt).sort();
  const deadlines = reports.flatMap((r) => (r.deadline ? [r.deadline] : [])).sort();
  const maxFail = combineMaxFail(reports);
  const stopped = reports.find((r) => r.stopped)?.stopped;
  return {
    version: 1,
    startedAt: starts[0]!,
    finishedAt: ends[ends.length - 1]!,
    playbooks: reports[0]!.playbooks,
    check: reports[0]!.check,
    interrupted: reports.some((r) => r.interrupted),
    ...(deadlines.length > 0 ? { deadline: deadlines[deadlines.length - 1] } : {}),
    ...(maxFail ? { maxFail } : {}),
    ...(shards ? { shards } : {}),
    ...(stopped ? { stopped } : {}),
    hosts,
    summary: summarizeHosts(hosts),
  };
}

export { missingShards } from './host-outcome.js';
