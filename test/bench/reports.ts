/**
 * The report formats at 1,000 hosts (a generated report, test/report/fleet.ts): rendering time
 * (median of 5, after a warm-up) and size of each format, next to the JSON report they are rendered
 * from. Prints; asserts nothing (the Markdown size limit is asserted in test/report/markdown.test.ts).
 */
import { fleetReport } from '../report/fleet.js';
import { renderReport, REPORT_FORMATS } from '../../src/report/render.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runReportsBench(hosts = 1000, runs = 5): Promise<void> {
  const report = fleetReport(hosts);
  console.log(`${hosts} hosts (${report.summary.failed} failed, ${report.summary.unreachable} unreachable, ${report.summary.rebootRequired.length} need a reboot)`);
  console.log(`${'format'.padEnd(10)}${'render ms'.padStart(11)}${'bytes'.padStart(12)}${'KiB'.padStart(9)}`);
  for (const format of REPORT_FORMATS) {
    renderReport(report, format);
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const text = renderReport(report, format);
      times.push(performance.now() - start);
      size = Buffer.byteLength(text, 'utf8');
    }
    console.log(`${format.padEnd(10)}${median(times).toFixed(1).padStart(11)}${String(size).padStart(12)}${(size / 1024).toFixed(0).padStart(9)}`);
  }
}

export const bench = { name: 'reports', run: async (): Promise<void> => { await runReportsBench(); } };
