#!/bin/sh
# recover.sh: recovers a lost quorum on this machine, alone: stops etcd, moves the data dir to
#   <dataDir>.recovery-<stamp> (never deleted), restores a one-member cluster with a new token into an empty
#   data dir from the archived member's own database (snapshot empty; --skip-hash-check: a live database
#   has no trailer) or from a staged snapshot ending in sha256, and starts etcd.
# Arguments: marker uid memberIdFile memberId unitName dataDir stamp user tool snapshot sha256 name peerUrl
#   token bumpBy
# Exit codes: 0; 1 the service is still active after stop; 2 the stamp is not a time; 4 the snapshot's
#   checksum is wrong; 6 not this cluster's machine, another member's data, or no member database (nothing
#   done).
# Proves before acting: the cluster marker (owned.sh), that the data is the chosen member's (by the member id
#   recorded when it joined), and that the stamp is a time, so no argument can aim the move elsewhere.
#   Idempotent: a restored member beside this recovery's archive is only started again; an archive with no
#   restored member yet is restored from.
#@include lib/lock.sh
#@include lib/claim.sh
#@include lib/owned.sh
#@include lib/snapshot-functions.sh
memberid=$1; want=$2; unit=$3; data=$4; stamp=$5; user=$6; tool=$7; snap=$8; sha=$9
name=${10}; peer=${11}; token=${12}; bump=${13}
case "$stamp" in *[!0-9TZ]*|'') echo "archive stamp '$stamp' is not a time: nothing was changed" >&2; exit 2 ;; esac
archive="$data.recovery-$stamp"
if [ -d "$archive" ] && [ -e "$data/member" ]; then
  systemctl start --no-block "$unit"; echo "already recovered"; exit 0
fi
if [ ! -d "$archive" ]; then
  have=$(head -c 40 "$memberid" 2>/dev/null || true)
  if [ -n "$want" ] && [ "$have" != "$want" ]; then
    echo "$data holds member ${have:-of no recorded id}, not $want: left as it is" >&2; exit 6
  fi
  if [ -z "$snap" ] && [ ! -s "$data/member/snap/db" ]; then echo "$data holds no member database" >&2; exit 6; fi
  systemctl stop "$unit" >/dev/null 2>&1 || true
  if systemctl is-active --quiet "$unit"; then echo "$unit is still active after stop" >&2; exit 1; fi
  if [ -d "$data" ]; then mv -T "$data" "$archive"; else mkdir -p "$archive"; fi
fi
set -e
install -d -m 0700 -o "$user" -g "$user" "$data"
if [ -z "$snap" ]; then
  restore_into "$data" "$user" "$tool" "$archive/member/snap/db" "$name" "$name=$peer" "$token" "$peer" \
    "$bump" --skip-hash-check
else
  ends_in "$snap" "$sha"
  restore_into "$data" "$user" "$tool" "$snap" "$name" "$name=$peer" "$token" "$peer" "$bump"
fi
# The recorded member id named the old member; the new one is recorded once etcd lists it.
rm -f -- "$memberid"
systemctl start --no-block "$unit"
