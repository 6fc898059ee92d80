#!/bin/sh
# remedy lab supervisor for one host: runs systemd-nspawn again whenever the host reboots
# (nspawn exits 133), until $dir/stop exists, or stops for good when $dir/no-return exists. Before
# starting the host again it runs $dir/on-reboot once when present (a scenario's hook: a new host key
# planted, a slow return), then removes it.
# usage: supervise.sh HOST_STATE_DIR MACHINE_NAME -- systemd-nspawn ARGS...
#
# Each host gets its own cgroup (rl-MACHINE under the supervisor's own, in every hierarchy systemd
# uses). nspawn --keep-unit puts the container in "payload" under the cgroup it starts in: without
# this, every host's systemd managed the same payload/system.slice/ssh.service and friends, so one
# host stopping a unit killed the other hosts' processes in it, and a reboot could wait forever on a
# session scope another host had already removed.
dir=$1; machine=$2; shift 3
log() { echo "$(date -u +%FT%TZ) $*" >>"$dir/supervise.log"; }

# prints "MOUNT PATH" for each hierarchy systemd uses: name=systemd (v1) and the unified one (v2)
hierarchies() {
  while IFS=: read -r _ controllers path; do
    case "$controllers" in
      name=systemd) echo "/sys/fs/cgroup/systemd $path" ;;
      '') if [ -d /sys/fs/cgroup/unified ]; then echo "/sys/fs/cgroup/unified $path"; else echo "/sys/fs/cgroup $path"; fi ;;
    esac
  done </proc/self/cgroup
}

own_cgroups=''
while read -r mount path; do
  parent="$mount${path%/}"
  cg="$parent/rl-$machine"
  [ -f "$parent/cgroup.procs" ] || { log "no cgroup $parent: sharing the parent's"; continue; }
  if mkdir -p "$cg" && echo $$ >"$cg/cgroup.procs"; then own_cgroups="$own_cgroups $parent:$cg"
  else log "cannot join $cg: sharing the parent's"; fi
done <<EOF
$(hierarchies)
EOF

while [ ! -e "$dir/stop" ]; do
  "$@" </dev/null >>"$dir/console.log" 2>&1 &
  echo $! >"$dir/nspawn.pid"
  wait $!
  rc=$?
  rm -f "$dir/nspawn.pid"
  rm -rf "/run/systemd/nspawn/propagate/$machine"
  log "nspawn exited $rc"
  [ "$rc" -eq 133 ] || break
  if [ -e "$dir/no-return" ]; then log "not coming back"; break; fi
  if [ -f "$dir/on-reboot" ]; then
    mv -f "$dir/on-reboot" "$dir/on-reboot.running"
    sh "$dir/on-reboot.running" >>"$dir/supervise.log" 2>&1; log "on-reboot hook exited $?"
    rm -f "$dir/on-reboot.running"
  fi
done

# leave the host's cgroups and remove them (deepest first; a cgroup with processes left stays)
for pair in $own_cgroups; do
  parent=${pair%%:*}; cg=${pair#*:}
  echo $$ >"$parent/cgroup.procs" 2>/dev/null
  find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || log "cgroup $cg not empty: left in place"
done
