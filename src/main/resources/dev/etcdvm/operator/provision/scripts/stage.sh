#!/bin/sh
# stage.sh: a fresh private staging directory of the login user, after sweeping the ones earlier passes left
#   behind (an operator killed mid-upload never removes its own). Runs as the login user: it only ever removes
#   that user's own directories, by name and age.
# Arguments: parentDir maxAgeMinutes (older than any script that may still use one: each runs under a deadline)
#   needKiB (what will be put there, with room to spare: nothing is staged onto a disk it would fill)
# Exit codes: 0, the new directory's path on stdout; 8 not enough room in parentDir (nothing created).
set -eu
parent=$1; age=$2; need=$3
find "$parent" -maxdepth 1 -type d -name 'etcd-vm-operator.*' -user "$(id -u)" -mmin +"$age" \
  -exec rm -rf -- {} + 2>/dev/null || true
free=$(df -Pk "$parent" | awk 'NR==2 {print $4}')
if [ "$free" -lt "$need" ]; then
  echo "only $free KiB free in $parent, $need KiB needed: nothing staged" >&2; exit 8
fi
mktemp -d "$parent/etcd-vm-operator.XXXXXXXX"
