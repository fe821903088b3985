# shellcheck shell=sh
# claim.sh: included by every script that changes a machine, right after lib/lock.sh: a machine that names another
#   EtcdVmCluster in its marker is never written to (a machine reassigned to another cluster keeps its config, unit,
#   certificates and data). A machine without a marker is still free to claim: provisioning writes the marker.
# Arguments: marker uid, then the including script's own (shifted into place).
# Exit codes: 6 when the marker names another cluster; nothing has been touched then.
set -u
if [ -f "$1" ] && [ "$(head -c 100 "$1" | tr -d '\n')" != "$2" ]; then
  echo "cluster marker $1 names another EtcdVmCluster: not writing to this machine" >&2; exit 6
fi
shift 2
