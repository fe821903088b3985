#!/bin/sh
# restore.sh: restores the data of a founding member from a staged snapshot.
# Arguments: marker uid snapshot sha256 tool name initialCluster token peerUrl dataDir user bumpBy
# Exit codes: 0; 4 the snapshot does not end in the expected SHA-256; 6 not this cluster's machine, or the
#   data dir already holds a member (nothing done).
# Proves before acting: the cluster marker (owned.sh), an empty data dir, the snapshot's checksum (the tool
#   checks the database against it).
#@include lib/lock.sh
#@include lib/claim.sh
#@include lib/owned.sh
#@include lib/snapshot-functions.sh
snap=$1; want=$2; tool=$3; name=$4; cluster=$5; token=$6; peer=$7; data=$8; user=$9; bump=${10}
if [ -e "$data/member" ]; then echo "$data already holds a member: not restored over" >&2; exit 6; fi
ends_in "$snap" "$want"
set -e
restore_into "$data" "$user" "$tool" "$snap" "$name" "$cluster" "$token" "$peer" "$bump"
