package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * The few multi-step remote operations, as constant POSIX sh scripts. Values never become part of a
 * script's text: they are passed as positional arguments ("$1"...), each single-quoted by
 * RemoteCommand, so a hostile value stays data. Keeping the steps in one script saves round trips.
 */
final class RemoteScripts {
    private RemoteScripts() {
    }

    /**
     * Args: dataDir etcdBinary clientPort peerPort markerFile memberIdFile unitName installRecord
     * plannedRestartFile file...
     * Prints key=value lines; modification times let the next pass see a restart that a crashed pass left
     * pending. The directories are resolved (symlinks followed) and reported unsafe when anyone may write
     * to them or a filesystem is mounted inside; the installed etcd is only run to ask its version when
     * only root can have put it there.
     */
    static final String PROBE = """
            set -u
            data=$1; bin=$2; cport=$3; pport=$4; marker=$5; memberid=$6; unit=$7; record=$8; planned=$9; shift 9
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
                printf '%s\\n' "$ww" | sed "s|^|unsafe.$kind=|; s|\\$| is world-writable|"
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
            if ls "$data/member/wal" 2>/dev/null | grep -q '\\.wal$'; then echo data=member
            elif [ -d "$data" ] && [ -n "$(ls -A "$data" 2>/dev/null)" ]; then echo data=other
            elif [ -d "$data" ]; then echo data=empty
            else echo data=absent; fi
            if [ -f "$marker" ]; then echo "marker=$(head -c 100 "$marker")"; fi
            if [ -f "$memberid" ]; then echo "memberid=$(head -c 40 "$memberid")"; fi
            if [ -f "$planned" ]; then echo "planned=$(head -c 20 "$planned")"; fi
            unitprops=$(systemctl show -p ActiveState -p UnitFileState -p ActiveEnterTimestamp "$unit" 2>/dev/null)
            since=
            while IFS== read -r key value; do
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
                  while (match(rest, /users:\\(\\("[^"]*"/)) {
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
              { sha256sum -- "$@"; stat -c '%a %U %G %Y %n' -- "$@"; } \
                | awk -v n=$# 'NR <= n { sha[NR] = $1; next } { print "file=" sha[NR - n] " " $0 }'
            fi
            exit 0
            """;

    /** Args: user dataDir installDir configDir pkiDir. Creates the service user and directories with tight modes. */
    static final String LAYOUT = """
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
            """;

    /**
     * Args: unitName reload enable start (each yes|no). One round trip for what the service needs;
     * enable reloads the unit files itself. --no-block: a member of a new cluster only reports started
     * once a quorum of peers is up, so every member must be started before any of them finishes starting.
     */
    static final String SERVICE = """
            set -eu
            unit=$1; reload=$2; enable=$3; start=$4
            if [ "$reload" = yes ]; then systemctl daemon-reload; fi
            if [ "$enable" = yes ]; then systemctl enable --quiet "$unit"; fi
            if [ "$start" = yes ]; then systemctl start --no-block "$unit"; fi
            """;

    /** Args: groups of (staged dest mode owner group). Atomic replace: temp in the same dir, fsync, rename. */
    static final String INSTALL_FILES = """
            set -eu
            while [ $# -ge 5 ]; do
              src=$1; dst=$2; mode=$3; owner=$4; group=$5; shift 5
              install -m "$mode" -o "$owner" -g "$group" -T "$src" "$dst.tmp"
              sync "$dst.tmp"
              mv -f -T "$dst.tmp" "$dst"
            done
            """;

    /** Exit code of a destructive script that found the machine is not this cluster's: it changed nothing. */
    static final int EXIT_NOT_OWNED = 6;

    /**
     * The start of every destructive script (args marker uid ...): proves, on the machine and before
     * anything is done, that it carries this cluster's marker. Checked here and not from a probe, so no
     * crash, stale read or edited status can separate the check from the act.
     */
    private static final String OWNED = """
            set -u
            marker=$1; uid=$2; shift 2
            if [ ! -f "$marker" ]; then echo "no cluster marker $marker: not a machine of this cluster" >&2; exit 6; fi
            if [ "$(head -c 100 "$marker" | tr -d '\\n')" != "$uid" ]; then
              echo "cluster marker $marker names another EtcdVmCluster" >&2; exit 6
            fi
            """;

    /** Args: marker uid unitName plannedRestartFile. Restarts the service of this cluster's member, noting when. */
    static final String RESTART = OWNED + """
            date +%s > "$2"
            systemctl restart --no-block "$1"
            """;

    /**
     * Args: marker uid memberIdFile unitName dataDir user currentMemberId... Stops the service and moves
     * old member data aside (never deletes it), leaving an empty data dir; prints the archive's path.
     * Refuses data whose member id is unknown or is one etcd lists now.
     */
    static final String ARCHIVE_DATA = OWNED + """
            memberid=$1; unit=$2; data=$3; user=$4; shift 4
            have=$(head -c 40 "$memberid" 2>/dev/null || true)
            if [ -z "$have" ]; then echo "$data holds member data of no recorded member id: left as it is" >&2; exit 6; fi
            for current in "$@"; do
              if [ "$have" = "$current" ]; then echo "$data holds current member $have: left as it is" >&2; exit 6; fi
            done
            set -e
            systemctl stop "$unit" >/dev/null 2>&1 || true
            if [ -d "$data" ] && [ -n "$(ls -A "$data" 2>/dev/null)" ]; then
              archive="$data.archived-$(date -u +%Y%m%dT%H%M%SZ)"
              mv -T "$data" "$archive"
              echo "$archive"
            fi
            install -d -m 0700 -o "$user" -g "$user" "$data"
            """;

    /**
     * Args: marker uid memberIdFile memberId unitName unitFile configDir installRecord wipe(yes|no) currentMemberId...
     * Stops and disables the service; with wipe also removes the data (archives included) and binaries
     * the install record names, then configuration, certificates and unit. With a member id, a machine
     * that records another member's id is refused (one that records none, e.g. retired in the pass right
     * after it formed, is this cluster's by its marker and outside the spec, which is what retiring means),
     * and so is one recording a member etcd lists now: it runs that member, under another name or address.
     * Idempotent: a machine already stopped passes; one already wiped has no marker and is refused,
     * having nothing left of this cluster.
     */
    static final String RETIRE = OWNED + """
            memberid=$1; want=$2; unit=$3; unitfile=$4; conf=$5; record=$6; wipe=$7; shift 7
            have=$(head -c 40 "$memberid" 2>/dev/null || true)
            if [ -n "$want" ] && [ -n "$have" ] && [ "$have" != "$want" ]; then
              echo "holds member $have, not $want: left as it is" >&2; exit 6
            fi
            for current in "$@"; do
              if [ -n "$have" ] && [ "$have" = "$current" ]; then echo "runs current member $have: left as it is" >&2; exit 6; fi
            done
            systemctl disable --now "$unit" >/dev/null 2>&1 || systemctl stop "$unit" >/dev/null 2>&1 || true
            if systemctl is-active --quiet "$unit"; then echo "$unit is still active after stop" >&2; exit 1; fi
            systemctl reset-failed "$unit" >/dev/null 2>&1 || true
            if [ "$wipe" = yes ]; then
              set -e
              if [ -f "$record" ]; then
                while read -r kind path; do
                  case "$path" in /?*) ;; *) continue ;; esac
                  case "$kind" in
                    data) rm -rf -- "$path" "$path".archived-* ;;
                    bin) rm -f -- "$path/etcd" "$path/etcdctl" "$path/etcdutl" ;;
                  esac
                done < "$record"
              fi
              rm -f -- "$unitfile"
              rm -rf -- "$conf"
              systemctl daemon-reload
            fi
            exit 0
            """;

    /**
     * Shell functions of the snapshot scripts. {@code ends_in FILE SHA256}: the file's last 32 bytes are the
     * database's SHA-256, as etcd sends it, or the script exits 4. {@code restore_into DATA USER TOOL SNAPSHOT NAME
     * INITIAL_CLUSTER TOKEN PEER BUMP [FLAG...]}: the version's tool (etcdctl on 3.4, etcdutl from 3.5, which also
     * moves the revision forward by BUMP) writes beside DATA; the member directory is moved in only when complete,
     * so a broken restore never leaves half a member behind.
     */
    private static final String SNAPSHOT_FUNCTIONS = """
            ends_in() {
              got=$(tail -c 32 "$1" | od -An -v -tx1 | tr -d ' \\n')
              if [ "$got" != "$2" ]; then echo "snapshot ends in $got, expected $2" >&2; exit 4; fi
            }
            restore_into() {
              data=$1; user=$2; tool=$3; snap=$4; name=$5; cluster=$6; token=$7; peer=$8; bump=$9; shift 9
              work="$data.restoring"
              rm -rf -- "$work"
              case "$tool" in
                */etcdctl) ETCDCTL_API=3 "$tool" snapshot restore "$snap" --name "$name" --initial-cluster "$cluster" \\
                    --initial-cluster-token "$token" --initial-advertise-peer-urls "$peer" --data-dir "$work" "$@" >&2 ;;
                *) if [ "$bump" -gt 0 ]; then set -- "$@" --bump-revision "$bump" --mark-compacted; fi
                   "$tool" snapshot restore "$snap" --name "$name" --initial-cluster "$cluster" \\
                    --initial-cluster-token "$token" --initial-advertise-peer-urls "$peer" --data-dir "$work" "$@" >&2 ;;
              esac
              chown -R "$user:$user" "$work"
              mv -T "$work/member" "$data/member"
              rm -rf -- "$work"
            }
            """;

    /**
     * Args: marker uid snapshot sha256 tool name initialCluster token peerUrl dataDir user bumpBy. Restores the
     * data of a founding member from a snapshot: only on this cluster's machine, only into a data dir that
     * holds no member yet, only from a file ending in the expected SHA-256 (the tool checks the database
     * against it).
     */
    static final String RESTORE = OWNED + SNAPSHOT_FUNCTIONS + """
            snap=$1; want=$2; tool=$3; name=$4; cluster=$5; token=$6; peer=$7; data=$8; user=$9; bump=${10}
            if [ -e "$data/member" ]; then echo "$data already holds a member: not restored over" >&2; exit 6; fi
            ends_in "$snap" "$want"
            set -e
            restore_into "$data" "$user" "$tool" "$snap" "$name" "$cluster" "$token" "$peer" "$bump"
            """;

    /**
     * Args: marker uid memberIdFile memberId unitName dataDir stamp user tool snapshot sha256 name peerUrl token
     * bumpBy. Recovers a lost quorum on this machine, alone: proves the machine is this cluster's and its data the
     * chosen member's (by the member id recorded when it joined), stops etcd, moves the data dir to
     * {@code <dataDir>.recovery-<stamp>} (never deleted; the stamp may only be a time, so no argument can aim the move
     * elsewhere), and restores a one-member cluster with a new token into an empty data dir, from the archived
     * member's own database ({@code snapshot} empty, --skip-hash-check: a live database has no trailer) or from a
     * staged snapshot ending in {@code sha256}. Then etcd is started. Idempotent: a restored member beside this
     * recovery's archive is only started again; an archive with no restored member yet is restored from.
     */
    static final String RECOVER = OWNED + SNAPSHOT_FUNCTIONS + """
            memberid=$1; want=$2; unit=$3; data=$4; stamp=$5; user=$6; tool=$7; snap=$8; sha=$9
            name=${10}; peer=${11}; token=${12}; bump=${13}
            case "$stamp" in *[!0-9TZ]*|'') echo "archive stamp '$stamp' is not a time: nothing was changed" >&2; exit 2 ;; esac
            archive="$data.recovery-$stamp"
            if [ -d "$archive" ] && [ -e "$data/member" ]; then
              systemctl start --no-block "$unit"; echo "already recovered"; exit 0
            fi
            if [ ! -d "$archive" ]; then
              have=$(head -c 40 "$memberid" 2>/dev/null || true)
              if [ -n "$want" ] && [ "$have" != "$want" ]; then
                echo "$data holds member ${have:-of no recorded id}, not $want: left as it is" >&2; exit 6
              fi
              if [ -z "$snap" ] && [ ! -s "$data/member/snap/db" ]; then echo "$data holds no member database" >&2; exit 6; fi
              systemctl stop "$unit" >/dev/null 2>&1 || true
              if systemctl is-active --quiet "$unit"; then echo "$unit is still active after stop" >&2; exit 1; fi
              if [ -d "$data" ]; then mv -T "$data" "$archive"; else mkdir -p "$archive"; fi
            fi
            set -e
            install -d -m 0700 -o "$user" -g "$user" "$data"
            if [ -z "$snap" ]; then
              restore_into "$data" "$user" "$tool" "$archive/member/snap/db" "$name" "$name=$peer" "$token" "$peer" \\
                "$bump" --skip-hash-check
            else
              ends_in "$snap" "$sha"
              restore_into "$data" "$user" "$tool" "$snap" "$name" "$name=$peer" "$token" "$peer" "$bump"
            fi
            # The recorded member id named the old member; the new one is recorded once etcd lists it.
            rm -f -- "$memberid"
            systemctl start --no-block "$unit"
            """;

    /**
     * Args: snapshot sha256 tool. A restore drill, beside the member and never touching it: checks the file ends
     * in the expected SHA-256, reads it with the version's tool (printing its status as JSON), and restores it
     * into a scratch directory of its own, removed on exit, to prove it opens.
     */
    static final String DRILL = "set -eu\n" + SNAPSHOT_FUNCTIONS + """
            snap=$1; want=$2; tool=$3
            ends_in "$snap" "$want"
            scratch=$(mktemp -d /var/tmp/etcd-vm-operator-drill.XXXXXXXX)
            trap 'rm -rf -- "$scratch"' EXIT
            export ETCDCTL_API=3
            status=$("$tool" snapshot status "$snap" -w json)
            "$tool" snapshot restore "$snap" --name drill --initial-cluster drill=http://127.0.0.1:2380 \\
              --initial-advertise-peer-urls http://127.0.0.1:2380 --data-dir "$scratch/data" >/dev/null 2>&1 \\
              || { echo "the snapshot does not restore" >&2; exit 1; }
            if [ ! -s "$scratch/data/member/snap/db" ]; then echo "the restore left no database" >&2; exit 1; fi
            echo "$status"
            """;

    /** Exit code when the release has no checksum for the asset. */
    static final int EXIT_NO_CHECKSUM = 3;
    /** Exit code when the downloaded or pushed tarball does not match its checksum. */
    static final int EXIT_CHECKSUM_MISMATCH = 4;
    /** Exit code when the download itself failed. */
    static final int EXIT_DOWNLOAD_FAILED = 5;

    /**
     * Args: source (http(s) URL, or a staged file path) sumsUrl expectedSha asset installDir. Verifies
     * the tarball before anything is installed; binaries replace the old ones by rename.
     */
    static final String INSTALL_RELEASE = """
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
            """;

    /** @param name how messages call the script */
    static RemoteCommand privileged(String name, String script, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(args);
        return new RemoteCommand(argv, true, name + " script");
    }
}
