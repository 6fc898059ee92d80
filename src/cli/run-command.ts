import { loadPlaybook } from '../config/load-playbook.js';
import { runPlaybooks } from '../engine/index.js';
import { loadInventory, parseInventoryText } from '../inventory/index.js';
import type { Inventory } from '../model/inventory.js';
import type { EventListener } from '../model/events.js';
import type { RunReport } from '../model/results.js';
import { UsageError } from '../model/errors.js';
import { colorEnabled, createPlainReporter, detectCi, renderSummaryTable } from '../report/index.js';
import { exitCodeFor } from './exit-code.js';
import { createTransportFactory } from '../transport/index.js';
import { createRedactor, type Redactor } from '../report/redact.js';
import type { Playbook, Vars } from '../model/playbook.js';
import { knownSecrets, promptRemembering } from './secrets.js';
import { DEFAULT_INVENTORY, DEFAULT_INVENTORY_NAME } from './defaults.js';
import { EXIT } from './exit.js';
import { parseExtraVars } from './extra-vars.js';
import { applyPlaybookVars } from './playbook-vars.js';
import { handleInterrupts } from './interrupt.js';
import { appendStepSummary, checkOutputs, stdoutTaken, writeOutputs, type OutputFlags } from './report-outputs.js';
import { parseDeadline, parseLockWait, parseMaxFail, parseShard } from './window-flags.js';

export interface RunFlags extends OutputFlags {
  inventory?: string;
  limit?: string;
  forks?: string;
  check?: boolean;
  tags?: string;
  skipTags?: string;
  extraVars?: string[];
  progress?: boolean;
  verbose?: boolean;
  failOnReboot?: boolean;
  deadline?: string;
  maxFail?: string;
  shard?: string;
  lockWait?: string;
}

export interface RunCommandOptions {
  /** `remedy check`: read-only, so no host lock is taken. */
  readOnly?: boolean;
  /** Printed after the final table (check: the details of what still runs old code). */
  afterTable?: (r: RunReport) => string;
}

function list(value?: string): string[] {
  return value ? value.split(',').map((t) => t.trim()).filter(Boolean) : [];
}

function parseForks(value?: string): number {
  if (value === undefined) return 20;
  const n = /^\s*[0-9]+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--forks: expected a whole number of at least 1, got '${value}'`);
  return n;
}

export async function loadInventoryOrDefault(file?: string): Promise<Inventory> {
  return file ? loadInventory(file) : parseInventoryText(DEFAULT_INVENTORY_NAME, DEFAULT_INVENTORY);
}

/**
 * `remedy run`: load, run with live or plain progress (folded for CI logs), print the table, write the
 * reports asked for (--json, --junit, --markdown, --html, --metrics; also after an interruption) and the
 * GitHub step summary. A report that cannot be written is said on stderr and makes the exit code 5.
 */
export async function runCommand(playbookFiles: string[], flags: RunFlags, opts: RunCommandOptions = {}): Promise<number> {
  const { afterTable } = opts;
  const forks = parseForks(flags.forks);
  const maxFail = flags.maxFail !== undefined ? parseMaxFail(flags.maxFail) : undefined;
  const shard = flags.shard !== undefined ? parseShard(flags.shard) : undefined;
  // A run that may change hosts takes each host's lock (engine/host-lock.ts); check mode does not.
  const hostLock = opts.readOnly || flags.check ? undefined : { waitSeconds: parseLockWait(flags.lockWait ?? '0') };
  // From the start of the command: a duration counts from now, before the inventory is read.
  const deadline = flags.deadline !== undefined ? parseDeadline(flags.deadline, new Date()) : undefined;
  const extraVars = parseExtraVars(flags.extraVars ?? []);
  const { redactor, inventory, playbooks } = await loadRun(playbookFiles, flags.inventory, extraVars);
  try {
    await checkOutputs(flags);
    // With a report on stdout (--json -) it owns stdout; progress and the table go to stderr.
    const out = stdoutTaken(flags) ? process.stderr : process.stdout;
    const color = colorEnabled(out);
    // listr2 loads only for a live view: a --no-progress or piped run never pays for it.
    const live = flags.progress !== false && out.isTTY ? (await import('../report/live-reporter.js')).createLiveReporter({ out, color }) : undefined;
    const reporter: EventListener = live ? live.listener : createPlainReporter(out, { color, verbose: flags.verbose, ci: detectCi() });
    const listener: EventListener = (event) => reporter(redactor.redact(event));
    const transportFor = createTransportFactory({
      onWarning: (host, message) => listener({ type: 'warning', message, host }),
      promptPassphrase: promptRemembering(redactor),
    });
    const failOnReboot = flags.failOnReboot ?? false;
    let problems: string[] = [];
    const signals = handleInterrupts(process.stderr);
    let report: RunReport;
    try {
      report = redactor.redact(await runPlaybooks({
        playbooks, inventory, limit: flags.limit, forks, check: flags.check,
        tags: list(flags.tags), skipTags: list(flags.skipTags), extraVars,
        stop: signals.stop, kill: signals.kill, transportFor, deadline, maxFail, shard, hostLock,
      }, listener));
      await live?.done();
      problems = await writeOutputs(report, flags, { failOnReboot });
      const summary = await appendStepSummary(report);
      out.write(`\n${renderSummaryTable(report, { color })}\n`);
      if (afterTable) out.write(afterTable(report));
      if (summary) process.stderr.write(`remedy: warning: ${redactor.redactText(summary)}\n`);
      for (const p of problems) process.stderr.write(`remedy: ${redactor.redactText(p)}\n`);
    } finally {
      signals.dispose();
      await live?.done();
    }
    return problems.length > 0 ? EXIT.usage : exitCodeFor(report, { failOnReboot });
  } catch (err) {
    throw redactError(err, redactor);
  }
}

function redactError(err: unknown, redactor: Redactor): unknown {
  if (err instanceof Error) {
    err.message = redactor.redactText(err.message);
    if (err.stack) err.stack = redactor.redactText(err.stack);
  }
  return err;
}

/**
 * The run's inventory (with the group_vars/host_vars beside the playbooks) and playbooks, and the
 * redactor that masks every secret they hold. Kept apart so that the inventory as first read, which
 * a long run has no more use for, is not held by the run's frame.
 */
async function loadRun(playbookFiles: string[], inventoryFile: string | undefined, extraVars: Vars): Promise<{ redactor: Redactor; inventory: Inventory; playbooks: Playbook[] }> {
  const loaded = await loadInventoryOrDefault(inventoryFile);
  // Every output goes through the redactor: secrets are masked even when a host echoes them.
  const redactor = createRedactor(knownSecrets(loaded, extraVars));
  try {
    const { inventory, playbooks, secrets } = await applyPlaybookVars(loaded, await Promise.all(playbookFiles.map((f) => loadPlaybook(f))));
    for (const s of secrets) redactor.add(s);
    return { redactor, inventory, playbooks };
  } catch (err) {
    throw redactError(err, redactor);
  }
}
