#!/bin/sh
# retire.sh: stops and disables the service; with wipe also removes the data (archives included) and the
#   binaries the install record names, then configuration, certificates and unit.
# Arguments: marker uid memberIdFile memberId unitName unitFile configDir installRecord wipe(yes|no)
#   currentMemberId...
# Exit codes: 0; 1 the service is still active after stop; 6 not this cluster's machine, another member's
#   id recorded, a member etcd lists now, or (wipe) a data dir that is a mount point or holds anything but etcd's
#   member directory (nothing done).
# Proves before acting: the cluster marker (owned.sh); with a member id, a machine recording another
#   member's id is refused (one recording none is this cluster's by its marker and outside the spec, which is
#   what retiring means), and so is one recording a member etcd lists now. Idempotent: a machine already
#   stopped passes; one already wiped has no marker and is refused, having nothing left of this cluster.
#@include lib/lock.sh
#@include lib/claim.sh
#@include lib/owned.sh
memberid=$1; want=$2; unit=$3; unitfile=$4; conf=$5; record=$6; wipe=$7; shift 7
have=$(head -c 40 "$memberid" 2>/dev/null || true)
if [ -n "$want" ] && [ -n "$have" ] && [ "$have" != "$want" ]; then
  echo "holds member $have, not $want: left as it is" >&2; exit 6
fi
for current in "$@"; do
  if [ -n "$have" ] && [ "$have" = "$current" ]; then echo "runs current member $have: left as it is" >&2; exit 6; fi
done
# A data dir that is a mount point, or that holds anything etcd did not put there, is someone's: never wiped.
if [ "$wipe" = yes ] && [ -f "$record" ]; then
  while read -r kind path; do
    case "$kind $path" in "data /"?*) ;; *) continue ;; esac
    if mountpoint -q -- "$path" 2>/dev/null; then echo "$path is a mount point: not wiped" >&2; exit 6; fi
    for f in "$path"/* "$path"/.[!.]*; do
      if [ -e "$f" ] && [ "${f##*/}" != member ]; then
        echo "$path holds ${f##*/}, which etcd did not put there: not wiped" >&2; exit 6
      fi
    done
  done < "$record"
fi
systemctl disable --now "$unit" >/dev/null 2>&1 || systemctl stop "$unit" >/dev/null 2>&1 || true
if systemctl is-active --quiet "$unit"; then echo "$unit is still active after stop" >&2; exit 1; fi
systemctl reset-failed "$unit" >/dev/null 2>&1 || true
if [ "$wipe" = yes ]; then
  set -e
  if [ -f "$record" ]; then
    while read -r kind path; do
      case "$path" in /?*) ;; *) continue ;; esac
      case "$kind" in
        data) rm -rf -- "$path" "$path".archived-* ;;
        bin) rm -f -- "$path/etcd" "$path/etcdctl" "$path/etcdutl" ;;
      esac
    done < "$record"
  fi
  rm -f -- "$unitfile"
  rm -rf -- "$conf"
  systemctl daemon-reload
fi
exit 0
