#!/bin/sh
# remedy lab supervisor for one host: runs systemd-nspawn again whenever the host reboots
# (nspawn exits 133), until $dir/stop exists, or stops for good when $dir/no-return exists.
# usage: supervise.sh HOST_STATE_DIR MACHINE_NAME -- systemd-nspawn ARGS...
dir=$1; machine=$2; shift 3
while [ ! -e "$dir/stop" ]; do
  "$@" </dev/null >>"$dir/console.log" 2>&1 &
  echo $! >"$dir/nspawn.pid"
  wait $!
  rc=$?
  rm -f "$dir/nspawn.pid"
  rm -rf "/run/systemd/nspawn/propagate/$machine"
  echo "$(date -u +%FT%TZ) nspawn exited $rc" >>"$dir/supervise.log"
  [ "$rc" -eq 133 ] || break
  if [ -e "$dir/no-return" ]; then echo "$(date -u +%FT%TZ) not coming back" >>"$dir/supervise.log"; break; fi
done
