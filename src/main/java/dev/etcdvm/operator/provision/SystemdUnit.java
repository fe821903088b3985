package dev.etcdvm.operator.provision;

/** The etcd.service unit. Type=notify: systemd reports it started only once etcd serves. */
public final class SystemdUnit {
    private SystemdUnit() {
    }

    public static String render(String memberName, String clusterRef, HostLayout layout) {
        return """
                # Managed by etcd-vm-operator; changes are overwritten.
                [Unit]
                Description=etcd member %1$s of %2$s
                Documentation=https://etcd.io/docs/
                After=network-online.target
                Wants=network-online.target

                [Service]
                Type=notify
                User=%3$s
                Group=%3$s
                EnvironmentFile=%4$s
                EnvironmentFile=-%5$s
                ExecStart=%6$s
                Restart=on-failure
                RestartSec=5
                LimitNOFILE=65536
                NoNewPrivileges=yes

                [Install]
                WantedBy=multi-user.target
                """.formatted(memberName, clusterRef, layout.runAsUser(), HostLayout.ENV_FILE,
                HostLayout.INITIAL_ENV_FILE, layout.etcdBinary());
    }
}
