package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.api.v1alpha1.EtcdSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * etcd's settings for one member as systemd EnvironmentFile lines. Environment variables rather than
 * --config-file: with a config file etcd ignores every other flag and variable, which would force the
 * one-time initial-cluster settings into the same file and make every membership change rewrite it.
 */
public final class MemberConfig {
    private MemberConfig() {
    }

    public static String environment(MemberSpec member, EtcdSpec etcd) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ETCD_NAME", member.getName());
        env.put("ETCD_DATA_DIR", etcd.getDataDir());
        String listen = EtcdUrls.listenHost(member.getAddress());
        env.put("ETCD_LISTEN_CLIENT_URLS", "https://" + listen + ":" + etcd.getClientPort()
                + (listen.equals("0.0.0.0") ? "" : ",https://127.0.0.1:" + etcd.getClientPort()));
        env.put("ETCD_ADVERTISE_CLIENT_URLS", EtcdUrls.clientUrl(member.getAddress(), etcd.getClientPort()));
        env.put("ETCD_LISTEN_PEER_URLS", "https://" + listen + ":" + etcd.getPeerPort());
        env.put("ETCD_INITIAL_ADVERTISE_PEER_URLS", EtcdUrls.peerUrl(member.getAddress(), etcd.getPeerPort()));
        if (etcd.getMetricsPort() > 0) {
            // Plain HTTP on the member's own address: Prometheus scrapes it without a client certificate, and it
            // serves only /metrics and /health, never keys.
            env.put("ETCD_LISTEN_METRICS_URLS", "http://" + listen + ":" + etcd.getMetricsPort());
        }
        env.put("ETCD_CLIENT_CERT_AUTH", "true");
        env.put("ETCD_TRUSTED_CA_FILE", HostLayout.CA_CERT);
        env.put("ETCD_CERT_FILE", HostLayout.SERVER_CERT);
        env.put("ETCD_KEY_FILE", HostLayout.SERVER_KEY);
        env.put("ETCD_PEER_CLIENT_CERT_AUTH", "true");
        env.put("ETCD_PEER_TRUSTED_CA_FILE", HostLayout.CA_CERT);
        env.put("ETCD_PEER_CERT_FILE", HostLayout.PEER_CERT);
        env.put("ETCD_PEER_KEY_FILE", HostLayout.PEER_KEY);
        env.put("ETCD_HEARTBEAT_INTERVAL", String.valueOf(etcd.getHeartbeatIntervalMillis()));
        env.put("ETCD_ELECTION_TIMEOUT", String.valueOf(etcd.getElectionTimeoutMillis()));
        if (etcd.getQuotaBackendBytes() > 0) {
            env.put("ETCD_QUOTA_BACKEND_BYTES", String.valueOf(etcd.getQuotaBackendBytes()));
        }
        if (!"0".equals(etcd.getAutoCompactionRetention())) {
            env.put("ETCD_AUTO_COMPACTION_MODE", "periodic");
            env.put("ETCD_AUTO_COMPACTION_RETENTION", etcd.getAutoCompactionRetention());
        }
        return render(env);
    }

    /** One entry of ETCD_INITIAL_CLUSTER. */
    public record Peer(String name, String peerUrl) {
    }

    /** The initial cluster of a new cluster: every spec member. */
    public static String initialCluster(List<MemberSpec> members, EtcdSpec etcd, String state, String token) {
        return initialCluster(members.stream()
                .map(m -> new Peer(m.getName(), EtcdUrls.peerUrl(m.getAddress(), etcd.getPeerPort()))).toList(), state, token);
    }

    /**
     * @param state "new" when forming the cluster, "existing" when joining one
     * @param token unique per cluster resource, so two clusters' members can never merge by accident
     */
    public static String initialCluster(List<Peer> peers, String state, String token) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ETCD_INITIAL_CLUSTER", peers.stream().map(p -> p.name() + "=" + p.peerUrl())
                .collect(Collectors.joining(",")));
        env.put("ETCD_INITIAL_CLUSTER_STATE", state);
        env.put("ETCD_INITIAL_CLUSTER_TOKEN", token);
        return render(env);
    }

    /**
     * For a member that has data: etcd ignores initial settings then, and without data it cannot start on
     * these (no initial cluster to join), so it never comes back as a new cluster.
     */
    public static String sealedInitialCluster() {
        return render(Map.of("ETCD_INITIAL_CLUSTER_STATE", "existing"));
    }

    private static String render(Map<String, String> env) {
        return "# Managed by etcd-vm-operator; changes are overwritten.\n" + env.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n"));
    }
}
