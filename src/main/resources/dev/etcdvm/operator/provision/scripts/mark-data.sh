#!/bin/sh
# mark-data.sh: writes the identity of a running member's data into its data dir, once. A member later found
#   running on data without it was emptied or replaced under the same member id (see DataLoss).
# Arguments: marker uid memberIdFile memberId dataIdFile dataId
# Exit codes: 0 written, or already holding this identity; 6 not this cluster's machine, not that member's data,
#   no member data, or another identity already there (nothing done).
# Proves before acting: the cluster marker (owned.sh), that the machine records the member id, and that the data
#   dir holds a write-ahead log.
#@include lib/lock.sh
#@include lib/claim.sh
#@include lib/owned.sh
memberid=$1; want=$2; idfile=$3; id=$4
have=$(head -c 40 "$memberid" 2>/dev/null || true)
if [ "$have" != "$want" ]; then echo "the machine records member '$have', not $want: left as it is" >&2; exit 6; fi
member=${idfile%/*}
wal=no
for f in "$member"/wal/*.wal; do if [ -f "$f" ]; then wal=yes; break; fi; done
if [ "$wal" = no ]; then echo "$member holds no write-ahead log: nothing to mark" >&2; exit 6; fi
if [ -f "$idfile" ]; then
  if [ "$(head -c 64 "$idfile" | tr -d '\n')" = "$id" ]; then exit 0; fi
  echo "$idfile already names other data: left as it is" >&2; exit 6
fi
set -e
printf '%s\n' "$id" > "$idfile.new"
chmod 0644 "$idfile.new"
mv -f "$idfile.new" "$idfile"
