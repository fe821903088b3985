package dev.etcdvm.operator.reconciler.tls;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.pki.CertificateFacts;
import dev.etcdvm.operator.pki.CertificatePurpose;
import dev.etcdvm.operator.pki.CertificateRequest;
import dev.etcdvm.operator.pki.IssuedCertificate;
import dev.etcdvm.operator.pki.PkiException;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.kube.SecretStore;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps a cluster's certificates in Secrets it owns: a CA (generated, or the user's), a server and a
 * peer certificate per member, the operator's client certificate, and the consumer Secret. A
 * certificate is reissued only when its names changed, its CA changed, or it is due for renewal, so
 * repeated passes produce byte-identical files on the machines.
 */
public final class ClusterCertificates {
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final String OPERATOR_CLIENT = "etcd-vm-operator";
    static final String CONSUMER_CLIENT = "etcd-client";

    private final Clock clock;
    private final PhaseTimings timings;

    public ClusterCertificates(Clock clock, PhaseTimings timings) {
        this.timings = timings;
        this.clock = clock;
    }

    private static final String ENDPOINTS = "endpoints";

    public static String caSecretName(EtcdVmCluster c) {
        return c.getMetadata().getName() + "-ca";
    }

    public static String memberSecretName(EtcdVmCluster c) {
        return c.getMetadata().getName() + "-member-tls";
    }

    public static String clientSecretName(EtcdVmCluster c) {
        return c.getMetadata().getName() + "-client";
    }

    /** @param secrets the pass's Secrets, so each is read once however many certificates it holds */
    public ClusterTls ensure(EtcdVmCluster cluster, SecretStore secrets) {
        PhaseTimings.Stopwatch stopwatch = timings.start("certs");
        try {
            return issue(cluster, secrets);
        } finally {
            stopwatch.stop();
        }
    }

    private ClusterTls issue(EtcdVmCluster cluster, SecretStore secrets) {
        CertificateAuthority ca = authority(cluster, secrets);
        String caPem = ca.certificatePem();
        Map<String, String> stored = secrets.read(cluster, memberSecretName(cluster)).orElseGet(HashMap::new);
        Map<String, String> next = new HashMap<>(stored);
        Duration validity = Duration.ofDays(cluster.getSpec().getTls().getCertificateValidityDays());
        Duration renewBefore = Duration.ofDays(cluster.getSpec().getTls().getRenewBeforeDays());

        Map<String, MemberTls> members = new HashMap<>();
        List<Instant> expiries = new ArrayList<>(List.of(ca.notAfter()));
        for (MemberSpec member : cluster.getSpec().getMembers()) {
            Set<String> dns = new HashSet<>(Set.of(member.getName(), "localhost"));
            Set<String> ips = new HashSet<>(Set.of("127.0.0.1"));
            if (EtcdUrls.isIpLiteral(member.getAddress())) {
                ips.add(member.getAddress());
            } else {
                dns.add(member.getAddress());
            }
            IssuedCertificate server = keep(next, member.getName() + ".server", caPem, member.getName(), dns, ips,
                    CertificatePurpose.SERVER, validity, renewBefore, ca);
            IssuedCertificate peer = keep(next, member.getName() + ".peer", caPem, member.getName(), dns, ips,
                    CertificatePurpose.PEER, validity, renewBefore, ca);
            expiries.add(server.notAfter());
            expiries.add(peer.notAfter());
            members.put(member.getName(), new MemberTls(caPem,
                    server.certificatePem(), server.privateKeyPem(), peer.certificatePem(), peer.privateKeyPem()));
        }
        IssuedCertificate operator = keep(next, "operator", caPem, OPERATOR_CLIENT, Set.of(), Set.of(),
                CertificatePurpose.CLIENT, validity, renewBefore, ca);
        IssuedCertificate consumer = keep(next, "consumer", caPem, CONSUMER_CLIENT, Set.of(), Set.of(),
                CertificatePurpose.CLIENT, validity, renewBefore, ca);
        // Certificates of members no longer in the spec are dropped with their keys.
        Set<String> keep = cluster.getSpec().getMembers().stream().map(MemberSpec::getName).collect(Collectors.toSet());
        next.keySet().removeIf(k -> isMemberKey(k) && !keep.contains(k.substring(0, k.indexOf('.'))));
        secrets.write(cluster, memberSecretName(cluster), next);
        writeConsumerSecret(cluster, secrets, caPem, consumer);
        expiries.add(operator.notAfter());
        expiries.add(consumer.notAfter());
        return new ClusterTls(caPem, members, operator.certificatePem(), operator.privateKeyPem(),
                expiries.stream().min(Instant::compareTo).orElseThrow());
    }

    private static boolean isMemberKey(String key) {
        return key.endsWith(".server.crt") || key.endsWith(".server.key") || key.endsWith(".peer.crt")
                || key.endsWith(".peer.key");
    }

    /** The endpoints already published stand until {@link #publishEndpoints} has seen the members. */
    private static void writeConsumerSecret(EtcdVmCluster cluster, SecretStore secrets, String caPem,
            IssuedCertificate consumer) {
        int port = cluster.getSpec().getEtcd().getClientPort();
        String endpoints = publishedEndpoints(cluster, secrets).orElse(cluster.getSpec().getMembers().stream()
                .map(m -> EtcdUrls.clientUrl(m.getAddress(), port)).collect(Collectors.joining(",")));
        secrets.write(cluster, clientSecretName(cluster), Map.of(
                "ca.crt", caPem, "tls.crt", consumer.certificatePem(), "tls.key", consumer.privateKeyPem(),
                ENDPOINTS, endpoints));
    }

    /** Tells the cluster's clients where its members serve them now. */
    public void publishEndpoints(EtcdVmCluster cluster, SecretStore secrets, List<String> endpoints) {
        String joined = String.join(",", endpoints);
        secrets.read(cluster.getMetadata().getNamespace(), clientSecretName(cluster))
                .filter(data -> !joined.equals(data.get(ENDPOINTS))).ifPresent(data -> {
                    Map<String, String> next = new HashMap<>(data);
                    next.put(ENDPOINTS, joined);
                    secrets.write(cluster, clientSecretName(cluster), next);
                });
    }

    private static Optional<String> publishedEndpoints(EtcdVmCluster cluster, SecretStore secrets) {
        return secrets.read(cluster.getMetadata().getNamespace(), clientSecretName(cluster))
                .map(data -> data.get(ENDPOINTS)).filter(e -> !e.isEmpty());
    }

    /** Returns the stored certificate when still right, else issues and stores a new one. */
    private IssuedCertificate keep(Map<String, String> store, String key, String caPem, String commonName,
            Set<String> dns, Set<String> ips, CertificatePurpose purpose, Duration validity, Duration renewBefore,
            CertificateAuthority ca) {
        String certPem = store.get(key + ".crt");
        String keyPem = store.get(key + ".key");
        if (certPem != null && keyPem != null) {
            Optional<Instant> notAfter = stillRight(certPem, caPem, commonName, dns, ips, renewBefore, ca.notAfter());
            if (notAfter.isPresent()) {
                return new IssuedCertificate(certPem, keyPem, notAfter.get());
            }
        }
        IssuedCertificate issued = ca.issue(new CertificateRequest(commonName, sorted(dns), sorted(ips), purpose, validity));
        store.put(key + ".crt", issued.certificatePem());
        store.put(key + ".key", issued.privateKeyPem());
        return issued;
    }

    /**
     * The stored certificate's expiry when it may be kept; empty when it must be reissued. One that lasts
     * as long as its CA is kept even inside the renewal window: a new one could not last longer, and
     * reissuing it on every pass would only churn keys.
     */
    private Optional<Instant> stillRight(String certPem, String caPem, String commonName, Set<String> dns,
            Set<String> ips, Duration renewBefore, Instant caNotAfter) {
        try {
            CertificateFacts facts = CertificateFacts.inspect(certPem, caPem);
            boolean lastsLongEnough = facts.notAfter().isAfter(Instant.now(clock).plus(renewBefore))
                    || !facts.notAfter().isBefore(caNotAfter);
            boolean right = facts.signedBy() && facts.commonName().equals(commonName) && facts.dnsNames().equals(dns)
                    && facts.ipAddresses().equals(normalized(ips)) && lastsLongEnough;
            return right ? Optional.of(facts.notAfter()) : Optional.empty();
        } catch (PkiException e) {
            return Optional.empty();
        }
    }

    private static Set<String> normalized(Set<String> ips) {
        Set<String> out = new HashSet<>();
        for (String ip : ips) {
            try {
                out.add(InetAddress.getByName(ip).getHostAddress()); // literals only: no lookup happens
            } catch (UnknownHostException e) {
                out.add(ip);
            }
        }
        return out;
    }

    private static List<String> sorted(Set<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(null);
        return list;
    }

    /** The user's CA when given, else the cluster's own, created once. */
    private CertificateAuthority authority(EtcdVmCluster cluster, SecretStore secrets) {
        String namespace = cluster.getMetadata().getNamespace();
        var userCa = cluster.getSpec().getTls().getCaSecretRef();
        if (userCa != null) {
            Map<String, String> data = secrets.read(namespace, userCa.getName())
                    .orElseThrow(() -> new PkiException("CA Secret " + userCa.getName() + " does not exist"));
            return CertificateAuthority.fromPem(required(data, "ca.crt"), required(data, "ca.key"), clock);
        }
        Optional<Map<String, String>> stored = secrets.read(cluster, caSecretName(cluster));
        if (stored.isPresent() && stored.get().containsKey("ca.crt") && stored.get().containsKey("ca.key")) {
            return CertificateAuthority.fromPem(stored.get().get("ca.crt"), stored.get().get("ca.key"), clock);
        }
        CertificateAuthority generated = CertificateAuthority.generate(
                "etcd-ca " + namespace + "/" + cluster.getMetadata().getName(), CA_VALIDITY, clock);
        secrets.write(cluster, caSecretName(cluster),
                Map.of("ca.crt", generated.certificatePem(), "ca.key", generated.privateKeyPem()));
        return generated;
    }

    private static String required(Map<String, String> data, String key) {
        String value = data.get(key);
        if (value == null) {
            throw new PkiException("CA Secret lacks " + key);
        }
        return value;
    }
}
