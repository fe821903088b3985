# shellcheck shell=sh
# snapshot-functions.sh: shell functions of the snapshot scripts (no arguments, defines only).
# ends_in FILE SHA256: the file's last 32 bytes are the database's SHA-256, as etcd sends it, or exit 4.
# restore_into DATA USER TOOL SNAPSHOT NAME INITIAL_CLUSTER TOKEN PEER BUMP [FLAG...]: the version's tool
#   (etcdctl on 3.4, etcdutl from 3.5, which also moves the revision forward by BUMP) writes beside DATA; the
#   member directory is moved in only when complete, so a broken restore never leaves half a member behind.
ends_in() {
  got=$(tail -c 32 "$1" | od -An -v -tx1 | tr -d ' \n')
  if [ "$got" != "$2" ]; then echo "snapshot ends in $got, expected $2" >&2; exit 4; fi
}
restore_into() {
  data=$1; user=$2; tool=$3; snap=$4; name=$5; cluster=$6; token=$7; peer=$8; bump=$9; shift 9
  work="$data.restoring"
  rm -rf -- "$work"
  case "$tool" in
    */etcdctl) ETCDCTL_API=3 "$tool" snapshot restore "$snap" --name "$name" --initial-cluster "$cluster" \
        --initial-cluster-token "$token" --initial-advertise-peer-urls "$peer" --data-dir "$work" "$@" >&2 ;;
    *) if [ "$bump" -gt 0 ]; then set -- "$@" --bump-revision "$bump" --mark-compacted; fi
       "$tool" snapshot restore "$snap" --name "$name" --initial-cluster "$cluster" \
        --initial-cluster-token "$token" --initial-advertise-peer-urls "$peer" --data-dir "$work" "$@" >&2 ;;
  esac
  chown -R "$user:$user" "$work"
  mv -T "$work/member" "$data/member"
  rm -rf -- "$work"
}
