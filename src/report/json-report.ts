import type { RunReport } from '../model/results.js';
import { writeOutput } from './output-file.js';

/** The report as it is written: pretty JSON with a final newline. */
export function formatJsonReport(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Writes the JSON report (shape: schemas/report.schema.json) with writeOutput: `-` is stdout, a
 * device or FIFO (/dev/null) is written in place, a regular file atomically (temporary file, then
 * rename). Errors (missing directory, no permission) are thrown as node's errors with their code.
 */
export async function writeJsonReport(file: string, report: RunReport): Promise<void> {
  await writeOutput(file, formatJsonReport(report));
}
