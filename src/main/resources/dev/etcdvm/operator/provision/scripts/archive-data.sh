#!/bin/sh
# archive-data.sh: stops the service and moves old member data aside (never deletes it), leaving an empty
#   data dir; prints the archive's path.
# Arguments: marker uid memberIdFile unitName dataDir user currentMemberId...
# Exit codes: 0; 6 not this cluster's machine, data of no recorded member id, or of a member etcd lists now
#   (nothing done).
# Proves before acting: the cluster marker (owned.sh), and that the recorded member id is known and no
#   current member's.
#@include lib/lock.sh
#@include lib/claim.sh
#@include lib/owned.sh
memberid=$1; unit=$2; data=$3; user=$4; shift 4
have=$(head -c 40 "$memberid" 2>/dev/null || true)
if [ -z "$have" ]; then echo "$data holds member data of no recorded member id: left as it is" >&2; exit 6; fi
for current in "$@"; do
  if [ "$have" = "$current" ]; then echo "$data holds current member $have: left as it is" >&2; exit 6; fi
done
set -e
systemctl stop "$unit" >/dev/null 2>&1 || true
if [ -d "$data" ] && [ -n "$(ls -A "$data" 2>/dev/null)" ]; then
  archive="$data.archived-$(date -u +%Y%m%dT%H%M%SZ)"
  mv -T "$data" "$archive"
  echo "$archive"
fi
install -d -m 0700 -o "$user" -g "$user" "$data"
