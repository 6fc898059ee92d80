import { appendFile } from 'node:fs/promises';
import type { RunReport } from '../model/results.js';
import { UsageError } from '../model/errors.js';
import { checkOutputTarget, describeWriteError, renderMarkdown, renderReport, writeOutput, type ReportFormat } from '../report/index.js';

/** The report files a run writes when it ends: one flag per format. */
export interface OutputFlags {
  json?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  metrics?: string;
}

const OUTPUTS: Array<{ key: keyof OutputFlags; flag: string; format: ReportFormat }> = [
  { key: 'json', flag: '--json', format: 'json' },
  { key: 'junit', flag: '--junit', format: 'junit' },
  { key: 'markdown', flag: '--markdown', format: 'markdown' },
  { key: 'html', flag: '--html', format: 'html' },
  { key: 'metrics', flag: '--metrics', format: 'metrics' },
];

/** The outputs asked for, in a fixed order. */
function requested(flags: OutputFlags): Array<{ flag: string; file: string; format: ReportFormat }> {
  return OUTPUTS.filter((o) => flags[o.key] !== undefined).map((o) => ({ flag: o.flag, file: flags[o.key]!, format: o.format }));
}

/** True when a report goes to stdout (`-`): progress and the table then go to stderr. */
export function stdoutTaken(flags: OutputFlags): boolean {
  return requested(flags).some((o) => o.file === '-');
}

/**
 * Before the run: every output can be written (its directory exists and is writable, it is not a
 * directory), and at most one goes to stdout. A usage error (exit 5) before any host is touched.
 */
export async function checkOutputs(flags: OutputFlags): Promise<void> {
  const outputs = requested(flags);
  const toStdout = outputs.filter((o) => o.file === '-').map((o) => o.flag);
  if (toStdout.length > 1) throw new UsageError(`${toStdout.join(' and ')}: only one report can be written to stdout (-)`);
  for (const o of outputs) await checkOutputTarget(o.flag, o.file);
}

/**
 * After the run (interrupted runs too): renders and writes each requested report. A file that
 * cannot be written does not stop the others; the problems are returned, one line each.
 */
export async function writeOutputs(report: RunReport, flags: OutputFlags, opts: { failOnReboot: boolean }): Promise<string[]> {
  const problems: string[] = [];
  for (const o of requested(flags)) {
    try {
      await writeOutput(o.file, renderReport(report, o.format, { failOnReboot: opts.failOnReboot }));
    } catch (err) {
      problems.push(describeWriteError(o.flag, o.file, err));
    }
  }
  return problems;
}

/**
 * GitHub Actions: when GITHUB_STEP_SUMMARY names a file, the Markdown summary is appended to it
 * (the step's summary page). Returns a warning when it could not be, else undefined.
 */
export async function appendStepSummary(report: RunReport, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '') return undefined;
  try {
    await appendFile(file, `${renderMarkdown(report)}\n`, 'utf8');
    return undefined;
  } catch (err) {
    return describeWriteError('GITHUB_STEP_SUMMARY', file, err);
  }
}
