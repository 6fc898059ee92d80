/** The formats the final report can be rendered in (`remedy report --format`, and the run's output flags). */
export const REPORT_FORMATS = ['table', 'json', 'junit', 'markdown', 'html', 'metrics'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
