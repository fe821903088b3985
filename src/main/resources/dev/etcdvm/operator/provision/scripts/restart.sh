#!/bin/sh
# restart.sh: restarts this cluster's member, noting when (destructive: the member stops serving a while).
# Arguments: marker uid unitName plannedRestartFile
# Exit codes: 0 restart queued; 6 not this cluster's machine (nothing done).
# Proves before acting: the cluster marker (owned.sh).
#@include lib/lock.sh
#@include lib/claim.sh
#@include lib/owned.sh
date +%s > "$2"
systemctl restart --no-block "$1"
