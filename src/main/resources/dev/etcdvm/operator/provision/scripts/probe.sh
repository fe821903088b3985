#!/bin/sh
# probe.sh: reads what a machine holds, changes nothing.
# Arguments: dataDir etcdBinary clientPort peerPort markerFile memberIdFile unitName installRecord
#   plannedRestartFile dataIdFile file...
# Output: key=value lines. Modification times let the next pass see a restart a crashed pass left pending.
#   Directories are resolved (symlinks followed) and reported unsafe when anyone may write to them or a
#   filesystem is mounted inside; the installed etcd is only run to ask its version when only root can have
#   put it there.
# Exit codes: 0.
set -u
data=$1; bin=$2; cport=$3; pport=$4; marker=$5; memberid=$6; unit=$7; record=$8; planned=$9; dataid=${10}; shift 10
echo "arch=$(uname -m)"
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
# Each fork costs: with every machine probed at once on a busy host, the probe's run time is its
# number of processes. Ancestors are listed by parameter expansion and stat-ed in one call.
worldwritable() {
  d=$1; set --
  while :; do
    if [ -e "$d" ]; then set -- "$@" "$d"; fi
    [ "$d" = / ] && break
    d=${d%/*}; d=${d:-/}
  done
  stat -c '%A %n' -- "$@" | awk 'substr($1, 9, 1) == "w" { sub(/^[^ ]+ /, ""); print }'
}
binsafe=yes
for kind in data bin; do
  if [ "$kind" = data ]; then p=$data; else p=${bin%/*}; p=${p:-/}; fi
  real=$(readlink -m -- "$p")
  echo "real.$kind=$real"
  ww=$(worldwritable "$real")
  if [ -n "$ww" ]; then
    printf '%s\n' "$ww" | sed "s|^|unsafe.$kind=|; s|\$| is world-writable|"
    if [ "$kind" = bin ]; then binsafe=no; fi
  fi
  inside=$(awk -v p="$real/" 'substr($5, 1, length(p)) == p {print $5; exit}' /proc/self/mountinfo)
  if [ -n "$inside" ]; then echo "unsafe.$kind=$inside is a mount point inside $real"; fi
done
if [ -x "$bin" ]; then
  if [ "$binsafe" = yes ] && [ "$(stat -L -c %u "$bin")" = 0 ] && [ "$(stat -L -c %A "$bin" | cut -c6,9)" = -- ]; then
    echo "version=$("$bin" --version 2>/dev/null | sed -n 's/^etcd Version: //p')"
  else
    echo "unsafe.bin=$bin may have been changed by someone other than root: not run"
  fi
  echo "binmtime=$(stat -c %Y "$bin")"
fi
if [ -f "$record" ]; then
  while read -r key value; do
    case "$key" in *[!a-z-]*|'') ;; *) echo "record.$key=$value" ;; esac
  done < "$record"
fi
# Member data is a write-ahead log: etcd creates member/ before it knows whether it may start.
wal=no
for f in "$data"/member/wal/*.wal; do if [ -f "$f" ]; then wal=yes; break; fi; done
if [ "$wal" = yes ]; then echo data=member
elif [ -d "$data" ] && [ -n "$(ls -A "$data" 2>/dev/null)" ]; then echo data=other
elif [ -d "$data" ]; then echo data=empty
else echo data=absent; fi
if [ -f "$marker" ]; then echo "marker=$(head -c 100 "$marker")"; fi
if [ -f "$memberid" ]; then echo "memberid=$(head -c 40 "$memberid")"; fi
if [ -f "$planned" ]; then echo "planned=$(head -c 20 "$planned")"; fi
if [ -f "$dataid" ]; then echo "dataid=$(head -c 64 "$dataid")"; fi
unitprops=$(systemctl show -p ActiveState -p UnitFileState -p ActiveEnterTimestamp "$unit" 2>/dev/null)
since=
while IFS='=' read -r key value; do
  case "$key" in
    ActiveState) echo "active=$value" ;;
    UnitFileState) echo "enabled=$value" ;;
    ActiveEnterTimestamp) since=$value ;;
  esac
done <<EOF
$unitprops
EOF
if [ -n "$since" ]; then echo "started=$(date -d "$since" +%s 2>/dev/null)"; fi
if command -v ss >/dev/null 2>&1; then
  ss -Hltnp 2>/dev/null | awk -v c="$cport" -v p="$pport" '
    function add(port, rest) {
      while (match(rest, /users:\(\("[^"]*"/)) {
        name = substr(rest, RSTART + 9, RLENGTH - 10)
        if (index(" " seen[port] " ", " " name " ") == 0) seen[port] = seen[port] " " name
        rest = substr(rest, RSTART + RLENGTH)
      }
    }
    { n = split($4, a, ":"); if (a[n] == c || a[n] == p) add(a[n], $0) }
    END {
      print "port." c "=" (seen[c] == "" ? "free" : substr(seen[c], 2))
      print "port." p "=" (seen[p] == "" ? "free" : substr(seen[p], 2))
    }'
else
  echo "port.$cport=unknown"; echo "port.$pport=unknown"
fi
d=$data; while [ ! -d "$d" ]; do d=$(dirname "$d"); done
echo "diskfree=$(df -Pk "$d" | awk 'NR==2 {print $4}')"
n=$#
for f; do if [ -f "$f" ]; then set -- "$@" "$f"; fi; done
shift "$n"
if [ $# -gt 0 ]; then
  { sha256sum -- "$@"; stat -c '%a %U %G %Y %n' -- "$@"; }     | awk -v n=$# 'NR <= n { sha[NR] = $1; next } { print "file=" sha[NR - n] " " $0 }'
fi
exit 0
