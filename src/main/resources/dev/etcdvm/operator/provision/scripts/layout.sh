#!/bin/sh
# layout.sh: creates the service account and directories with tight modes.
# Arguments: user dataDir installDir configDir pkiDir
# Exit codes: 0, or the failing command's. Creates only; an existing install dir keeps its mode.
#@include lib/lock.sh
#@include lib/claim.sh
set -eu
user=$1; data=$2; bindir=$3; conf=$4; pki=$5
if ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$data" --no-create-home --shell /usr/sbin/nologin "$user"
fi
install -d -m 0755 -o root -g root "$conf"
install -d -m 0750 -o root -g "$user" "$pki"
install -d -m 0700 -o "$user" -g "$user" "$data"
# An existing install dir is left as it is: install -d would reset its mode (a sticky bit, say).
if [ ! -d "$bindir" ]; then install -d -m 0755 -o root -g root "$bindir"; fi
