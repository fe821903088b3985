#!/bin/sh
# service.sh: what the service needs, in one round trip.
# Arguments: unitName reload enable start (each yes|no)
# Exit codes: 0, or systemctl's. Enable reloads unit files itself. --no-block: a member of a new cluster only
#   reports started once a quorum of peers is up, so every member must be started before any finishes.
#@include lib/lock.sh
#@include lib/claim.sh
set -eu
unit=$1; reload=$2; enable=$3; start=$4
if [ "$reload" = yes ]; then systemctl daemon-reload; fi
if [ "$enable" = yes ]; then systemctl enable --quiet "$unit"; fi
if [ "$start" = yes ]; then systemctl start --no-block "$unit"; fi
