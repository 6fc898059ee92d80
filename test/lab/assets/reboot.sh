#!/bin/sh
# remedy lab (sysv hosts): ask remedy-lab-init (PID 1) to reboot or power off.
case "$(basename "$0")" in
  reboot) sig=INT ;;
  shutdown) sig=TERM; for a in "$@"; do case "$a" in -r|--reboot) sig=INT ;; esac; done ;;
  *) sig=TERM ;;
esac
for a in "$@"; do case "$a" in --help) echo "usage: reboot | poweroff | halt | shutdown [-r|-h] [now]"; exit 0 ;; esac; done
kill -"$sig" 1
