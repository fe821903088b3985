#!/bin/sh
# install-files.sh: installs staged files in place.
# Arguments: groups of (staged destination mode owner group)
# Exit codes: 0, or the failing command's. Each file: a temp beside it, fsync, rename (atomic replace).
#@include lib/lock.sh
#@include lib/claim.sh
set -eu
while [ $# -ge 5 ]; do
  src=$1; dst=$2; mode=$3; owner=$4; group=$5; shift 5
  install -m "$mode" -o "$owner" -g "$group" -T "$src" "$dst.tmp"
  sync "$dst.tmp"
  mv -f -T "$dst.tmp" "$dst"
done
