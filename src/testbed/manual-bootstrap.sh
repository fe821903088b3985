#!/usr/bin/env bash
# The manual procedure the operator replaces, done "by hand" on the testbed as fast as a person with
# a script could: certificates with openssl, then every machine in parallel over ssh (download,
# verify, install, copy certificates, write env file and unit, start), then wait for
# `etcdctl endpoint health`. `make bench` times it as the baseline.
# Usage: manual-bootstrap.sh VERSION ADDRESS...
set -euo pipefail

version=$1; shift
addresses=("$@")
state="${TESTBED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/target/testbed}"
mirror="$(cat "$state/mirror-url")"
asset="etcd-v$version-linux-amd64.tar.gz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
opts=(-i "$state/id_ed25519" -o UserKnownHostsFile="$state/known_hosts" -o StrictHostKeyChecking=yes -o BatchMode=yes)

# One CA, one certificate per member used for both client and peer traffic (as the manual guides do).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=etcd-ca -days 365 \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
cluster=""
for i in "${!addresses[@]}"; do
  a=${addresses[$i]}; n="etcd-$((i + 1))"
  cluster="${cluster:+$cluster,}$n=https://$a:2380"
  printf 'subjectAltName=IP:%s,IP:127.0.0.1,DNS:localhost,DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$a" "$n" >"$work/$n.ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$n" \
    -keyout "$work/$n.key" -out "$work/$n.csr" 2>/dev/null
  openssl x509 -req -in "$work/$n.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -days 365 \
    -extfile "$work/$n.ext" -out "$work/$n.crt" 2>/dev/null
done

provision() {
  local a=$1 n=$2
  ssh "${opts[@]}" "root@$a" "set -e; cd /var/tmp
    curl -fsSLO $mirror/v$version/$asset; curl -fsSLO $mirror/v$version/SHA256SUMS
    grep ' $asset\$' SHA256SUMS | sha256sum -c --quiet
    tar -xzf $asset; install -m 0755 etcd-v$version-linux-amd64/etcd etcd-v$version-linux-amd64/etcdctl /usr/local/bin/
    id -u etcd >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin etcd
    install -d -m 0700 -o etcd -g etcd /var/lib/etcd; install -d -m 0750 -o root -g etcd /etc/etcd/pki"
  scp -q "${opts[@]}" "$work/ca.crt" "$work/$n.crt" "$work/$n.key" "root@$a:/etc/etcd/pki/"
  ssh "${opts[@]}" "root@$a" "set -e; chown etcd /etc/etcd/pki/$n.key; chmod 600 /etc/etcd/pki/$n.key
    cat >/etc/etcd/etcd.env <<ENV
ETCD_NAME=$n
ETCD_DATA_DIR=/var/lib/etcd
ETCD_LISTEN_CLIENT_URLS=https://$a:2379,https://127.0.0.1:2379
ETCD_ADVERTISE_CLIENT_URLS=https://$a:2379
ETCD_LISTEN_PEER_URLS=https://$a:2380
ETCD_INITIAL_ADVERTISE_PEER_URLS=https://$a:2380
ETCD_INITIAL_CLUSTER=$cluster
ETCD_INITIAL_CLUSTER_STATE=new
ETCD_INITIAL_CLUSTER_TOKEN=manual
ETCD_CLIENT_CERT_AUTH=true
ETCD_TRUSTED_CA_FILE=/etc/etcd/pki/ca.crt
ETCD_CERT_FILE=/etc/etcd/pki/$n.crt
ETCD_KEY_FILE=/etc/etcd/pki/$n.key
ETCD_PEER_CLIENT_CERT_AUTH=true
ETCD_PEER_TRUSTED_CA_FILE=/etc/etcd/pki/ca.crt
ETCD_PEER_CERT_FILE=/etc/etcd/pki/$n.crt
ETCD_PEER_KEY_FILE=/etc/etcd/pki/$n.key
ENV
    cat >/etc/systemd/system/etcd.service <<UNIT
[Service]
Type=notify
User=etcd
EnvironmentFile=/etc/etcd/etcd.env
ExecStart=/usr/local/bin/etcd
Restart=on-failure
RestartSec=5
LimitNOFILE=65536
[Install]
WantedBy=multi-user.target
UNIT
    systemctl daemon-reload; systemctl enable --quiet etcd; systemctl start --no-block etcd"
}

for i in "${!addresses[@]}"; do provision "${addresses[$i]}" "etcd-$((i + 1))" & done
wait

endpoints=$(printf 'https://%s:2379,' "${addresses[@]}"); endpoints=${endpoints%,}
until ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --cacert="$work/ca.crt" --cert="$work/etcd-1.crt" \
    --key="$work/etcd-1.key" --command-timeout=2s endpoint health >/dev/null 2>&1; do
  sleep 0.1
done
