export { colorEnabled } from './color.js';
export { formatJsonReport, writeJsonReport } from './json-report.js';
export { createLiveReporter, type LiveReporter, type LiveReporterOptions } from './live-reporter.js';
export { createPlainReporter, type PlainReporterOptions } from './plain-reporter.js';
export { renderSummaryTable, type SummaryTableOptions } from './summary-table.js';
