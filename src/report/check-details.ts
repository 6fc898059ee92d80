import type { HostReport, RunReport, StaleProcess } from '../model/results.js';
import { sanitizeLine } from './text.js';

const OWNER_TITLES: Record<string, string> = {
  'systemd-unit': 'services to restart (systemd)',
  'init-script': 'services to restart (init scripts)',
  xinetd: 'xinetd sessions still running old code',
  session: 'login sessions still running old code',
  user: 'applications to restart',
  kernel: 'kernel threads',
  unknown: 'processes whose owner could not be read',
};

/** Groups stale processes by owner kind, then owner name, keeping pids and the first replaced file. */
function groupByOwner(stale: StaleProcess[]): Map<string, Map<string, StaleProcess[]>> {
  const byKind = new Map<string, Map<string, StaleProcess[]>>();
  for (const p of stale) {
    const kind = byKind.get(p.owner.kind) ?? new Map<string, StaleProcess[]>();
    byKind.set(p.owner.kind, kind);
    // Applications and login sessions are listed per user: "alice: editor", "alice: editor (session-3.scope)".
    const name = p.owner.kind === 'user' ? `${p.user}: ${p.command}`
      : p.owner.kind === 'session' ? `${p.user}: ${p.command} (${p.owner.name})` : p.owner.name;
    kind.set(name, [...(kind.get(name) ?? []), p]);
  }
  return byKind;
}

function hostDetails(host: HostReport): string[] {
  const lines = [`${host.name}:`];
  if (host.status === 'unreachable') return [...lines, sanitizeLine(`  unreachable (${host.unreachable?.kind}): ${host.unreachable?.message}`)];
  if (host.stale.length === 0) lines.push('  nothing runs old code');
  for (const [kind, owners] of groupByOwner(host.stale)) {
    lines.push(`  ${OWNER_TITLES[kind] ?? kind}:`);
    for (const [name, procs] of owners) {
      const files = [...new Set(procs.flatMap((p) => p.files))];
      const more = files.length > 2 ? ` and ${files.length - 2} more` : '';
      // Names and paths come from the host: cleaned of control characters before they reach a terminal.
    lines.push(sanitizeLine(`    ${name}  pids ${procs.map((p) => p.pid).join(',')}  (${files.slice(0, 2).join(', ')}${more})`));
    }
  }
  if (host.rebootRequired) lines.push('  reboot required:');
  else lines.push(host.rebootReasons.length > 0 ? '  no reboot needed now, it can wait:' : '  no reboot needed');
  for (const r of host.rebootReasons) lines.push(sanitizeLine(`    ${r.kind}: ${r.detail}`));
  return lines;
}

/** The text `remedy check` prints after the table: per host, what must be restarted and why it needs a reboot. */
export function checkDetails(report: RunReport): string {
  return `\n${report.hosts.map((h) => hostDetails(h).join('\n')).join('\n\n')}\n`;
}
