/**
 * The facts probe: one POSIX sh script, sent in one exec, that prints sectioned, machine-parseable
 * output about the host (os, kernel, packages, reboot flag, processes with their mapped files, init
 * scripts, pidfiles, xinetd). Needs only sh, /proc and tools guarded by `command -v`.
 *
 * Sections start with a line "@@name". In the "procs" section each line is tab separated:
 *   P pid ppid sid tty_nr starttime uid comm (kernel threads are skipped)   C pid <systemd cgroup path>
 *   F id dev inode path                  (a file-backed mapping, interned; dev as in maps: "fd:01")
 *   M pid id id id...                    (the distinct mappings of a process)
 *   X pid what reason                    (what could not be read)
 *   S st_dev st_ino path   or   I - st_ino path   (the file now at that path, decimal dev)
 * The "livepatch" section (parse-livepatch.ts) reads $REMEDY_SYS (/sys unless a test plants a stand-in)
 * and `canonical-livepatch status` when the tool is root-owned at /snap/bin; "interp" is
 * probe-interp.sh.ts. A dollar-brace in the script is written ${D}{…}, so it can live in a template literal, and a tab ${TAB}.
 */
import { INTERP_SH } from './probe-interp.sh.js';

/** Packages whose installation after boot means a reboot (dnf needs-restarting -r's list). */
export const RPM_CORE_PACKAGES = [
  'kernel', 'kernel-core', 'kernel-rt', 'kernel-rt-core', 'glibc', 'linux-firmware', 'systemd',
  'dbus', 'dbus-broker', 'dbus-daemon', 'microcode_ctl',
];
/** The Debian equivalents. */
export const DPKG_CORE_PACKAGES = [
  'libc6', 'systemd', 'dbus', 'dbus-daemon', 'dbus-broker', 'linux-firmware', 'firmware-linux',
  'firmware-linux-free', 'firmware-linux-nonfree', 'firmware-misc-nonfree', 'intel-microcode', 'amd64-microcode',
];
/** Kernel package names queried from rpm (besides the core list). */
export const RPM_KERNEL_PACKAGES = [
  'kernel', 'kernel-core', 'kernel-rt', 'kernel-rt-core', 'kernel-uek', 'kernel-uek-core', 'kernel-PAE',
  'kernel-default', 'kernel-lt', 'kernel-ml',
];

const D = '$';
const TAB = '\t';

export const PROBE_SCRIPT = String.raw`
LC_ALL=C; export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
have() { command -v "$1" >/dev/null 2>&1; }
sec() { printf '@@%s\n' "$1"; }

sec host
echo "probe 2"
echo "self $$"
# The effective uid from the shell's own status (no fork): "Uid: real effective saved fs".
while read -r k r e rest; do [ "$k" = Uid: ] && echo "uid $e" && break; done < /proc/$$/status
have getconf && echo "clk_tck $(getconf CLK_TCK 2>/dev/null)"
while read -r k v; do [ "$k" = btime ] && echo "btime $v"; done < /proc/stat
# One clock read for both (the precise one just before /proc/uptime; without %N it is not a number).
if have date; then t=$(date '+%s %s.%N' 2>/dev/null); echo "now ${D}{t%% *}"; echo "now_precise ${D}{t#* }"; fi
read -r up rest < /proc/uptime && echo "uptime $up"
read -r b < /proc/sys/kernel/random/boot_id && echo "boot_id $b"
# uname -r and -v without forking: the same strings.
read -r r < /proc/sys/kernel/osrelease && echo "uname_r $r"
read -r v < /proc/sys/kernel/version && echo "uname_v $v"
read -r c < /proc/1/comm && echo "pid1_comm $c"
[ -d /run/systemd/system ] && echo "systemd_running 1"
have rpm && echo "have rpm"
# The rpm database the host's own packages are in (not an empty /var/lib/rpm that Debian's rpm package leaves).
rpmdb=
for f in /var/lib/rpm/rpmdb.sqlite /var/lib/rpm/Packages /var/lib/rpm/Packages.db \
  /usr/lib/sysimage/rpm/rpmdb.sqlite /usr/lib/sysimage/rpm/Packages /usr/lib/sysimage/rpm/Packages.db; do
  [ -f "$f" ] && rpmdb=$f && echo "have rpmdb" && break
done
have dpkg-query && [ -f /var/lib/dpkg/status ] && echo "have dpkg"
have stat && echo "have stat"
have awk && echo "have awk"
have ls && echo "have ls"

sec os-release
cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null

sec rpm
if [ -n "$rpmdb" ] && have rpm; then
  rpm -q --qf '%{NAME}\t%|EPOCH?{%{EPOCH}}:{0}|:%{VERSION}-%{RELEASE}\t%{ARCH}\t%{INSTALLTIME}\n' \
    $REMEDY_RPM_PKGS 2>/dev/null
fi

sec dpkg
if have dpkg-query && [ -f /var/lib/dpkg/status ]; then
  out=$(dpkg-query -W -f='${D}{Package}\t${D}{Version}\t${D}{db:Status-Abbrev}\t${D}{db-fsys:Last-Modified}\n' \
    'linux-image-*' $REMEDY_DPKG_PKGS 2>/dev/null)
  [ -n "$out" ] && printf '%s\n' "$out"
  sec dpkg-lists
  # db-fsys:Last-Modified (dpkg 1.19.3 and later) is the mtime of the package's .list file: stat the
  # files (in one stat) only when an installed package came without it.
  need=
  while IFS= read -r l; do
    case "$l" in *"${TAB}"?[iUFWt]?"${TAB}") need=1 ;; esac
  done <<EOF
$out
EOF
  if [ -n "$need" ] && have stat; then
    set --
    for p in 'linux-image-*' $REMEDY_DPKG_PKGS; do
      for f in /var/lib/dpkg/info/$p.list /var/lib/dpkg/info/$p:*.list; do [ -f "$f" ] && set -- "$@" "$f"; done
    done
    [ $# -gt 0 ] && stat -c '%Y %n' -- "$@" 2>/dev/null
  fi
fi

sec boot
for f in /boot/vmlinuz-* /boot/vmlinux-* /boot/kernel-*; do
  [ -f "$f" ] || continue
  if have stat; then stat -c '%Y %n' "$f"; else echo "- $f"; fi
done

sec reboot-required
for f in /run/reboot-required /var/run/reboot-required; do
  if [ -f "$f" ]; then
    echo "flag $f"
    [ -r "$f.pkgs" ] && while read -r l; do echo "pkg $l"; done < "$f.pkgs"
    break
  fi
done

sec init-scripts
for d in /etc/init.d /etc/rc.d/init.d; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do [ -f "$f" ] && echo "script $f"; done
  grep -H -E '^[[:space:]]*(export[[:space:]]+)?[A-Za-z_]*(PIDFILE|PIDDIR|pidfile|piddir|DAEMON|daemon|exec|prog|binary|NAME|BASE)[A-Za-z_]*=|--pidfile[= ]/|-p /' "$d"/* 2>/dev/null
  break
done

sec pidfiles
for f in /run/*.pid /run/*/*.pid /run/*/pid /var/run/*.pid /var/run/*/*.pid /var/run/*/pid; do
  [ -f "$f" ] && read -r p < "$f" 2>/dev/null && echo "$f $p"
done

sec xinetd
grep -H -E '^[[:space:]]*(service|server|disable|id)([[:space:]]|=|$)' /etc/xinetd.conf /etc/xinetd.d/* 2>/dev/null

sec livepatch
for d in "$REMEDY_SYS"/kernel/livepatch/*; do
  [ -d "$d" ] || continue
  e=-; t=-
  [ -r "$d/enabled" ] && read -r e < "$d/enabled"
  [ -r "$d/transition" ] && read -r t < "$d/transition"
  echo "klp $e $t $d"
done
for d in "$REMEDY_SYS"/kernel/kpatch/patches/*; do
  [ -d "$d" ] || continue
  e=-; [ -r "$d/enabled" ] && read -r e < "$d/enabled"
  echo "kpatch $e - $d"
done
cl=/snap/bin/canonical-livepatch
if [ -x "$cl" ] && have ls; then
  # Only the root-owned tool, writable by nobody else (never a program the host's users control).
  m=$(ls -lnL "$cl" 2>/dev/null) && set -- $m && [ "$3" = 0 ] && case "$1" in ?????w*|????????w*) false ;; esac &&
    if have timeout; then timeout 10 "$cl" status 2>/dev/null; else "$cl" status 2>/dev/null; fi | while IFS= read -r l; do echo "cl $l"; done
fi

sec passwd
[ -r /etc/passwd ] && while IFS=: read -r n x u rest; do echo "$n:$u"; done < /etc/passwd

sec links
ls -ld /proc/[0-9]*/exe /proc/[0-9]*/ns/mnt /proc/[0-9]*/ns/pid 2>&1

sec procs
STATCMD=""
if have stat; then STATCMD="stat -c '%d %i %n' --"; elif have ls; then STATCMD="ls -id --"; fi
for d in /proc/[0-9]*; do echo "$d"; done | awk -v statcmd="$STATCMD" -v sq="'" '
function q(s) { gsub(sq, sq "\\" sq sq, s); return sq s sq }
function runstat(list,   cmd, l, tag) {
  if (statcmd == "") return
  tag = (statcmd ~ /^stat/) ? "S" : "I"
  cmd = statcmd list " 2>/dev/null"
  while ((cmd | getline l) > 0) {
    if (tag == "I") { sub(/^ */, "", l); print "I\t-\t" substr(l, 1, index(l, " ") - 1) "\t" substr(l, index(l, " ") + 1) }
    else { d = substr(l, 1, index(l, " ") - 1); l = substr(l, index(l, " ") + 1)
      print "S\t" d "\t" substr(l, 1, index(l, " ") - 1) "\t" substr(l, index(l, " ") + 1) }
  }
  close(cmd)
}
{
  pid = $0; sub(/^\/proc\//, "", pid)
  f = "/proc/" pid "/stat"
  if ((getline line < f) <= 0) { close(f); next }
  close(f)
  i = length(line); while (i > 0 && substr(line, i, 1) != ")") i--
  split(substr(line, i + 2), a, " ")
  if (int(a[7] / 2097152) % 2 == 1) next
  f = "/proc/" pid "/status"; uid = "?"
  while ((getline l < f) > 0) if (l ~ /^Uid:/) { split(l, u, " "); uid = u[2]; break }
  close(f)
  o = index(line, "(")
  print "P\t" pid "\t" a[2] "\t" a[4] "\t" a[5] "\t" a[20] "\t" uid "\t" substr(line, o + 1, i - o - 1)
  f = "/proc/" pid "/cgroup"; v1 = ""; v2 = ""
  while ((getline l < f) > 0) {
    if (l ~ /^[0-9]+:name=systemd:/) { sub(/^[0-9]+:name=systemd:/, "", l); v1 = l }
    else if (l ~ /^0::/) { sub(/^0::/, "", l); v2 = l }
  }
  close(f)
  # systemd tracks processes in the unified hierarchy whenever it has one (v2, or hybrid): prefer 0::
  # unless it is the bare root, then the legacy name=systemd line (v1 only, or a shared v1 tree).
  cg = (v2 != "" && v2 != "/") ? v2 : v1
  if (cg == "" && v2 != "") cg = v2
  if (cg != "") print "C\t" pid "\t" cg
  f = "/proc/" pid "/maps"; ids = ""; split("", seen); last = ""
  while ((rc = getline l < f) > 0) {
    n = split(l, m, " ")
    if (n < 6 || m[5] == "0") continue
    # Consecutive segments of one file: same device, inode and path start.
    if (m[4] " " m[5] " " m[6] == last) continue
    last = m[4] " " m[5] " " m[6]
    p = l; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ [^ ]+ +/, "", p)
    if (substr(p, 1, 1) != "/") continue
    key = m[4] " " m[5] " " p
    if (key in seen) continue
    seen[key] = 1
    if (!(key in gid)) {
      gid[key] = ++nf; print "F\t" nf "\t" m[4] "\t" m[5] "\t" p
      if (p !~ / \(deleted\)$/ && !(p in paths) && p !~ /^\/(dev|proc|sys|memfd:|SYSV)/) { paths[p] = 1; np++ }
    }
    ids = ids " " gid[key]
  }
  if (rc < 0) print "X\t" pid "\tmaps\tunreadable"
  close(f)
  if (ids != "") print "M\t" pid "\t" substr(ids, 2)
}
END {
  n = 0; list = ""
  for (p in paths) { list = list " " q(p); if (++n == 200) { runstat(list); n = 0; list = "" } }
  if (n > 0) runstat(list)
}'
printf 'E\t%s\n' "$?"
${INTERP_SH}
sec end
`;

export interface ProbeScriptOptions {
  coreExtra?: string[];
  /** Where the probe reads the kernel's sysfs (default /sys): tests point it at a planted stand-in. */
  sysRoot?: string;
}

/** Builds the script to send: caller variables first (shell-quoted), then the probe. */
export function buildProbeScript(opts: ProbeScriptOptions = {}): string {
  const extra = (opts.coreExtra ?? []).filter((n) => /^[A-Za-z0-9][A-Za-z0-9.+_:-]*$/.test(n));
  const rpm = unique([...RPM_KERNEL_PACKAGES, ...RPM_CORE_PACKAGES, ...extra]);
  const dpkg = unique([...DPKG_CORE_PACKAGES, ...extra]);
  const sys = opts.sysRoot && /^\/[A-Za-z0-9._/-]*$/.test(opts.sysRoot) ? opts.sysRoot.replace(/\/+$/, '') : '/sys';
  return `REMEDY_RPM_PKGS='${rpm.join(' ')}'\nREMEDY_DPKG_PKGS='${dpkg.join(' ')}'\nREMEDY_SYS='${sys}'\n${PROBE_SCRIPT}`;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
