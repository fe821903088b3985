#!/bin/sh
# install-release.sh: verifies an etcd release tarball before anything is installed; binaries replace the
#   old ones by rename.
# Arguments: source (http(s) URL, or a staged file path) sumsUrl expectedSha asset installDir
# Exit codes: 0; 3 SHA256SUMS lists no such asset; 4 checksum mismatch; 5 download failed.
#@include lib/lock.sh
#@include lib/claim.sh
set -eu
src=$1; sums=$2; want=$3; asset=$4; dir=$5
work=$(mktemp -d /var/tmp/etcd-release.XXXXXX)
trap 'rm -rf "$work"' EXIT
case "$src" in
  http://*|https://*) curl -fsSL --retry 2 --max-time 600 -o "$work/$asset" "$src" || exit 5 ;;
  *) cp "$src" "$work/$asset" ;;
esac
if [ -z "$want" ]; then
  curl -fsSL --retry 2 --max-time 60 -o "$work/SHA256SUMS" "$sums" || exit 5
  want=$(awk -v f="$asset" '$2 == f || $2 == "*" f {print $1}' "$work/SHA256SUMS")
  if [ -z "$want" ]; then echo "SHA256SUMS lists no $asset" >&2; exit 3; fi
fi
got=$(sha256sum "$work/$asset" | cut -d' ' -f1)
if [ "$got" != "$want" ]; then echo "checksum mismatch for $asset: expected $want, got $got" >&2; exit 4; fi
tar -xzf "$work/$asset" -C "$work"
top="$work/${asset%.tar.gz}"
"$top/etcd" --version >/dev/null
for b in etcd etcdctl etcdutl; do
  if [ -f "$top/$b" ]; then
    install -m 0755 -o root -g root -T "$top/$b" "$dir/.$b.new"
    mv -f -T "$dir/.$b.new" "$dir/$b"
  fi
done
