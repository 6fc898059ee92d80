import { LISTR_DEFAULT_RENDERER_STYLE, LISTR_LOGGER_STYLE, Listr, ListrLogger, ProcessOutput, Spinner } from 'listr2';
import type { EventListener, RunEvent } from '../model/events.js';
import type { RunReport } from '../model/results.js';
import { createFleetState, labelWidth, type FleetState, type HostState } from './live-state.js';
import { createPaint } from './text.js';

export interface LiveReporterOptions {
  out: NodeJS.WriteStream;
  color: boolean;
  /**
   * The listr2 renderer: 'default' redraws the rows in place (needs a terminal), 'simple'
   * prints a line when a row starts and ends, 'silent' prints nothing. Default: 'default' when
   * out is a TTY with a known width, else 'simple'. Forcing one bypasses listr2's TTY check.
   */
  renderer?: 'default' | 'simple' | 'silent';
  /**
   * Most rows drawn (default: the terminal's height less 3, at least 5, at most 40). A fleet with more
   * hosts gets a summary row and rows for the hosts most worth seeing: failures first, then
   * the ones running, most recent first.
   */
  maxRows?: number;
}

export interface LiveReporter {
  listener: EventListener;
  /** Ends every row still running and waits until the renderer has drawn its last frame. */
  done(): Promise<void>;
}

/**
 * The part of listr2's task wrapper used here. Progress is written to `task.title` directly, not
 * through the `title` setter: the setter redraws every row, per event, on the engine's thread;
 * the spinner redraws every FRAME_MS anyway. (Measured: 200 rows × 10 tasks took 15 s of CPU.)
 */
interface Wrapper { title: string; task: { title?: string }; skip(message?: string): void }

interface Row {
  wrapper?: Wrapper;
  text: string;
  final?: { failed: boolean; skipped: boolean; word: string };
  finished: Promise<void>;
  finish(): void;
}

function newRow(text: string): Row {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => { finish = resolve; });
  return { text, finished, finish };
}

function show(row: Row, text: string): void {
  row.text = text;
  if (row.wrapper) row.wrapper.task.title = text;
}

/** A listr2 task that shows `row` until the row is finished, then ends as ok, failed or skipped. */
function rowTask(row: Row): { title: string; task: (ctx: unknown, task: Wrapper) => Promise<void> } {
  return {
    title: row.text,
    task: async (_ctx, task) => {
      row.wrapper = task;
      task.task.title = row.text;
      await row.finished;
      task.title = row.text; // through the setter: one redraw with the final text
      if (row.final?.failed) throw new Error(row.final.word);
      if (row.final?.skipped) task.skip(row.text); // the skip message replaces the title
    },
  };
}

/**
 * Live per-host progress with listr2: all hosts at once, one row each with the host's current
 * play and task and its step counts; a finished row shows the outcome (ok, changed, failed,
 * unreachable). Rows are created at 'run-start'; 'host-end' ends a row; 'run-end' or done()
 * ends the rest. The listener never throws.
 */
export function createLiveReporter(opts: LiveReporterOptions): LiveReporter {
  const paint = createPaint(opts.color);
  const fleet = createFleetState(paint);
  let view: View | undefined;
  let running: Promise<unknown> | undefined;
  let interrupted = false;

  const start = (hosts: string[]): void => {
    if (view) return;
    fleet.reset(hosts);
    // Every row start and end redraws all rows (listr2), so rows cost O(rows²): at most 40.
    const budget = Math.max(5, opts.maxRows ?? Math.min(40, (opts.out.rows ?? 24) - 3));
    view = fleet.hosts.size <= budget ? createRowsView(fleet) : createCompactView(fleet, budget);
    // A terminal of 0 columns (a pty nobody sized, e.g. under `script`) makes listr2 draw nothing.
    const renderer = opts.renderer ?? (opts.out.isTTY && (opts.out.columns ?? 0) > 0 ? 'default' : 'simple');
    const options = rendererOptions(opts);
    const listr = new Listr(view.tasks, {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false, // the CLI handles Ctrl-C and still wants the report
      renderer,
      fallbackRenderer: renderer, // same renderer either way: listr2 only checks process.stdout
      rendererOptions: options,
      fallbackRendererOptions: options,
    } as ConstructorParameters<typeof Listr>[1]);
    running = listr.run().catch(() => undefined);
  };

  const end = (report: RunReport | undefined, why: string): void => {
    fleet.finishAll(report, why);
    view?.end();
  };

  const listener = (event: RunEvent): void => {
    if (event.type === 'run-start') start(event.hosts);
    else if (event.type === 'interrupted') interrupted = true;
    else if (event.type === 'run-end') end(event.report, interrupted ? 'interrupted' : 'not run');
    else {
      const h = fleet.apply(event);
      if (h) view?.changed(h);
    }
  };

  return {
    listener: (event) => {
      try {
        listener(event);
      } catch {
        // A progress display must never break the run.
      }
    },
    async done() {
      end(undefined, interrupted ? 'interrupted' : 'not finished');
      await running;
    },
  };
}

interface View {
  tasks: Array<ReturnType<typeof rowTask>>;
  changed(h: HostState): void;
  end(): void;
}

/** One row per host. */
function createRowsView(fleet: FleetState): View {
  const width = labelWidth(fleet.hosts.values());
  const rows = new Map<HostState, Row>();
  for (const h of fleet.hosts.values()) rows.set(h, newRow(fleet.line(h, width)));
  const changed = (h: HostState): void => {
    const row = rows.get(h);
    if (!row || row.final) return;
    show(row, fleet.line(h, width));
    if (h.final) {
      row.final = { failed: h.final.kind === 'failed', skipped: h.final.kind === 'skipped', word: h.final.word };
      row.finish();
    }
  };
  return {
    tasks: [...rows.values()].map(rowTask),
    changed,
    end: () => { for (const h of rows.keys()) changed(h); },
  };
}

/** A summary row and `budget - 1` rows for the hosts most worth seeing, redrawn at most every 100 ms. */
function createCompactView(fleet: FleetState, budget: number): View {
  const head = newRow(fleet.fleetLine());
  const slots = Array.from({ length: budget - 1 }, () => newRow(''));
  let timer: NodeJS.Timeout | undefined;
  const redraw = (): void => {
    timer = undefined;
    const picked = fleet.pick(slots.length);
    const width = labelWidth(picked);
    show(head, fleet.fleetLine());
    // An empty title draws no line at all.
    slots.forEach((slot, i) => show(slot, picked[i] ? fleet.line(picked[i], width) : ''));
  };
  return {
    tasks: [head, ...slots].map(rowTask),
    changed: () => { timer ??= setTimeout(redraw, 100).unref(); },
    end: () => {
      if (head.final) return;
      if (timer) clearTimeout(timer);
      redraw();
      const picked = fleet.pick(slots.length);
      slots.forEach((slot, i) => {
        const h = picked[i];
        slot.final = { failed: h?.final?.kind === 'failed', skipped: h?.final?.kind === 'skipped', word: h?.final?.word ?? '' };
        slot.finish();
      });
      head.final = { failed: false, skipped: false, word: 'done' };
      head.finish();
    },
  };
}

/**
 * Between two frames of the live view. listr2 redraws every 100 ms, and a frame of 40 rows costs
 * ~25 ms (log-update wraps every line with wrap-ansi, which measures each word): a quarter of a core
 * for a spinner (300 harness hosts: 3.3 of 8.2 s of CPU). Four frames a second still show every change.
 */
export const FRAME_MS = 250;

class FrameSpinner extends Spinner {
  override start(cb?: () => void): void {
    super.start(cb, FRAME_MS);
  }
}

function rendererOptions(opts: LiveReporterOptions): Record<string, unknown> {
  const logger = new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(opts.out, opts.out) });
  const plain = (map: Record<string, unknown>): Record<string, (s: string) => string> =>
    Object.fromEntries(Object.keys(map).map((k) => [k, (s: string) => s]));
  return {
    logger,
    spinner: new FrameSpinner(),
    formatOutput: 'truncate',
    showErrorMessage: false, // the row's title already says what happened
    collapseSkips: true,
    ...(opts.color ? {} : { color: { ...plain(LISTR_DEFAULT_RENDERER_STYLE.color ?? {}), ...plain(LISTR_LOGGER_STYLE.color ?? {}) } }),
  };
}
