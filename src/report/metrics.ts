import type { HostReport, ProcessOwner, RunReport } from '../model/results.js';
import { countHosts, hostProblem, missingShards, rebootState, runDurationMs, runTitle, staleByOwnerKind } from './host-outcome.js';

/** Every owner kind a stale process can have (schemas/report.schema.json), so each host has them all. */
const OWNER_KINDS: ReadonlyArray<ProcessOwner['kind']> = ['systemd-unit', 'init-script', 'xinetd', 'session', 'user', 'container', 'kernel', 'unknown'];
const HOST_STATUSES = ['ok', 'changed', 'failed', 'unreachable', 'skipped', 'locked', 'not-reached'] as const;
const COUNT_KEY = { ok: 'ok', changed: 'changed', failed: 'failed', unreachable: 'unreachable', skipped: 'skipped', locked: 'locked', 'not-reached': 'notReached' } as const;

interface Family { name: string; help: string; samples: string[] }

/**
 * The Prometheus text exposition format (version 0.0.4) of a run, for node_exporter's textfile
 * collector (write it with --metrics into the collector's directory; remedy writes it atomically,
 * through a temporary file that does not end in .prom). Every series carries playbooks="…" (the
 * run's playbook file names) so that the files of a scheduled `remedy check` and of a `remedy run`
 * can sit side by side. All gauges:
 *   remedy_last_run_timestamp_seconds, remedy_last_run_duration_seconds, remedy_last_run_success,
 *   remedy_last_run_check_mode, remedy_last_run_interrupted, remedy_last_run_stopped{reason} (only when
 *   the run stopped before every host was reached), remedy_hosts{status},
 *   per host: remedy_host_unreachable, remedy_host_failed, remedy_host_reboot_lost, remedy_host_locked,
 *   remedy_host_not_reached{reason} (only for hosts not reached),
 *   remedy_host_reboot_required (not for hosts never checked: unreachable, locked, not reached), remedy_host_reboot_reason{kind},
 *   remedy_host_stale_processes{owner_kind} (every owner kind, 0 included, for hosts that were checked).
 * Label values are escaped as the format requires (backslash, double quote, line feed).
 */
export function renderMetrics(report: RunReport): string {
  const base = `playbooks="${escapeLabel(runTitle(report))}"`;
  const c = countHosts(report);
  const finished = Date.parse(report.finishedAt) / 1000;
  const duration = runDurationMs(report) / 1000;
  const left = c.locked > 0 || c.notReached > 0 || missingShards(report).length > 0;
  const success = !report.interrupted && c.failed === 0 && c.unreachable === 0 && !left;
  const families: Family[] = [
    family('remedy_last_run_timestamp_seconds', 'When the last remedy run finished, in seconds since the epoch.', [`{${base}} ${num(finished)}`]),
    family('remedy_last_run_duration_seconds', 'How long the last remedy run took.', [`{${base}} ${num(duration)}`]),
    family('remedy_last_run_success', '1 when the last run was not interrupted, no host failed or was unreachable and every host was reached, else 0.', [`{${base}} ${success ? 1 : 0}`]),
    family('remedy_last_run_check_mode', '1 when the last run was in check mode (nothing changed on the hosts).', [`{${base}} ${report.check ? 1 : 0}`]),
    family('remedy_last_run_interrupted', '1 when the last run was interrupted (results are partial).', [`{${base}} ${report.interrupted ? 1 : 0}`]),
    family('remedy_last_run_stopped', '1 when the last run stopped before every host was reached, by reason (deadline, max-fail, batch-failed, interrupted).',
      report.stopped ? [`{${base},reason="${escapeLabel(report.stopped.reason)}"} 1`] : []),
    family('remedy_hosts', 'Hosts of the last run by status.', HOST_STATUSES.map((s) => `{${base},status="${s}"} ${c[COUNT_KEY[s]]}`)),
  ];
  const perHost = (name: string, help: string, sample: (h: HostReport, labels: string) => string[]): void => {
    families.push(family(name, help, report.hosts.flatMap((h) => sample(h, `${base},host="${escapeLabel(h.name)}"`))));
  };
  perHost('remedy_host_unreachable', '1 when the host could not be reached in the last run.', (h, l) => [`{${l}} ${h.status === 'unreachable' ? 1 : 0}`]);
  perHost('remedy_host_failed', '1 when a step failed on the host in the last run (a reboot that never came back included).', (h, l) => [`{${l}} ${h.status === 'failed' ? 1 : 0}`]);
  perHost('remedy_host_reboot_lost', '1 when the host was rebooted and did not come back in the last run.', (h, l) => [`{${l}} ${hostProblem(h)?.kind === 'lost-in-reboot' ? 1 : 0}`]);
  perHost('remedy_host_locked', '1 when another run held the host\'s lock, so the last run left it alone.', (h, l) => [`{${l}} ${h.status === 'locked' ? 1 : 0}`]);
  perHost('remedy_host_not_reached', '1 when the last run stopped before it reached the host, by reason.',
    (h, l) => (h.status === 'not-reached' ? [`{${l},reason="${escapeLabel(h.notReached?.reason ?? 'stopped')}"} 1`] : []));
  perHost('remedy_host_reboot_required', '1 when the host still needs a reboot (kernel, core libraries), 0 when not; absent for hosts never checked.',
    (h, l) => (rebootState(h) === 'unknown' ? [] : [`{${l}} ${h.rebootRequired ? 1 : 0}`]));
  perHost('remedy_host_reboot_reason', '1 for each kind of reason behind the host\'s reboot verdict (kernel-pending, core-package, reboot-flag, never-restart; kernel-livepatched: a newer kernel that can wait, also when no reboot is required).',
    (h, l) => [...new Set(h.rebootReasons.map((r) => r.kind))].map((kind) => `{${l},kind="${escapeLabel(kind)}"} 1`));
  perHost('remedy_host_stale_processes', 'Processes still running replaced code after the last run, by owner kind; absent for hosts never checked.', (h, l) => {
    if (rebootState(h) === 'unknown') return [];
    const counts = staleByOwnerKind(h.stale);
    const kinds = [...OWNER_KINDS, ...[...counts.keys()].filter((k) => !OWNER_KINDS.includes(k as ProcessOwner['kind']))];
    return kinds.map((kind) => `{${l},owner_kind="${escapeLabel(kind)}"} ${counts.get(kind) ?? 0}`);
  });
  return families.filter((f) => f.samples.length > 0).map(formatFamily).join('');
}

function family(name: string, help: string, samples: string[]): Family {
  return { name, help, samples };
}

function formatFamily(f: Family): string {
  const lines = [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} gauge`, ...f.samples.map((s) => `${f.name}${s}`)];
  return `${lines.join('\n')}\n`;
}

/** A label value as the text format requires: \ → \\, " → \", line feed → \n. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function num(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  return Number.isFinite(n) ? String(Math.round(n * 1000) / 1000) : n > 0 ? '+Inf' : '-Inf';
}
