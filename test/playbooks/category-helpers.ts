/**
 * Helpers for the playbook end-to-end suites: run the real CLI against a lab and read its JSON report,
 * and look at lab hosts with independent tools (ps, /proc, stat), never through remedy.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab, LabHost } from '../lab/index.js';
import type { HostReport, RunReport } from '../../src/model/results.js';
import { remedy, repoRoot, type CliResult } from '../cli/run-cli.js';

export interface PlaybookRun extends CliResult {
  report: RunReport;
  host(name: string): HostReport;
}

const scratch = mkdtempSync(join(tmpdir(), 'remedy-playbooks-'));
let runs = 0;

/** `remedy run playbooks/FILE -i LAB --json F --no-progress ARGS…` (or `remedy check` when file is 'check'). */
export async function runPlaybook(lab: Lab, file: string, args: string[] = []): Promise<PlaybookRun> {
  runs += 1;
  const json = join(scratch, `report-${runs}.json`);
  const head = file === 'check' ? ['check'] : ['run', join(repoRoot, 'playbooks', file)];
  const r = await remedy([...head, '-i', lab.inventoryFile, '--json', json, '--no-progress', ...args]);
  let report: RunReport;
  try {
    report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
  } catch {
    assert.fail(`no JSON report from remedy ${[...head, ...args].join(' ')} (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return {
    ...r,
    report,
    host(name: string): HostReport {
      const h = report.hosts.find((x) => x.name === name);
      assert.ok(h, `no host ${name} in the report`);
      return h;
    },
  };
}

/** Runs a script on the host with the real ssh client; asserts exit 0; trimmed stdout. */
export async function onHost(lab: Lab, h: LabHost, script: string): Promise<string> {
  const r = await lab.exec(h, script);
  assert.equal(r.code, 0, `on ${h.name}: ${script}\n${r.stderr}`);
  return r.stdout.trim();
}

/** Whether `ps` on the host lists the pid (and it is not a zombie). */
export async function psHas(lab: Lab, h: LabHost, pid: number): Promise<boolean> {
  const stat = await onHost(lab, h, `ps -o stat= -p ${pid} || true`);
  return stat !== '' && !stat.startsWith('Z');
}

/** Starts the user application (already upgraded library) as remedy-user: a current, not stale, instance. */
export async function startCurrentApplication(lab: Lab, h: LabHost): Promise<number> {
  const pid = Number(await onHost(lab, h,
    'nohup setpriv --reuid=1500 --regid=1500 --clear-groups /usr/local/bin/remedy-lab-app </dev/null >/dev/null 2>&1 & echo $!'));
  await onHost(lab, h, `for i in $(seq 50); do grep -q libremedy-app /proc/${pid}/maps 2>/dev/null && exit 0; sleep 0.1; done; exit 1`);
  return pid;
}

/** The text `remedy check` printed for one host (its block after the table). */
export function hostSection(stdout: string, name: string): string {
  const start = stdout.indexOf(`\n${name}:\n`);
  assert.ok(start >= 0, `no section for ${name} in:\n${stdout}`);
  const rest = stdout.slice(start + 1);
  const end = rest.indexOf('\n\n');
  return end < 0 ? rest : rest.slice(0, end);
}

/** The lines of a section under one title ("  services to restart (systemd):"), without their indent. */
export function linesUnder(section: string, title: string): string[] {
  const lines = section.split('\n');
  const i = lines.indexOf(`  ${title}:`);
  if (i < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(i + 1)) {
    if (!l.startsWith('    ')) break;
    out.push(l.trim());
  }
  return out;
}
