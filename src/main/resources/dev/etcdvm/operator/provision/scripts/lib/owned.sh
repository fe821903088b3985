# shellcheck shell=sh
# owned.sh: included first by every destructive script.
# Arguments: marker uid, then the including script's own (shifted into place).
# Exit codes: 6 when the machine is not this cluster's: it carries no marker file, or one naming another
#   EtcdVmCluster. Nothing has been touched then.
# Proves: on the machine, in the same script that acts, that it carries this cluster's marker. Checked here
#   and not from a probe, so no crash, stale read or edited status can separate the check from the act.
set -u
marker=$1; uid=$2; shift 2
if [ ! -f "$marker" ]; then echo "no cluster marker $marker: not a machine of this cluster" >&2; exit 6; fi
if [ "$(head -c 100 "$marker" | tr -d '\n')" != "$uid" ]; then
  echo "cluster marker $marker names another EtcdVmCluster" >&2; exit 6
fi
