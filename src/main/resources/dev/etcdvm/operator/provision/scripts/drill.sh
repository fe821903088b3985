#!/bin/sh
# drill.sh: a restore drill beside the member, never touching it: checks the snapshot ends in the expected
#   SHA-256, reads it with the version's tool (printing its status as JSON) and restores it into a scratch
#   directory of its own, removed on exit.
# Arguments: snapshot sha256 tool
# Exit codes: 0 (status JSON on stdout); 1 the snapshot does not restore; 4 wrong checksum.
#@include lib/lock.sh
#@include lib/claim.sh
set -eu
#@include lib/snapshot-functions.sh
snap=$1; want=$2; tool=$3
ends_in "$snap" "$want"
scratch=$(mktemp -d /var/tmp/etcd-vm-operator-drill.XXXXXXXX)
trap 'rm -rf -- "$scratch"' EXIT
export ETCDCTL_API=3
status=$("$tool" snapshot status "$snap" -w json)
"$tool" snapshot restore "$snap" --name drill --initial-cluster drill=http://127.0.0.1:2380 \
  --initial-advertise-peer-urls http://127.0.0.1:2380 --data-dir "$scratch/data" >/dev/null 2>&1 \
  || { echo "the snapshot does not restore" >&2; exit 1; }
if [ ! -s "$scratch/data/member/snap/db" ]; then echo "the restore left no database" >&2; exit 1; fi
echo "$status"
