import type { HostReport, RunReport } from '../model/results.js';
import { cellWidth, createPaint, pad, sanitizeLine, truncate, type Paint, type Style } from './text.js';
import { describeLockHolder, describeNotReached, describeStop, rebootState } from './host-outcome.js';

export interface SummaryTableOptions {
  color: boolean;
  /**
   * Width in columns; long cells are cut to fit. Default: the width of process.stdout when it
   * is a terminal of known size, else 160 (CI logs have no width, but lines should stay readable).
   */
  width?: number;
}

interface Column {
  header: string;
  short: string;
  align: 'left' | 'right';
  /** Narrowest the column may be cut to; undefined means it is never cut. */
  min?: number;
}

const GAP = '  ';

const COLUMNS: Column[] = [
  { header: 'HOST', short: 'HOST', align: 'left', min: 8 },
  { header: 'OK', short: 'OK', align: 'right' },
  { header: 'CHANGED', short: 'CHG', align: 'right' },
  { header: 'FAILED', short: 'FAIL', align: 'right' },
  { header: 'UNREACHABLE', short: 'UNREACH', align: 'left', min: 7 },
  { header: 'RESTARTED', short: 'RESTART', align: 'right' },
  { header: 'KILLED', short: 'KILL', align: 'right' },
  { header: 'STALE', short: 'STALE', align: 'right' },
  { header: 'REBOOT', short: 'REBOOT', align: 'left', min: 7 },
];

/** The order in which flexible columns give up width when the terminal is narrow. */
const SHRINK_ORDER = [8, 4, 0];

interface Cell { text: string; style?: Style | Style[] }

/**
 * The final table, one row per host: step counts (ok, changed, failed), unreachable with its
 * kind, restarted and killed counts, stale processes, and whether a reboot is still required
 * (with the reasons). Under the table: why the run stopped early, the hosts it did not reach and
 * those locked by another run (with the holder). The last line gives the totals and the hosts that
 * still need a reboot.
 * Columns are aligned; cells are cut with '…' to fit `width`; no escape codes when color is off.
 */
export function renderSummaryTable(report: RunReport, opts: SummaryTableOptions): string {
  const paint = createPaint(opts.color);
  const columns = process.stdout.isTTY ? process.stdout.columns : 0;
  const width = Math.max(20, opts.width ?? (columns > 0 ? columns : 160));
  const rows = report.hosts.map(hostCells);
  let headers = COLUMNS.map((c) => c.header);
  let widths = naturalWidths(headers, rows);
  // Long headers only while they leave the reasons some room; the reasons are cut anyway.
  const reboot = COLUMNS.length - 1;
  if (total(widths.map((w, i) => (i === reboot ? Math.min(w, 30) : w))) > width) {
    headers = COLUMNS.map((c) => c.short);
    widths = naturalWidths(headers, rows);
  }
  for (const i of SHRINK_ORDER) {
    const excess = total(widths) - width;
    if (excess <= 0) break;
    const floor = Math.max(COLUMNS[i]!.min ?? 0, cellWidth(headers[i]!));
    widths[i] = Math.max(floor, widths[i]! - excess);
  }
  const lines: string[] = [];
  lines.push(renderRow(headers.map((text) => ({ text, style: 'bold' as const })), widths, paint));
  for (const row of rows) lines.push(renderRow(row, widths, paint));
  if (report.check) lines.push('check mode: nothing was changed on the hosts');
  if (report.interrupted) lines.push(paint(['red', 'bold'], 'interrupted: results are partial'));
  lines.push(...leftLines(report, paint, width));
  lines.push(totalsLine(report, paint));
  return `${lines.join('\n')}\n`;
}

function hostCells(h: HostReport): Cell[] {
  const counted = { ok: 0, changed: 0, failed: 0, unreachable: 0 };
  for (const s of h.steps) {
    if (s.status === 'failed' && s.ignored) continue;
    if (s.status in counted) counted[s.status as keyof typeof counted]++;
  }
  if (h.unreachable && counted.unreachable === 0) counted.unreachable = 1;
  const kind = h.unreachable?.kind ?? (counted.unreachable > 0 ? 'yes' : '');
  const unreachable = counted.unreachable > 0 ? `${counted.unreachable} (${sanitizeLine(kind)})` : '0';
  const failedHost = h.status === 'failed' || h.status === 'unreachable' || h.status === 'not-reached' || h.status === 'locked';
  return [
    { text: sanitizeLine(h.name), style: failedHost ? ['red', 'bold'] : undefined },
    number(counted.ok, 'green'),
    number(counted.changed, 'yellow'),
    number(counted.failed, 'red'),
    { text: unreachable, style: counted.unreachable > 0 ? 'red' : undefined },
    number(h.restarted.length, 'cyan'),
    number(h.killed.length, 'cyan'),
    number(h.stale.length, 'yellow'),
    rebootCell(h),
  ];
}

function number(n: number, style: Style): Cell {
  return { text: String(n), style: n > 0 ? style : 'dim' };
}

/** The stop, the hosts not reached (grouped by reason and play) and the locked hosts, one line each, cut to width. */
function leftLines(report: RunReport, paint: Paint, width: number): string[] {
  const lines: string[] = [];
  const stop = describeStop(report);
  if (stop) lines.push(paint(['red', 'bold'], truncate(`not finished: ${sanitizeLine(stop)}`, width)));
  const groups = new Map<string, string[]>();
  for (const h of report.hosts) {
    if (h.status !== 'not-reached') continue;
    const why = describeNotReached(h);
    groups.set(why, [...(groups.get(why) ?? []), h.name]);
  }
  for (const [why, names] of groups) lines.push(truncate(`not reached (${sanitizeLine(why)}): ${names.length} ${names.length === 1 ? 'host' : 'hosts'}: ${names.map(sanitizeLine).join(', ')}`, width));
  for (const h of report.hosts) {
    if (h.status === 'locked') lines.push(truncate(`locked: ${sanitizeLine(h.name)} by ${sanitizeLine(describeLockHolder(h))}, left alone`, width));
  }
  return lines;
}

function rebootCell(h: HostReport): Cell {
  const reasons = h.rebootReasons.map((r) => (r.detail ? `${r.kind}: ${r.detail}` : r.kind)).map(sanitizeLine);
  if (!h.rebootRequired) {
    // A host that was never checked (unreachable, locked, not reached): "no" would be a claim nobody made.
    if (rebootState(h) === 'unknown') return { text: 'unknown', style: 'dim' };
    // A note that needs no reboot (a pending kernel under a live patch): the reboot can wait.
    return { text: reasons.length > 0 ? `no, can wait (${reasons.join('; ')})` : 'no' };
  }
  return { text: reasons.length > 0 ? `yes (${reasons.join('; ')})` : 'yes', style: ['yellow', 'bold'] };
}

function naturalWidths(headers: string[], rows: Cell[][]): number[] {
  return headers.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i]!.text))));
}

function total(widths: number[]): number {
  return widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
}

function renderRow(cells: Cell[], widths: number[], paint: Paint): string {
  const parts = cells.map((cell, i) => {
    const w = widths[i]!;
    const isLast = i === cells.length - 1;
    const text = truncate(cell.text, w);
    // The last column is not padded: no trailing spaces.
    const padded = isLast ? text : pad(text, w, COLUMNS[i]!.align);
    if (!cell.style) return padded;
    const lead = padded.length - padded.trimStart().length;
    const body = padded.trim();
    return `${' '.repeat(lead)}${paint(cell.style, body)}${' '.repeat(padded.length - lead - body.length)}`;
  });
  return parts.join(GAP).trimEnd();
}

function totalsLine(report: RunReport, paint: Paint): string {
  const s = report.summary;
  const counts = [
    `${s.hosts} ${s.hosts === 1 ? 'host' : 'hosts'}`,
    paint(s.ok > 0 ? 'green' : 'dim', `${s.ok} ok`),
    paint(s.changed > 0 ? 'yellow' : 'dim', `${s.changed} changed`),
    paint(s.failed > 0 ? ['red', 'bold'] : 'dim', `${s.failed} failed`),
    paint(s.unreachable > 0 ? ['red', 'bold'] : 'dim', `${s.unreachable} unreachable`),
    ...((s.locked ?? 0) > 0 ? [paint(['yellow', 'bold'], `${s.locked} locked`)] : []),
    ...((s.notReached ?? 0) > 0 ? [paint(['red', 'bold'], `${s.notReached} not reached`)] : []),
  ].join(', ');
  const reboot = s.rebootRequired.length > 0
    ? paint(['yellow', 'bold'], `reboot required: ${s.rebootRequired.map(sanitizeLine).join(', ')}`)
    : 'reboot required: none';
  return `${paint('bold', 'TOTAL')} ${counts}; ${reboot}`;
}
