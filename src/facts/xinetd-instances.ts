/**
 * xinetd's per-connection instances of a service, for xinetd_sessions: the service's server program
 * (tcpd's first server_args word under TCP wrappers) with its inode and change time, and xinetd's
 * children with their start time and executable. With `all`, first the services that have a server.
 */
import { SERVICE_NAME_RE } from '../model/names.js';
import type { Probe } from './probe.js';
import { fieldsOf, parseRecords, PROC_SH, recordValue } from './script.js';

/** The value of `service` that selects every xinetd service. */
export const ALL_XINETD_SERVICES = 'all';

/**
 * $1 service. Records: server PATH, server_args ARGS, server_ino N, server_ctime EPOCH, btime EPOCH,
 * hz N, xinetd PID, child PID START_TICKS EXE_INO EXE CMDLINE.
 */
export const XINETD_SCAN_SH = String.raw`
_conf=$(cat /etc/xinetd.conf /etc/xinetd.d/* 2>/dev/null | SVC=$1 awk '
  BEGIN { s = ENVIRON["SVC"] }
  $1 == "service" && $2 == s { inb = 1; found = 1; next }
  inb && /^[ \t]*}/ { inb = 0; next }
  inb && /^[ \t]*server[ \t]*=/ { v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v); server = v }
  inb && /^[ \t]*server_args[ \t]*=/ { v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v); args = v }
  END {
    if (!found) exit
    eff = server
    if (server ~ /\/tcpd$/ && args != "") { split(args, w, /[ \t]+/); eff = w[1] }
    printf "server\t%s\nserver_args\t%s\neffective\t%s\n", server, args, eff
  }')
printf '%s\n' "$_conf"
server=${'$'}{_conf##*effective	}
case "$_conf" in *effective*) ;; *) server= ;; esac
case "$server" in /*)
  printf 'server_ino\t%s\n' "$(stat -L -c %i "$server" 2>/dev/null)"
  printf 'server_ctime\t%s\n' "$(stat -L -c %Z "$server" 2>/dev/null)" ;;
esac
while read -r _k _v _rest; do [ "$_k" = btime ] && printf 'btime\t%s\n' "$_v" && break; done < /proc/stat
printf 'hz\t%s\n' "$(getconf CLK_TCK 2>/dev/null || echo 100)"
printf 'now\t%s\n' "$(date +%s)"
xpids=
for _d in /proc/[0-9]*; do
  read -r _c 2>/dev/null < "$_d/comm" || continue
  [ "$_c" = xinetd ] && { xpids="$xpids ${'$'}{_d#/proc/} "; printf 'xinetd\t%s\n' "${'$'}{_d#/proc/}"; }
done
[ -n "$xpids" ] || return 0
for _d in /proc/[0-9]*; do
  _p=${'$'}{_d#/proc/}
  proc_info "$_p" || continue
  case "$xpids" in *" $pppid "*) ;; *) continue ;; esac
  [ "$pstate" = Z ] && continue
  _exe=$(readlink "$_d/exe" 2>/dev/null)
  _ino=$(stat -L -c %i "$_d/exe" 2>/dev/null)
  _cmd=$(tr '\000\t\n' '   ' 2>/dev/null < "$_d/cmdline")
  printf 'child\t%s\t%s\t%s\t%s\t%s\n' "$_p" "$pstart" "$_ino" "$_exe" "$_cmd"
done
`;

export interface XinetdChild {
  pid: number;
  start: number;
  exeIno?: number;
  exe: string;
  command: string;
}

export interface XinetdScan {
  server?: string;
  serverArgs?: string;
  serverIno?: number;
  serverCtime?: number;
  btime: number;
  hz: number;
  now: number;
  xinetd: number[];
  children: XinetdChild[];
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Pure parser of the scan script's output. */
export function parseXinetdScan(stdout: string): XinetdScan {
  const recs = parseRecords(stdout);
  const scan: XinetdScan = {
    btime: num(recordValue(recs, 'btime')) ?? 0,
    hz: num(recordValue(recs, 'hz')) ?? 100,
    now: num(recordValue(recs, 'now')) ?? 0,
    xinetd: recs.filter((r) => r.kind === 'xinetd').map((r) => Number(r.fields[0])),
    children: [],
  };
  const server = recordValue(recs, 'server');
  if (server !== undefined) {
    scan.server = server;
    const args = recordValue(recs, 'server_args') ?? '';
    scan.serverArgs = args;
    // tcp wrappers: the real daemon is the first word of server_args (the script's `effective`).
    const effective = recordValue(recs, 'effective');
    if (effective) scan.server = effective;
  }
  const ino = num(recordValue(recs, 'server_ino'));
  if (ino !== undefined) scan.serverIno = ino;
  const ctime = num(recordValue(recs, 'server_ctime'));
  if (ctime !== undefined) scan.serverCtime = ctime;
  for (const r of recs.filter((x) => x.kind === 'child')) {
    const [pid, start, exeIno, exe, command] = fieldsOf(r, 5);
    const child: XinetdChild = { pid: Number(pid), start: Number(start), exe: exe ?? '', command: (command ?? '').trim() };
    const n = num(exeIno);
    if (n !== undefined) child.exeIno = n;
    scan.children.push(child);
  }
  return scan;
}

/** Records: `service NAME` for each service block whose `server` is a program path (internal services have none). */
export const XINETD_LIST_SH = String.raw`
cat /etc/xinetd.conf /etc/xinetd.d/* 2>/dev/null | awk '
  $1 == "service" && NF >= 2 { name = $2; inb = 1; next }
  inb && /^[ \t]*}/ { inb = 0; next }
  inb && /^[ \t]*server[ \t]*=[ \t]*\// { if (!(name in seen)) { seen[name] = 1; printf "service\t%s\n", name } }
'
return 0
`;

/** Pure parser of XINETD_LIST_SH output: service names, in file order, without duplicates or unsafe names. */
export function parseXinetdServiceList(stdout: string): string[] {
  const names = parseRecords(stdout).filter((r) => r.kind === 'service').map((r) => r.fields[0] ?? '');
  return [...new Set(names)].filter((n) => SERVICE_NAME_RE.test(n));
}

export const xinetdInstancesProbe: Probe<string, XinetdScan> = {
  name: 'xinetd_sessions',
  script: `${PROC_SH}\n${XINETD_SCAN_SH}`,
  args: (service) => [service],
  parse: parseXinetdScan,
};

export const xinetdServicesProbe: Probe<void, string[]> = {
  name: 'xinetd_sessions all',
  script: XINETD_LIST_SH,
  args: () => [],
  parse: parseXinetdServiceList,
};
