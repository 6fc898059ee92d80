import { loadPlaybook } from '../config/load-playbook.js';
import { runPlaybooks } from '../engine/index.js';
import { loadInventory, parseInventoryText } from '../inventory/index.js';
import type { Inventory } from '../model/inventory.js';
import type { EventListener } from '../model/events.js';
import type { RunReport } from '../model/results.js';
import { UsageError } from '../model/errors.js';
import { colorEnabled, createLiveReporter, createPlainReporter, renderSummaryTable, writeJsonReport } from '../report/index.js';
import { exitCodeFor } from './exit-code.js';
import { createTransportFactory } from '../transport/index.js';
import { createRedactor } from '../report/redact.js';
import { knownSecrets, promptRemembering } from './secrets.js';
import { DEFAULT_INVENTORY, DEFAULT_INVENTORY_NAME } from './defaults.js';
import { EXIT } from './exit.js';
import { parseExtraVars } from './extra-vars.js';
import { handleInterrupts } from './interrupt.js';

export interface RunFlags {
  inventory?: string;
  limit?: string;
  forks?: string;
  check?: boolean;
  tags?: string;
  skipTags?: string;
  extraVars?: string[];
  json?: string;
  progress?: boolean;
  verbose?: boolean;
  failOnReboot?: boolean;
}

function list(value?: string): string[] {
  return value ? value.split(',').map((t) => t.trim()).filter(Boolean) : [];
}

function parseForks(value?: string): number {
  if (value === undefined) return 20;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--forks: expected a whole number of at least 1, got '${value}'`);
  return n;
}

export async function loadInventoryOrDefault(file?: string): Promise<Inventory> {
  return file ? loadInventory(file) : parseInventoryText(DEFAULT_INVENTORY_NAME, DEFAULT_INVENTORY);
}

/** `remedy run`: load, run with live or plain progress, print the table, write the JSON report. */
export async function runCommand(playbookFiles: string[], flags: RunFlags, afterTable?: (r: RunReport) => string): Promise<number> {
  const forks = parseForks(flags.forks);
  const extraVars = parseExtraVars(flags.extraVars ?? []);
  const inventory = await loadInventoryOrDefault(flags.inventory);
  // Every output below goes through the redactor: secrets are masked even when a host echoes them.
  const redactor = createRedactor(knownSecrets(inventory, extraVars));
  try {
    const playbooks = await Promise.all(playbookFiles.map((f) => loadPlaybook(f)));
    // With --json - the report owns stdout; progress and the table go to stderr.
    const out = flags.json === '-' ? process.stderr : process.stdout;
    const color = colorEnabled(out);
    const live = flags.progress !== false && out.isTTY ? createLiveReporter({ out, color }) : undefined;
    const reporter: EventListener = live ? live.listener : createPlainReporter(out, { color, verbose: flags.verbose });
    const listener: EventListener = (event) => reporter(redactor.redact(event));
    const transportFor = createTransportFactory({
      onWarning: (host, message) => listener({ type: 'warning', message, host }),
      promptPassphrase: promptRemembering(redactor),
    });
    const signals = handleInterrupts(process.stderr);
    let report: RunReport;
    try {
      report = redactor.redact(await runPlaybooks({
        playbooks, inventory, limit: flags.limit, forks, check: flags.check,
        tags: list(flags.tags), skipTags: list(flags.skipTags), extraVars,
        stop: signals.stop, kill: signals.kill, transportFor,
      }, listener));
      await live?.done();
      if (flags.json) await writeJsonReport(flags.json, report);
      out.write(`\n${renderSummaryTable(report, { color })}\n`);
      if (afterTable) out.write(afterTable(report));
    } finally {
      signals.dispose();
      await live?.done();
    }
    return exitCodeFor(report, { failOnReboot: flags.failOnReboot ?? false });
  } catch (err) {
    if (err instanceof Error) {
      err.message = redactor.redactText(err.message);
      if (err.stack) err.stack = redactor.redactText(err.stack);
    }
    throw err;
  }
}
