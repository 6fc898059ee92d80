#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { EXIT, exitForError } from './exit.js';
import { surviveBrokenOutput } from './broken-output.js';
import { limitHeapGrowth } from './heap-growth.js';
// Each command loads its own modules when it runs (a `validate` never loads ssh2, listr2 or the renderers).
import type { RunFlags } from './run-command.js';
import type { InventoryFlags } from './inventory-command.js';
import type { ReportFlags } from './report-command.js';
import type { MergeFlags } from './report-merge-command.js';
import { REPORT_FORMATS } from '../report/formats.js';
import { playbooksDir } from './defaults.js';

const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function runOptions(cmd: Command): Command {
  return cmd
    .option('-i, --inventory <path>', 'inventory: an Ansible YAML or INI file, or a directory of them; default: localhost over a local connection')
    .option('-l, --limit <pattern>', 'only hosts matching this pattern (intersected with each play\'s hosts)')
    .option('-f, --forks <n>', 'hosts running a step at the same time', '20')
    .option('--json <file>', 'write the JSON report (schemas/report.schema.json) to this file; - for stdout')
    .option('--junit <file>', 'write a JUnit XML report (one test case per host) to this file; - for stdout')
    .option('--markdown <file>', 'write a Markdown summary to this file (also appended to $GITHUB_STEP_SUMMARY when set); - for stdout')
    .option('--html <file>', 'write a self-contained HTML report to this file; - for stdout')
    .option('--metrics <file>', 'write Prometheus metrics (node_exporter textfile collector) to this file; - for stdout')
    .option('--no-progress', 'plain one-line-per-event output even on a terminal')
    .option('-v, --verbose', 'print every step\'s output')
    .option('--fail-on-reboot', 'exit 3 when a host still needs a reboot (and make it a failing case in --junit)')
    .option('--deadline <time>', 'no batch starts after this time: ISO 8601 (2025-06-03T06:00Z) or a duration from now (90m, 2h, 45s); running steps finish, the rest is reported not reached (exit 6)')
    .option('--max-fail <n|p%>', 'stop starting batches once more than N hosts (or P% of the run\'s hosts) failed or were unreachable, over all batches and plays (exit 6)')
    .option('--shard <i/n>', 'only the hosts of shard I of N (by a hash of the host name); merge the reports with `remedy report merge`');
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('remedy')
    .description('Apply the changes after security errata: restart what still runs old code, report what needs a reboot.')
    .version(pkg.version)
    .showHelpAfterError()
    // Options belong to the command they follow: `report merge … --fail-on-reboot` is merge's, not report's.
    .enablePositionalOptions()
    .exitOverride();
  runOptions(program.command('run').description('run playbooks against an inventory').argument('<playbook...>'))
    .option('-C, --check', 'check mode: change nothing, show what would be done')
    .option('-t, --tags <tags>', 'only tasks with these tags (comma separated)')
    .option('--skip-tags <tags>', 'skip tasks with these tags')
    .option('-e, --extra-vars <vars>', 'KEY=VALUE, a JSON mapping or @FILE (repeatable)', collect)
    .option('--lock-wait <duration>', 'wait this long (30s, 5m) for a host locked by another run before leaving it alone', '0')
    .action(async (files: string[], flags: RunFlags) => setExit(await (await import('./run-command.js')).runCommand(files, flags)));
  runOptions(program.command('check').description('read-only scan: what still runs old code, and which hosts need a reboot'))
    .action(async (flags: RunFlags) => {
      const [{ runCommand }, { checkDetails }] = await Promise.all([import('./run-command.js'), import('../report/check-details.js')]);
      setExit(await runCommand([join(playbooksDir, 'check.yml')], flags, { readOnly: true, afterTable: checkDetails }));
    });
  const report = program.command('report').description('render a saved JSON report (--json) as a table, JUnit, Markdown, HTML or metrics; `report merge` merges shards')
    .argument('<file>')
    .addOption(new Option('--format <format>', 'output format').choices([...REPORT_FORMATS]).default('table'))
    .option('-o, --output <file>', 'write to this file (atomically); - for stdout', '-')
    .option('--fail-on-reboot', 'JUnit: a host that still needs a reboot is a failing test case')
    .enablePositionalOptions()
    .action(async (file: string, flags: ReportFlags) => setExit(await (await import('./report-command.js')).reportCommand(file, flags)));
  report.command('merge').description('merge the JSON reports of the shards of one run (--shard I/N) into one; exit code of the whole').argument('<file...>')
    .option('--json <file>', 'write the merged JSON report to this file; - for stdout')
    .option('--junit <file>', 'write a JUnit XML report to this file; - for stdout')
    .option('--markdown <file>', 'write a Markdown summary to this file (also appended to $GITHUB_STEP_SUMMARY when set); - for stdout')
    .option('--html <file>', 'write a self-contained HTML report to this file; - for stdout')
    .option('--metrics <file>', 'write Prometheus metrics to this file; - for stdout')
    .option('--fail-on-reboot', 'exit 3 when a host still needs a reboot (and make it a failing case in --junit)')
    .action(async (files: string[], flags: MergeFlags) => setExit(await (await import('./report-merge-command.js')).reportMergeCommand(files, flags)));
  program.command('validate').description('check playbooks and inventories; every problem at once').argument('<file...>')
    .action(async (files: string[]) => setExit(await (await import('./validate-command.js')).validateCommand(files)));
  program.command('doc').description("the steps a playbook may use; with STEP, its arguments, types, defaults and an example").argument('[step]')
    .action(async (step?: string) => setExit((await import('./doc-command.js')).docCommand(step)));
  program.command('inventory').description('show the hosts an inventory and pattern select')
    .requiredOption('-i, --inventory <path>', 'inventory file (YAML or INI) or directory')
    .option('-l, --limit <pattern>', 'host pattern', 'all')
    .addOption(new Option('--list', 'JSON, like ansible-inventory --list').conflicts(['graph', 'host']))
    .addOption(new Option('--graph', 'groups and hosts as a tree').conflicts('host'))
    .option('--host <name>', "one host's variables as JSON, like ansible-inventory --host")
    .option('--playbook-dir <dir>', "also apply the group_vars/ and host_vars/ of this playbook directory")
    .action(async (flags: InventoryFlags) => setExit(await (await import('./inventory-command.js')).inventoryCommand(flags)));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => { code = c; });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return exitForError(err, process.stderr);
  }
}

surviveBrokenOutput();
limitHeapGrowth();
process.exitCode = await main(process.argv);
