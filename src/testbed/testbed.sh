#!/usr/bin/env bash
# Test machine bed for etcd-vm-operator: N systemd-nspawn containers booting a
# real systemd + OpenSSH, each in its own network namespace on a private
# bridge, plus an HTTP mirror of real etcd release tarballs.
#
# Usage: testbed.sh up [N] | down | status | env | check | deps | mirror
#                   crash M | stop M | start M [--wipe] | partition M | heal M
#                   split "M M" "M M" | unsplit   (frames between the two sides dropped on the bridge)
#                   cutoff M | reconnect M        (the host, where the operator runs in tests, loses M)
#                   alias M ADDR | unalias M ADDR   (a second address on M's interface, like a second NIC)
#                   store up|down|stop|start   (S3Proxy, a real S3 API on the bridge; stop keeps its data)
# See README.md beside this file.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
STATE="$(realpath -m "${TESTBED_DIR:-$REPO_DIR/target/testbed}")"
CACHE="$(realpath -m "${TESTBED_CACHE:-$HOME/.cache/etcd-vm-operator}")"

# Network: every address we ever talk to lives in this /24 on our own bridge.
BRIDGE=br-etcdvm
NET_PREFIX=10.250.0
HOST_ADDR=$NET_PREFIX.1
MIRROR_PORT=8089
MIRROR_URL="http://$HOST_ADDR:$MIRROR_PORT"
STORE_PORT=9000
STORE_URL="http://$HOST_ADDR:$STORE_PORT"
STORE_BUCKET=etcd-backups
MAX_MACHINES=50
SSH_WAIT_SECONDS=${TESTBED_SSH_WAIT:-60}

DEBIAN_MIRROR=http://deb.debian.org/debian
ROOTFS_PACKAGES="systemd,systemd-sysv,openssh-server,dbus,iproute2,curl,ca-certificates,tar,sudo,procps,iputils-ping"
# Host commands we need, and the Debian packages that provide them.
REQUIRED_COMMANDS="debootstrap systemd-nspawn ssh ssh-keygen ip python3 curl apt-get dpkg-deb sha256sum setsid flock mount patroni nft"
HOST_PACKAGES="debootstrap systemd-container openssh-client iproute2 python3 curl apt dpkg coreutils util-linux patroni python3-idna postgresql-15 nftables"

# etcd releases to mirror: "<debian suite> <expected upstream version>".
ETCD_RELEASES="bookworm:3.4.23 trixie:3.5.16 sid:3.5.30"

log() { printf '[testbed] %s\n' "$*" >&2; }
die() { printf '[testbed] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- preflight

# Prints the reason the testbed cannot run here, or nothing when it can.
preflight_problem() {
  [ "$(uname -s)" = Linux ] || { echo "not Linux ($(uname -s)): systemd-nspawn machines need Linux"; return; }
  [ "$(id -u)" = 0 ] || { echo "not root: network namespaces, mounts and systemd-nspawn need root"; return; }
  local missing="" c
  for c in $REQUIRED_COMMANDS; do
    command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
  done
  if [ -n "$missing" ]; then
    echo "missing commands:$missing (install: apt-get install -y $HOST_PACKAGES)"
    return
  fi
  # Patroni reaches etcd through urllib3, which needs idna (only a recommendation of its package).
  python3 -c 'import idna' 2>/dev/null || { echo "missing python3-idna (Patroni needs it; install: apt-get install -y $HOST_PACKAGES)"; return; }
  [ -d /proc/sys/net ] || echo "no network namespace support"
}

preflight() {
  local problem
  problem="$(preflight_problem)"
  [ -z "$problem" ] || die "$problem"
}

install_host_packages() {
  [ "$(id -u)" = 0 ] || die "deps needs root"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $HOST_PACKAGES >/dev/null 2>&1 || {
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $HOST_PACKAGES >/dev/null
  }
  log "host packages present: $HOST_PACKAGES"
}

# ---------------------------------------------------------------- helpers

# Serialises mutating commands (tests may call us from several threads).
# Background children must not inherit fd 9, or they hold the lock forever.
take_lock() {
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  flock -w 300 9 || die "another testbed.sh holds $STATE/.lock for 5 minutes"
}

machine_index() {
  local name=$1
  [[ $name =~ ^vm([0-9]+)$ ]] || die "bad machine name '$name' (expected vm<N>)"
  local i=${BASH_REMATCH[1]}
  [ "$i" -ge 1 ] && [ "$i" -le "$MAX_MACHINES" ] || die "machine index out of range: $name"
  echo "$i"
}

machine_addr() { echo "$NET_PREFIX.$((10 + $(machine_index "$1")))"; }
netns_name()   { echo "etcdvm-$1"; }
veth_name()    { echo "ve-etcdvm$(machine_index "$1")"; }
mdir()         { echo "$STATE/disks/$1"; }

require_known_machine() {
  grep -q "^$1 " "$STATE/machines" 2>/dev/null || die "unknown machine '$1' (is the testbed up? see $STATE/machines)"
}

# True when pid is alive and its command is the expected one (guards against
# killing an unrelated process that reused a recorded PID).
pid_is() {
  local pid=$1 comm=$2
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]
}

read_pid() { cat "$STATE/pids/$1" 2>/dev/null || true; }

# A zombie counts as gone: whoever reaps it (often not us) is irrelevant.
pid_gone() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [ -z "$state" ] || [ "$state" = Z ]
}

# Unmounts everything at or below a directory, deepest first (an interrupted
# debootstrap leaves proc/sys mounted inside its target).
unmount_below() {
  local dir=$1 m
  awk -v p="$dir" '$2 == p || index($2, p "/") == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}

# rm -rf that never follows a mount into another filesystem.
remove_tree() {
  [ -e "$1" ] || return 0
  unmount_below "$1"
  rm -rf --one-file-system "$1"
}

wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  until pid_gone "$pid"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.05
  done
}

ssh_opts() {
  echo "-i $STATE/id_ed25519 -o UserKnownHostsFile=$STATE/known_hosts -o StrictHostKeyChecking=yes" \
       "-o BatchMode=yes -o ConnectTimeout=2 -o LogLevel=ERROR"
}

ssh_ok() {
  # shellcheck disable=SC2046
  timeout 5 ssh $(ssh_opts) "root@$1" true </dev/null >/dev/null 2>&1
}

# ---------------------------------------------------------------- root filesystem cache

# Everything done to the fresh debootstrap tree that all machines share.
# Its text is part of the cache key, so changing it rebuilds the cache.
customize_rootfs() {
  local root=$1
  printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  rm -f "$root/etc/hostname"
  : >"$root/etc/resolv.conf"
  : >"$root/etc/machine-id"
  # Host keys are per machine (installed at disk creation), never shared.
  rm -f "$root"/etc/ssh/ssh_host_*
  cat >"$root/etc/ssh/sshd_config.d/testbed.conf" <<'EOF'
UseDNS no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
HostKey /etc/ssh/ssh_host_ed25519_key
EOF
  chroot "$root" useradd --create-home --shell /bin/bash ops
  echo 'ops ALL=(ALL) NOPASSWD: ALL' >"$root/etc/sudoers.d/ops"
  chmod 440 "$root/etc/sudoers.d/ops"
  # Units that slow the boot, want the internet, or fight over the console.
  local unit
  for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
              fstrim.timer man-db.timer dpkg-db-backup.timer systemd-timesyncd.service \
              systemd-networkd-wait-online.service console-getty.service getty@.service \
              systemd-networkd.service systemd-resolved.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
  done
  chroot "$root" systemctl enable ssh.service >/dev/null 2>&1 || true
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*_Packages
}

rootfs_key() {
  { echo "$ROOTFS_PACKAGES"; declare -f customize_rootfs; } | sha256sum | cut -c1-16
}

rootfs_dir() { echo "$CACHE/rootfs-$(rootfs_key)"; }

ensure_rootfs() {
  local final tmp
  final="$(rootfs_dir)"
  [ -d "$final" ] && return 0
  mkdir -p "$CACHE/debs"
  tmp="$final.tmp.$$"
  local old
  for old in "$final".tmp.*; do remove_tree "$old"; done
  log "building root filesystem (debootstrap, takes minutes) -> $final"
  debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" --cache-dir="$CACHE/debs" \
    bookworm "$tmp" "$DEBIAN_MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || die "debootstrap failed, see $CACHE/debootstrap.log"
  customize_rootfs "$tmp"
  unmount_below "$tmp"
  mv "$tmp" "$final"
  # Older root filesystems (other package lists) are unused: up stopped every machine.
  for old in "$CACHE"/rootfs-*; do [ "$old" = "$final" ] || remove_tree "$old"; done
  log "root filesystem ready"
}

# ---------------------------------------------------------------- etcd mirror cache

mirror_dir() { echo "$CACHE/mirror-v2"; }

# Runs apt-get against a private sources list and state, never the host's.
private_apt() {
  local work=$1; shift
  apt-get -q -o Dir::Etc::sourcelist="$work/sources.list" -o Dir::Etc::sourceparts=/dev/null \
    -o Dir::Etc::preferences=/dev/null -o Dir::Etc::preferencesparts=/dev/null \
    -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" \
    -o APT::Sandbox::User=root "$@"
}

# Downloads etcd-server/etcd-client from one Debian suite and repacks them the
# way upstream publishes releases: vX/etcd-vX-linux-amd64.tar.gz + SHA256SUMS.
build_release() {
  local suite=$1 expected=$2 out=$3 work="$3/.work-$1"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/x"
  echo "deb $DEBIAN_MIRROR $suite main" >"$work/sources.list"
  private_apt "$work" update >"$work/apt.log" 2>&1 || die "apt-get update for $suite failed, see $work/apt.log"
  (cd "$work/debs" && private_apt "$work" download etcd-server etcd-client >>"$work/apt.log" 2>&1) \
    || die "apt-get download for $suite failed, see $work/apt.log"
  local deb
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
  local version
  version="$(dpkg-deb -f "$work"/debs/etcd-server_*.deb Version | sed -e 's/^[0-9]*://' -e 's/[-+~].*$//')"
  [ "$version" = "$expected" ] || log "WARNING: $suite has etcd $version, expected $expected"
  local name="etcd-v$version-linux-amd64" bin
  mkdir -p "$work/pack/$name" "$out/v$version"
  for bin in etcd etcdctl etcdutl; do
    [ -f "$work/x/usr/bin/$bin" ] && cp "$work/x/usr/bin/$bin" "$work/pack/$name/"
  done
  [ -x "$work/pack/$name/etcd" ] && [ -x "$work/pack/$name/etcdctl" ] || die "no etcd/etcdctl in $suite .debs"
  tar -C "$work/pack" --owner=0 --group=0 -czf "$out/v$version/$name.tar.gz" "$name"
  (cd "$out/v$version" && sha256sum "$name.tar.gz" >SHA256SUMS)
  echo "$version" >>"$out/versions"
  rm -rf "$work"
}

ensure_mirror() {
  local final tmp rel
  final="$(mirror_dir)"
  [ -f "$final/versions" ] && return 0
  tmp="$final.tmp.$$"
  rm -rf "$final".tmp.*
  mkdir -p "$tmp"
  log "building etcd mirror from Debian packages -> $final"
  for rel in $ETCD_RELEASES; do
    build_release "${rel%%:*}" "${rel#*:}" "$tmp"
  done
  mv "$tmp" "$final"
  log "etcd mirror ready: $(tr '\n' ' ' <"$final/versions")"
}

start_mirror_server() {
  local dir
  dir="$(mirror_dir)"
  setsid python3 -m http.server --bind "$HOST_ADDR" "$MIRROR_PORT" --directory "$dir" \
    >"$STATE/mirror.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/pids/mirror"
  local deadline=$((SECONDS + 10))
  until curl -fsS -o /dev/null "$MIRROR_URL/versions" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "mirror server did not answer on $MIRROR_URL, see $STATE/mirror.log"
    sleep 0.1
  done
  echo "$MIRROR_URL" >"$STATE/mirror-url"
}

# ---------------------------------------------------------------- object store
# S3Proxy with its filesystem backend, in its own JVM: its classpath is resolved once by Maven from
# s3proxy/pom.xml (cached by that file's hash) so its libraries never meet the operator's.
store_classpath() {
  local key file
  key="$(sha256sum "$SCRIPT_DIR/s3proxy/pom.xml" | cut -c1-12)"
  file="$CACHE/s3proxy-$key.classpath"
  if [ ! -s "$file" ]; then
    mkdir -p "$CACHE"
    mvn -B -q -f "$SCRIPT_DIR/s3proxy/pom.xml" dependency:build-classpath -Dmdep.outputFile="$file.tmp" \
      >"$CACHE/s3proxy-resolve.log" 2>&1 || die "resolving S3Proxy failed, see $CACHE/s3proxy-resolve.log"
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}

store_running() { pid_is "$(read_pid store)" java; }

cmd_store_start() {
  local dir="$STATE/store" cp
  store_running && return 0
  [ -s "$STATE/machines" ] || die "store: the testbed is down"
  cp="$(store_classpath)"
  mkdir -p "$dir/data/$STORE_BUCKET" "$STATE/pids"
  if [ ! -s "$dir/credentials" ]; then
    printf 'etcdvm-test %s\n' "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$dir/credentials"
    chmod 600 "$dir/credentials"
  fi
  local identity credential
  read -r identity credential <"$dir/credentials"
  cat >"$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=$STORE_URL
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$identity
s3proxy.credential=$credential
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/data
CONF
  setsid java -Xmx256m -DLOG_LEVEL=warn -cp "$(cat "$cp")" org.gaul.s3proxy.Main --properties "$dir/s3proxy.conf" \
    >>"$STATE/store.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/pids/store"
  local deadline=$((SECONDS + 30))
  until curl -sS -o /dev/null "$STORE_URL/" 2>/dev/null; do
    store_running || die "S3Proxy exited, see $STATE/store.log"
    [ $SECONDS -lt $deadline ] || die "S3Proxy did not answer on $STORE_URL, see $STATE/store.log"
    sleep 0.1
  done
  printf '%s %s\n' "$STORE_URL" "$STORE_BUCKET" >"$STATE/store-url"
  log "store: S3 API on $STORE_URL, bucket $STORE_BUCKET"
}

cmd_store_stop() {
  local pid
  pid="$(read_pid store)"
  if pid_is "$pid" java; then kill -KILL "$pid"; wait_gone "$pid" 5 || true; fi
  rm -f "$STATE/pids/store"
}

cmd_store() {
  case "${1:-}" in
    up|start) cmd_store_start ;;
    stop)     cmd_store_stop; log "store stopped (data kept)" ;;
    down)     cmd_store_stop; rm -rf "$STATE/store" "$STATE/store-url"; log "store down" ;;
    *)        usage ;;
  esac
}

# ---------------------------------------------------------------- keys

ensure_keys() {
  [ -f "$STATE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C etcdvm-testbed -f "$STATE/id_ed25519"
  chmod 600 "$STATE/id_ed25519"
}

# A machine's host key lives outside its disk so that --wipe can keep it.
ensure_host_key() {
  local dir="$STATE/hostkeys/$1"
  mkdir -p "$dir"
  [ -f "$dir/ssh_host_ed25519_key" ] \
    || ssh-keygen -q -t ed25519 -N '' -C "root@$1" -f "$dir/ssh_host_ed25519_key"
}

known_hosts_line() {
  local name=$1
  printf '%s %s\n' "$(machine_addr "$name")" "$(cut -d' ' -f1,2 "$STATE/hostkeys/$name/ssh_host_ed25519_key.pub")"
}

# ---------------------------------------------------------------- network

setup_bridge() {
  ip link add "$BRIDGE" type bridge forward_delay 0 stp_state 0
  ip addr add "$HOST_ADDR/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

# Deliberately no default route inside: a machine can reach only this /24.
setup_machine_net() {
  local name=$1 ns veth addr
  ns="$(netns_name "$name")"; veth="$(veth_name "$name")"; addr="$(machine_addr "$name")"
  ip netns add "$ns"
  ip link add "$veth" type veth peer name eth0 netns "$ns"
  ip link set "$veth" master "$BRIDGE" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
}

teardown_network() {
  local ns veth
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^etcdvm-vm[0-9]*$' || true); do
    ip netns del "$ns" 2>/dev/null || true   # takes eth0 and its host-side veth peer with it
  done
  # A namespace still pinned by a dying process outlives `ip netns del` and keeps its veth pair:
  # delete our host-side ends by name so the next `up` can create them again.
  for veth in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^ve-etcdvm[0-9]*$' || true); do
    ip link del "$veth" 2>/dev/null || true
  done
  if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link del "$BRIDGE"; fi
}

# ---------------------------------------------------------------- disks

# Disk = overlayfs (lower: shared cached rootfs, upper: per machine) mounted at
# <mdir>/root; falls back to a full copy where overlayfs does not work.
mount_disk() {
  local name=$1 d
  d="$(mdir "$name")"
  mkdir -p "$d/root"
  [ "$(cat "$d/mode" 2>/dev/null)" = copy ] && return 0
  mountpoint -q "$d/root" && return 0
  mkdir -p "$d/upper" "$d/work"
  if mount -t overlay overlay -o "lowerdir=$(rootfs_dir),upperdir=$d/upper,workdir=$d/work" "$d/root" 2>/dev/null; then
    echo overlay >"$d/mode"
  else
    [ ! -f "$d/mode" ] || die "overlay mount for $name failed but its disk is an overlay"
    log "overlayfs unavailable, copying root filesystem for $name"
    rm -rf "$d/upper" "$d/work"
    cp -a --reflink=auto "$(rootfs_dir)/." "$d/root/"
    echo copy >"$d/mode"
  fi
}

unmount_disk() {
  local d
  d="$(mdir "$1")"
  if mountpoint -q "$d/root" 2>/dev/null; then umount "$d/root" || umount -l "$d/root"; fi
}

# Per-machine identity: host key, login keys, machine id, names of peers.
provision_disk() {
  local name=$1 root ops_ids
  root="$(mdir "$name")/root"
  install -m 600 "$STATE/hostkeys/$name/ssh_host_ed25519_key" "$root/etc/ssh/"
  install -m 644 "$STATE/hostkeys/$name/ssh_host_ed25519_key.pub" "$root/etc/ssh/"
  install -d -m 700 "$root/root/.ssh" "$root/home/ops/.ssh"
  install -m 600 "$STATE/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
  install -m 600 "$STATE/id_ed25519.pub" "$root/home/ops/.ssh/authorized_keys"
  ops_ids="$(awk -F: '$1=="ops"{print $3":"$4}' "$root/etc/passwd")"
  chown -R "$ops_ids" "$root/home/ops/.ssh"
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"; echo >>"$root/etc/machine-id"
  { printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n'
    awk '{print $2, $1}' "$STATE/machines"; } >"$root/etc/hosts"
}

create_disk() {
  local name=$1
  remove_tree "$(mdir "$name")"
  mount_disk "$name"
  provision_disk "$name"
}

# ---------------------------------------------------------------- machine lifecycle

boot_machine() {
  local name=$1 d pid
  d="$(mdir "$name")"
  mount_disk "$name"
  power_on_nic "$name"
  setsid systemd-nspawn --quiet --register=no --keep-unit --link-journal=no --resolv-conf=off \
    --console=read-only --setenv=SYSTEMD_COLORS=0 --network-namespace-path="/run/netns/$(netns_name "$name")" \
    --machine="$name" --hostname="$name" -D "$d/root" -b \
    >>"$STATE/logs/$name.log" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$STATE/pids/$name"
  rm -f "$STATE/pids/$name.init"
  # Record the container's PID 1 as soon as it exists, so a crash can still
  # reach the PID namespace even if nspawn itself is gone.
  local deadline=$((SECONDS + 5))
  until [ -s "$STATE/pids/$name.init" ] || [ $SECONDS -ge $deadline ] || ! pid_is "$pid" systemd-nspawn; do
    record_init_pid "$name"
    [ -s "$STATE/pids/$name.init" ] || sleep 0.02
  done
}

# The container's PID 1 is a child of the nspawn process; killing it makes the
# kernel SIGKILL every process in the container's PID namespace.
find_container_init() {
  local nspawn=$1 f c
  for f in /proc/"$nspawn"/task/*/children; do
    for c in $(cat "$f" 2>/dev/null); do
      [ "$(cat "/proc/$c/comm" 2>/dev/null)" = systemd ] && { echo "$c"; return 0; }
    done
  done
  return 0
}

record_init_pid() {
  local name=$1 nspawn init
  nspawn="$(read_pid "$name")"
  init="$(find_container_init "$nspawn")"
  [ -z "$init" ] || echo "$init" >"$STATE/pids/$name.init"
}

# A powered-off machine must not answer at all (no RST from an empty netns):
# its own NIC goes down with it. The host-side veth is left alone, it is the
# partition switch.
power_off_nic() { ip -n "$(netns_name "$1")" link set eth0 down 2>/dev/null || true; }
power_on_nic()  { ip -n "$(netns_name "$1")" link set eth0 up; }

machine_running() {
  pid_is "$(read_pid "$1")" systemd-nspawn
}

wait_ssh() {
  local deadline=$((SECONDS + SSH_WAIT_SECONDS)) pending=("$@") still name
  while [ ${#pending[@]} -gt 0 ]; do
    still=()
    for name in "${pending[@]}"; do
      # Checked twice: right after a fork the recorded process may not show its final name yet.
      machine_running "$name" || { sleep 0.5; machine_running "$name"; } \
        || die "$name exited during boot (pid $(read_pid "$name"): $(cat "/proc/$(read_pid "$name")/comm" 2>/dev/null || echo gone)), see $STATE/logs/$name.log"
      ssh_ok "$(machine_addr "$name")" || still+=("$name")
    done
    pending=("${still[@]+"${still[@]}"}")
    [ ${#pending[@]} -eq 0 ] && break
    [ $SECONDS -lt $deadline ] || die "SSH did not answer within ${SSH_WAIT_SECONDS}s on: ${pending[*]} (logs in $STATE/logs)"
    sleep 0.3
  done
  for name in "$@"; do [ -s "$STATE/pids/$name.init" ] || record_init_pid "$name"; done
}

# Power loss: SIGKILL the container's PID 1 (takes the whole PID namespace)
# and the nspawn process.
kill_machine() {
  local name=$1 nspawn init
  nspawn="$(read_pid "$name")"
  init="$(read_pid "$name.init")"
  pid_is "$nspawn" systemd-nspawn && [ -z "$init" ] && init="$(find_container_init "$nspawn")"
  if pid_is "$init" systemd; then kill -KILL "$init" 2>/dev/null || true; fi
  if pid_is "$nspawn" systemd-nspawn; then
    kill -KILL "$nspawn" 2>/dev/null || true
    wait_gone "$nspawn" 10 || die "nspawn $nspawn of $name did not die"
  fi
  [ -z "$init" ] || wait_gone "$init" 10 || die "init $init of $name did not die"
  rm -f "$STATE/pids/$name" "$STATE/pids/$name.init"
  power_off_nic "$name"
  unmount_disk "$name"
}

# Clean shutdown: nspawn turns SIGTERM into a systemd poweroff.
stop_machine() {
  local name=$1 nspawn
  nspawn="$(read_pid "$name")"
  if pid_is "$nspawn" systemd-nspawn; then
    kill -TERM "$nspawn"
    wait_gone "$nspawn" 30 || { log "$name did not shut down in 30s, killing it"; kill_machine "$name"; }
  fi
  rm -f "$STATE/pids/$name" "$STATE/pids/$name.init"
  power_off_nic "$name"
  unmount_disk "$name"
}

# ---------------------------------------------------------------- commands

# Removes everything a previous run left behind: processes from our pid files,
# mounts under our state dir, our namespaces and bridge, machine disks.
cmd_down() {
  local f name pid
  if [ -d "$STATE/pids" ]; then
    for f in "$STATE"/pids/vm*; do
      [ -e "$f" ] || continue
      name="$(basename "$f")"; name="${name%.init}"
      kill_machine "$name"
    done
    pid="$(read_pid mirror)"
    if pid_is "$pid" python3 || pid_is "$pid" python; then kill "$pid"; wait_gone "$pid" 5 || kill -KILL "$pid"; fi
    rm -f "$STATE/pids/mirror"
    cmd_store_stop
  fi
  # Anything still mounted under our disks dir (e.g. after a crash of this script).
  if command -v nft >/dev/null 2>&1; then nft delete table bridge "$SPLIT_TABLE" 2>/dev/null || true; fi
  ip route show type blackhole 2>/dev/null | awk -v p="$NET_PREFIX." 'index($2, p) == 1 {print $2}' \
    | while read -r r; do ip route del blackhole "$r" 2>/dev/null || true; done
  teardown_network
  remove_tree "$STATE/disks"
  rm -rf "$STATE/store"
  rm -f "$STATE/machines" "$STATE/mirror-url" "$STATE/known_hosts" "$STATE/env" "$STATE/store-url"
}

write_facts() {
  local n=$1 i name
  : >"$STATE/machines"
  : >"$STATE/known_hosts"
  for ((i = 1; i <= n; i++)); do
    name="vm$i"
    echo "$name $(machine_addr "$name")" >>"$STATE/machines"
    known_hosts_line "$name" >>"$STATE/known_hosts"
  done
}

cmd_up() {
  local n=${1:-3} start=$SECONDS i name
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le "$MAX_MACHINES" ] || die "up: N must be 1..$MAX_MACHINES"
  preflight
  modprobe overlay 2>/dev/null || true
  mkdir -p "$STATE/pids" "$STATE/logs" "$CACHE"
  cmd_down
  # Cold caches: build root filesystem and mirror in parallel.
  local mirror_job=""
  if [ ! -f "$(mirror_dir)/versions" ]; then ensure_mirror & mirror_job=$!; fi
  ensure_rootfs
  [ -z "$mirror_job" ] || wait "$mirror_job" || die "building the etcd mirror failed"
  ensure_keys
  for ((i = 1; i <= n; i++)); do ensure_host_key "vm$i"; done
  write_facts "$n"
  setup_bridge
  start_mirror_server
  local names=()
  for ((i = 1; i <= n; i++)); do
    name="vm$i"; names+=("$name")
    : >"$STATE/logs/$name.log"
    setup_machine_net "$name"
    create_disk "$name"
    boot_machine "$name"
  done
  wait_ssh "${names[@]}"
  cmd_env >"$STATE/env"
  log "up: $n machines ready in $((SECONDS - start))s (disks: $(cat "$(mdir vm1)/mode"))"
}

cmd_status() {
  local name addr run reach
  if [ ! -s "$STATE/machines" ]; then echo "testbed is down"; return 0; fi
  while read -r name addr; do
    run=stopped; reach=no
    machine_running "$name" && run=running
    [ "$run" = running ] && ssh_ok "$addr" && reach=yes
    printf '%-5s %-13s %-8s ssh=%s\n' "$name" "$addr" "$run" "$reach"
  done <"$STATE/machines"
  local m=down
  curl -fsS -o /dev/null --max-time 2 "$MIRROR_URL/versions" 2>/dev/null && m=up
  echo "mirror $MIRROR_URL $m"
}

cmd_env() {
  local list="" name addr
  [ -s "$STATE/machines" ] || die "testbed is down"
  while read -r name addr; do list="$list $name=$addr"; done <"$STATE/machines"
  printf 'TESTBED_DIR=%q\n' "$STATE"
  printf 'TESTBED_SSH_KEY=%q\n' "$STATE/id_ed25519"
  printf 'TESTBED_KNOWN_HOSTS=%q\n' "$STATE/known_hosts"
  printf 'TESTBED_MIRROR_URL=%q\n' "$MIRROR_URL"
  printf 'TESTBED_ETCD_VERSIONS=%q\n' "$(tr '\n' ' ' <"$(mirror_dir)/versions" | sed 's/ $//')"
  printf 'TESTBED_MACHINES=%q\n' "${list# }"
}

cmd_crash() { require_known_machine "$1"; kill_machine "$1"; log "$1 crashed (SIGKILL)"; }
cmd_stop()  { require_known_machine "$1"; stop_machine "$1"; log "$1 stopped"; }

cmd_start() {
  local name=$1 wipe=${2:-}
  require_known_machine "$name"
  [ -z "$wipe" ] || [ "$wipe" = --wipe ] || die "start: unknown option '$wipe'"
  if machine_running "$name"; then
    [ -n "$wipe" ] || { log "$name already running"; return 0; }
    kill_machine "$name"
  fi
  [ -z "$wipe" ] || create_disk "$name"
  boot_machine "$name"
  wait_ssh "$name"
  log "$name started${wipe:+ on a fresh disk}"
}

cmd_partition() { require_known_machine "$1"; ip link set "$(veth_name "$1")" down; log "$1 partitioned"; }
cmd_heal()      { require_known_machine "$1"; ip link set "$(veth_name "$1")" up; log "$1 healed"; }
# A network split between two groups of machines: a bridge-family table drops what crosses it.
SPLIT_TABLE=etcdvm_split
cmd_split() {
  local a b
  nft add table bridge "$SPLIT_TABLE"
  nft add chain bridge "$SPLIT_TABLE" forward '{ type filter hook forward priority 0; policy accept; }'
  for a in $1; do
    require_known_machine "$a"
    for b in $2; do
      require_known_machine "$b"
      nft add rule bridge "$SPLIT_TABLE" forward iifname "$(veth_name "$a")" oifname "$(veth_name "$b")" drop
      nft add rule bridge "$SPLIT_TABLE" forward iifname "$(veth_name "$b")" oifname "$(veth_name "$a")" drop
    done
  done
  log "split: $1 | $2"
}
cmd_unsplit() { nft delete table bridge "$SPLIT_TABLE" 2>/dev/null || true; log "split healed"; }
# The host loses a machine (a route to nowhere for its address); the machine still reaches its peers.
cmd_cutoff()    { require_known_machine "$1"; ip route replace blackhole "$(machine_addr "$1")/32"; log "$1 cut off from the host"; }
cmd_reconnect() { require_known_machine "$1"; ip route del blackhole "$(machine_addr "$1")/32" 2>/dev/null || true; log "$1 reachable from the host"; }

cmd_alias()     { require_known_machine "$1"; ip -n "$(netns_name "$1")" addr add "$2/24" dev eth0; log "$1 also at $2"; }
cmd_unalias()   { require_known_machine "$1"; ip -n "$(netns_name "$1")" addr del "$2/24" dev eth0 || true; }

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

main() {
  local cmd=${1:-}; shift || true
  case "$cmd" in
    up)        take_lock; cmd_up "${1:-3}" ;;
    down)      preflight; take_lock; cmd_down; log "down" ;;
    status)    cmd_status ;;
    env)       cmd_env ;;
    check)     local p; p="$(preflight_problem)"; [ -z "$p" ] || { echo "$p"; exit 1; }; echo ok ;;
    deps)      install_host_packages ;;
    mirror)    preflight; mkdir -p "$CACHE"; ensure_mirror; mirror_dir ;;
    split)     [ $# -ge 2 ] || usage; preflight; take_lock; cmd_split "$1" "$2" ;;
    unsplit)   preflight; take_lock; cmd_unsplit ;;
    crash|stop|partition|heal|cutoff|reconnect)
               [ $# -ge 1 ] || usage; preflight; take_lock; "cmd_$cmd" "$1" ;;
    start)     [ $# -ge 1 ] || usage; preflight; take_lock; cmd_start "$1" "${2:-}" ;;
    alias|unalias)
               [ $# -ge 2 ] || usage; preflight; take_lock; "cmd_$cmd" "$1" "$2" ;;
    store)     [ $# -ge 1 ] || usage; take_lock; cmd_store "$1" ;;
    *)         usage ;;
  esac
}

main "$@"
