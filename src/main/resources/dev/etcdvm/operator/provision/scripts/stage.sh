#!/bin/sh
# stage.sh: a fresh private staging directory of the login user, after sweeping the ones earlier passes left
#   behind (an operator killed mid-upload never removes its own). Runs as the login user: it only ever removes
#   that user's own directories, by name and age.
# Arguments: parentDir maxAgeMinutes (older than any script that may still use one: each runs under a deadline)
# Exit codes: 0, the new directory's path on stdout.
set -eu
parent=$1; age=$2
find "$parent" -maxdepth 1 -type d -name 'etcd-vm-operator.*' -user "$(id -u)" -mmin +"$age" \
  -exec rm -rf -- {} + 2>/dev/null || true
mktemp -d "$parent/etcd-vm-operator.XXXXXXXX"
