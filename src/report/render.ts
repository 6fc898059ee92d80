import type { RunReport } from '../model/results.js';
import { renderHtml } from './html.js';
import { formatJsonReport } from './json-report.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderMetrics } from './metrics.js';
import { renderSummaryTable } from './summary-table.js';

import type { ReportFormat } from './formats.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

export interface RenderOptions {
  /** JUnit: a host that still needs a reboot is a failing case. */
  failOnReboot?: boolean;
  /** Table: color codes (only for a terminal). */
  color?: boolean;
}

/** Renders the final report in one format: a pure function of the report. */
export function renderReport(report: RunReport, format: ReportFormat, opts: RenderOptions = {}): string {
  switch (format) {
    case 'table': return renderSummaryTable(report, { color: opts.color ?? false });
    case 'json': return formatJsonReport(report);
    case 'junit': return renderJunit(report, { failOnReboot: opts.failOnReboot });
    case 'markdown': return renderMarkdown(report);
    case 'html': return renderHtml(report);
    case 'metrics': return renderMetrics(report);
  }
}
