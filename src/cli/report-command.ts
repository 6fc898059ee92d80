import { readFile } from 'node:fs/promises';
import { compiledSchema } from '../config/schema.js';
import { parseYamlText } from '../config/yaml-file.js';
import { ConfigError, type ConfigProblem } from '../model/errors.js';
import type { RunReport } from '../model/results.js';
import { checkOutputTarget, colorEnabled, describeWriteError, renderReport, writeOutput, type ReportFormat } from '../report/index.js';
import { EXIT } from './exit.js';

export interface ReportFlags {
  format: ReportFormat;
  output: string;
  failOnReboot?: boolean;
}

/**
 * `remedy report FILE.json --format F [-o OUT]`: re-renders a saved JSON report (from --json) in
 * any format, to stdout or a file (written atomically, devices and FIFOs in place). The input is
 * validated against schemas/report.schema.json first; a bad file is a configuration error (exit 5)
 * naming the file, line and column. Exit 0 once written: the run's own outcome is in the report.
 */
export async function reportCommand(file: string, flags: ReportFlags): Promise<number> {
  const report = await readReportFile(file);
  await checkOutputTarget('-o', flags.output);
  const color = flags.output === '-' && colorEnabled(process.stdout);
  const text = renderReport(report, flags.format, { failOnReboot: flags.failOnReboot ?? false, color });
  try {
    await writeOutput(flags.output, text);
  } catch (err) {
    process.stderr.write(`remedy: ${describeWriteError('-o', flags.output, err)}\n`);
    return EXIT.usage;
  }
  return EXIT.ok;
}

/** Reads and validates a JSON report; every problem is a ConfigError with file:line:column. */
export async function readReportFile(file: string): Promise<RunReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a JSON report' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ConfigError({ file, message: `cannot read the report: ${why}` });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(syntaxProblem(file, text, err as Error));
  }
  const validate = compiledSchema('report');
  if (validate(value)) return value as unknown as RunReport;
  const located = parseYamlText(file, text); // JSON is YAML: positions for the JSON pointers
  const problems = (validate.errors ?? []).slice(0, 20).map((e) => {
    const what = `not a remedy report (schemas/report.schema.json): ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`;
    if (e.keyword !== 'additionalProperties') return located.problemAt(e.instancePath, what);
    const key = String((e.params as { additionalProperty?: string }).additionalProperty);
    return located.problemAt(`${e.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, `${what}: '${key}'`, true);
  });
  throw new ConfigError(problems);
}

/** Where a JSON syntax error is: from node's "position N", else from the YAML parser, else the file. */
function syntaxProblem(file: string, text: string, err: Error): ConfigProblem {
  const message = `not valid JSON: ${err.message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?".*$/s, '')}`;
  const at = /position (\d+)/.exec(err.message);
  if (at) {
    const before = text.slice(0, Number(at[1])).split('\n');
    return { file, line: before.length, column: before[before.length - 1]!.length + 1, message };
  }
  try {
    parseYamlText(file, text);
  } catch (yamlError) {
    if (yamlError instanceof ConfigError && yamlError.line !== undefined) return { file, line: yamlError.line, column: yamlError.column, message };
  }
  return { file, message };
}
