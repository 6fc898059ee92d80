import type { RunReport } from '../model/results.js';
import { colorEnabled, renderSummaryTable } from '../report/index.js';
import { mergeReports, missingShards } from '../report/merge.js';
import { exitCodeFor } from './exit-code.js';
import { EXIT } from './exit.js';
import { readReportFile } from './report-command.js';
import { appendStepSummary, checkOutputs, stdoutTaken, writeOutputs, type OutputFlags } from './report-outputs.js';

export interface MergeFlags extends OutputFlags {
  failOnReboot?: boolean;
}

/**
 * `remedy report merge A.json B.json… [--json OUT] [--junit F] [--markdown F] [--html F] [--metrics F]`:
 * merges the JSON reports of the shards of one run (report/merge.ts), prints the table of the whole,
 * writes the reports asked for (and the GitHub step summary), and exits with the exit code of the
 * whole run: a missing shard is hosts not reached (6). Each input is validated as `remedy report` does.
 */
export async function reportMergeCommand(files: string[], flags: MergeFlags): Promise<number> {
  const parts: Array<{ file: string; report: RunReport }> = [];
  for (const file of files) parts.push({ file, report: await readReportFile(file) });
  const merged = mergeReports(parts);
  await checkOutputs(flags);
  const failOnReboot = flags.failOnReboot ?? false;
  const out = stdoutTaken(flags) ? process.stderr : process.stdout;
  const problems = await writeOutputs(merged, flags, { failOnReboot });
  const summary = await appendStepSummary(merged);
  out.write(`${renderSummaryTable(merged, { color: colorEnabled(out) })}`);
  const missing = missingShards(merged);
  if (missing.length > 0) {
    process.stderr.write(`remedy: warning: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${merged.shards!.count} missing: their hosts are not in this report\n`);
  }
  if (summary) process.stderr.write(`remedy: warning: ${summary}\n`);
  for (const p of problems) process.stderr.write(`remedy: ${p}\n`);
  return problems.length > 0 ? EXIT.usage : exitCodeFor(merged, { failOnReboot });
}
