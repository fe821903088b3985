package dev.etcdvm.operator.reconciler.tls;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.pki.CertificateFacts;
import dev.etcdvm.operator.pki.CertificatePurpose;
import dev.etcdvm.operator.pki.CertificateRequest;
import dev.etcdvm.operator.pki.IssuedCertificate;
import dev.etcdvm.operator.pki.PkiException;
import dev.etcdvm.operator.pki.TrustBundle;
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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a cluster's certificates in Secrets it owns: a CA (generated, or the user's), a server and a
 * peer certificate per member, the operator's client certificate, and the consumer Secret. A
 * certificate is reissued only when its names changed, its CA changed, or it is due for renewal, so
 * repeated passes produce byte-identical files on the machines.
 *
 * <p>A new CA (another Secret named, the user's renewed, the generated one replaced) is rotated in by
 * {@link #advance}, one {@link CaRotation.Phase} at a time; what members are told to trust is recorded
 * in the member Secret, so a fresh operator goes on where the last one stopped.
 */
public final class ClusterCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCertificates.class);
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
    /** In the member Secret: the CAs members are told to trust, and during a rotation what they were told before. */
    static final String TRUSTED = "trusted.crt";
    static final String TRUSTED_BEFORE = "trusted-before.crt";
    /** In the generated CA's Secret: the rotate-ca annotation value that CA was made for. */
    private static final String MADE_FOR = "rotation-request";

    public static String caSecretName(EtcdVmCluster c) {
        return c.getMetadata().getName() + "-ca";
    }

    public static String memberSecretName(EtcdVmCluster c) {
        return c.getMetadata().getName() + "-member-tls";
    }

    public static String clientSecretName(EtcdVmCluster c) {
        return c.getMetadata().getName() + "-client";
    }

    /**
     * The certificates of this pass, issued where missing or due, without moving a CA rotation on.
     *
     * @param secrets the pass's Secrets, so each is read once however many certificates it holds
     */
    public ClusterTls ensure(EtcdVmCluster cluster, SecretStore secrets) {
        PhaseTimings.Stopwatch stopwatch = timings.start("certs");
        try {
            Stored stored = load(cluster, secrets);
            return issue(cluster, secrets, stored, stored.phase(), false);
        } finally {
            stopwatch.stop();
        }
    }

    /** A rotation moved to its next phase: the certificates that phase asks for, and what to tell the user. */
    public record Advanced(ClusterTls tls, CaRotation.Phase from, CaRotation.Phase to) {
    }

    /**
     * Moves a CA rotation one phase on. Call it only when every member's machine holds, and its etcd has
     * loaded, the files of the current phase: that is what makes the next one safe.
     */
    public Optional<Advanced> advance(EtcdVmCluster cluster, SecretStore secrets) {
        Stored stored = load(cluster, secrets);
        CaRotation.Phase from = stored.phase();
        Stored next;
        switch (from) {
            case Pending -> next = stored.trusting(stored.trusted().plus(stored.target().certificatePem()));
            case NewCertificates -> next = stored.trusting(TrustBundle.of(stored.target().certificatePem()));
            case DropOld -> next = new Stored(stored.target(), stored.data(), stored.trusted(), Optional.empty());
            case TrustBoth -> {
                return Optional.of(new Advanced(issue(cluster, secrets, stored, CaRotation.Phase.NewCertificates, true),
                        from, CaRotation.Phase.NewCertificates));
            }
            default -> {
                return Optional.empty();
            }
        }
        ClusterTls tls = issue(cluster, secrets, next, next.phase(), false);
        return Optional.of(new Advanced(tls, from, next.phase()));
    }

    /**
     * What the cluster's Secrets hold: the CA to issue from, the stored certificates, the CAs members are told
     * to trust and, during a rotation, what they were told before.
     */
    private record Stored(CertificateAuthority target, Map<String, String> data, TrustBundle trusted,
            Optional<TrustBundle> before) {

        CaRotation.Phase phase() {
            String ca = target.certificatePem();
            if (!trusted.contains(ca)) {
                return CaRotation.Phase.Pending;
            }
            if (!trusted.only(ca)) {
                return allIssuedBy(ca) ? CaRotation.Phase.NewCertificates : CaRotation.Phase.TrustBoth;
            }
            return before.filter(b -> !b.equals(trusted)).isPresent() ? CaRotation.Phase.DropOld : CaRotation.Phase.None;
        }

        Stored trusting(TrustBundle next) {
            return new Stored(target, data, next, Optional.of(trusted));
        }

        private boolean allIssuedBy(String ca) {
            TrustBundle issuer = TrustBundle.of(ca);
            return data.entrySet().stream().filter(e -> isLeafCertificate(e.getKey())).allMatch(e -> {
                try {
                    return issuer.signerOf(e.getValue()).isPresent();
                } catch (PkiException unreadable) {
                    return false;
                }
            });
        }
    }

    private Stored load(EtcdVmCluster cluster, SecretStore secrets) {
        CertificateAuthority target = authority(cluster, secrets);
        Map<String, String> data = new HashMap<>(secrets.read(cluster, memberSecretName(cluster)).orElseGet(Map::of));
        // Clusters formed before the trusted CAs were recorded trust the CA their clients were given.
        TrustBundle trusted = Optional.ofNullable(data.get(TRUSTED))
                .or(() -> secrets.read(cluster.getMetadata().getNamespace(), clientSecretName(cluster))
                        .map(d -> d.get("ca.crt")))
                .map(TrustBundle::parse).orElseGet(() -> TrustBundle.of(target.certificatePem()));
        Optional<TrustBundle> before = Optional.ofNullable(data.get(TRUSTED_BEFORE)).map(TrustBundle::parse);
        return new Stored(target, data, trusted, before);
    }

    private ClusterTls issue(EtcdVmCluster cluster, SecretStore secrets, Stored stored, CaRotation.Phase phase,
            boolean reissueAll) {
        CertificateAuthority ca = stored.target();
        // Until members trust the new CA, certificates of the old one stay; a missing one can only come from the new.
        Signers signers = new Signers(stored.trusted(), ca.certificatePem(),
                phase == CaRotation.Phase.Pending || phase == CaRotation.Phase.TrustBoth, reissueAll);
        Map<String, String> next = new HashMap<>(stored.data());
        Duration validity = Duration.ofDays(cluster.getSpec().getTls().getCertificateValidityDays());
        Duration renewBefore = Duration.ofDays(cluster.getSpec().getTls().getRenewBeforeDays());
        String trustedPem = stored.trusted().pem();

        Map<String, MemberTls> members = new HashMap<>();
        List<Instant> leaves = new ArrayList<>();
        List<LeafRenewal> renewals = new ArrayList<>();
        for (MemberSpec member : cluster.getSpec().getMembers()) {
            Set<String> dns = new HashSet<>(Set.of(member.getName(), "localhost"));
            Set<String> ips = new HashSet<>(Set.of("127.0.0.1"));
            if (EtcdUrls.isIpLiteral(member.getAddress())) {
                ips.add(member.getAddress());
            } else {
                dns.add(member.getAddress());
            }
            IssuedCertificate server = keep(next, new Wanted(member.getName() + ".server", member.getName() + " server",
                    member.getName(), dns, ips, CertificatePurpose.SERVER), signers, validity, renewBefore, ca, renewals);
            IssuedCertificate peer = keep(next, new Wanted(member.getName() + ".peer", member.getName() + " peer",
                    member.getName(), dns, ips, CertificatePurpose.PEER), signers, validity, renewBefore, ca, renewals);
            leaves.add(server.notAfter());
            leaves.add(peer.notAfter());
            members.put(member.getName(), new MemberTls(trustedPem,
                    server.certificatePem(), server.privateKeyPem(), peer.certificatePem(), peer.privateKeyPem()));
        }
        IssuedCertificate operator = keep(next, new Wanted("operator", "operator client", OPERATOR_CLIENT, Set.of(),
                Set.of(), CertificatePurpose.CLIENT), signers, validity, renewBefore, ca, renewals);
        IssuedCertificate consumer = keep(next, new Wanted("consumer", "consumer client", CONSUMER_CLIENT, Set.of(),
                Set.of(), CertificatePurpose.CLIENT), signers, validity, renewBefore, ca, renewals);
        // Certificates of members no longer in the spec are dropped with their keys.
        Set<String> keep = cluster.getSpec().getMembers().stream().map(MemberSpec::getName).collect(Collectors.toSet());
        next.keySet().removeIf(k -> isMemberKey(k) && !keep.contains(k.substring(0, k.indexOf('.'))));
        next.put(TRUSTED, trustedPem);
        stored.before().ifPresentOrElse(b -> next.put(TRUSTED_BEFORE, b.pem()), () -> next.remove(TRUSTED_BEFORE));
        secrets.write(cluster, memberSecretName(cluster), next);
        writeConsumerSecret(cluster, secrets, trustedPem, consumer);
        leaves.add(operator.notAfter());
        leaves.add(consumer.notAfter());
        Instant leafNotAfter = leaves.stream().min(Instant::compareTo).orElseThrow();
        return new ClusterTls(trustedPem, members, operator.certificatePem(), operator.privateKeyPem(),
                rotation(cluster, stored, phase, leafNotAfter), renewals);
    }

    private CaRotation rotation(EtcdVmCluster cluster, Stored stored, CaRotation.Phase phase, Instant leafNotAfter) {
        String ca = stored.target().certificatePem();
        List<String> known = new ArrayList<>(List.of(stored.trusted().pem()));
        stored.before().map(TrustBundle::pem).filter(b -> !known.contains(b)).ifPresent(known::add);
        Optional<Instant> previous = phase == CaRotation.Phase.None ? Optional.empty()
                : Stream.concat(stored.trusted().others(ca).stream(),
                        stored.before().map(b -> b.others(ca)).orElse(List.of()).stream())
                        .map(TrustBundle::notAfter).min(Instant::compareTo);
        return new CaRotation(phase, stored.target().notAfter(), previous, leafNotAfter, List.copyOf(known),
                renewalProblem(cluster, stored.target()));
    }

    /** Only a CA of the user's own cannot be renewed here: the generated one is replaced before it runs out. */
    private Optional<String> renewalProblem(EtcdVmCluster cluster, CertificateAuthority ca) {
        var userCa = cluster.getSpec().getTls().getCaSecretRef();
        Duration renewBefore = Duration.ofDays(cluster.getSpec().getTls().getRenewBeforeDays());
        if (userCa == null || ca.notAfter().isAfter(Instant.now(clock).plus(renewBefore))) {
            return Optional.empty();
        }
        return Optional.of("the CA in Secret " + userCa.getName() + " expires at " + ca.notAfter()
                + ", within renewBeforeDays; no certificate can outlive it: put a renewed CA in that Secret"
                + " (or name another) and the cluster rotates to it without downtime");
    }

    /**
     * Which stored certificates may be kept, and by whom new ones are signed.
     *
     * @param keepOld certificates of an old CA still trusted are kept (members do not trust the new one yet)
     * @param reissueAll every certificate is issued again from the new CA
     */
    private record Signers(TrustBundle trusted, String issuing, boolean keepOld, boolean reissueAll) {
        Optional<String> acceptableSigner(String certPem) {
            if (reissueAll) {
                return Optional.empty();
            }
            return trusted.signerOf(certPem).filter(signer -> keepOld || TrustBundle.of(issuing).contains(signer));
        }
    }

    private static boolean isLeafCertificate(String key) {
        return key.endsWith(".crt") && !key.equals(TRUSTED) && !key.equals(TRUSTED_BEFORE);
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

    /** What one certificate must be; {@code label} names it in Events. */
    private record Wanted(String key, String label, String commonName, Set<String> dns, Set<String> ips,
            CertificatePurpose purpose) {
    }

    /**
     * Returns the stored certificate when still right, else issues and stores a new one: for the stored key when
     * there is one (see {@link CertificateAuthority#renew}), noting why in {@code renewals}.
     */
    private IssuedCertificate keep(Map<String, String> store, Wanted wanted, Signers signers, Duration validity,
            Duration renewBefore, CertificateAuthority ca, List<LeafRenewal> renewals) {
        String certPem = store.get(wanted.key() + ".crt");
        String keyPem = store.get(wanted.key() + ".key");
        CertificateRequest request = new CertificateRequest(wanted.commonName(), sorted(wanted.dns()),
                sorted(wanted.ips()), wanted.purpose(), validity);
        IssuedCertificate issued;
        if (certPem != null && keyPem != null) {
            Verdict verdict = verdict(certPem, signers, wanted, renewBefore);
            if (verdict.cause().isEmpty()) {
                return new IssuedCertificate(certPem, keyPem, verdict.notAfter());
            }
            issued = ca.renew(request, certPem, keyPem);
            renewals.add(new LeafRenewal(wanted.label(), verdict.cause().get()));
        } else {
            issued = ca.issue(request);
        }
        store.put(wanted.key() + ".crt", issued.certificatePem());
        store.put(wanted.key() + ".key", issued.privateKeyPem());
        return issued;
    }

    /** A stored certificate's expiry, and why it cannot be kept (empty: it can). */
    private record Verdict(Instant notAfter, Optional<LeafRenewal.Cause> cause) {
        static Verdict renew(LeafRenewal.Cause cause) {
            return new Verdict(Instant.EPOCH, Optional.of(cause));
        }
    }

    /**
     * Whether the stored certificate may be kept. One that lasts as long as its CA is kept even inside the
     * renewal window: a new one could not last longer, and reissuing it on every pass would only churn.
     */
    private Verdict verdict(String certPem, Signers signers, Wanted wanted, Duration renewBefore) {
        try {
            Optional<String> signer = signers.acceptableSigner(certPem);
            if (signer.isEmpty()) {
                return Verdict.renew(LeafRenewal.Cause.ISSUER_CHANGED);
            }
            CertificateFacts facts = CertificateFacts.inspect(certPem, signer.get());
            if (!facts.signedBy()) {
                return Verdict.renew(LeafRenewal.Cause.ISSUER_CHANGED);
            }
            if (!facts.commonName().equals(wanted.commonName()) || !facts.dnsNames().equals(wanted.dns())
                    || !facts.ipAddresses().equals(normalized(wanted.ips()))) {
                return Verdict.renew(LeafRenewal.Cause.NAMES_CHANGED);
            }
            if (!facts.fits(wanted.purpose())) {
                return Verdict.renew(LeafRenewal.Cause.KEY_USAGE);
            }
            boolean lastsLongEnough = facts.notAfter().isAfter(Instant.now(clock).plus(renewBefore))
                    || !facts.notAfter().isBefore(TrustBundle.notAfter(signer.get()));
            return lastsLongEnough ? new Verdict(facts.notAfter(), Optional.empty())
                    : Verdict.renew(LeafRenewal.Cause.EXPIRING);
        } catch (PkiException unreadable) {
            return Verdict.renew(LeafRenewal.Cause.ISSUER_CHANGED);
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
        String request = cluster.caRotationRequest().orElse("");
        if (stored.isPresent() && stored.get().containsKey("ca.crt") && stored.get().containsKey("ca.key")) {
            CertificateAuthority kept = CertificateAuthority.fromPem(stored.get().get("ca.crt"), stored.get().get("ca.key"),
                    clock);
            boolean requested = !request.isEmpty() && !request.equals(stored.get().getOrDefault(MADE_FOR, ""));
            if (!requested && !dueForRenewal(cluster, kept)) {
                return kept;
            }
            LOG.info("replacing the CA of {}/{}: {}", namespace, cluster.getMetadata().getName(),
                    requested ? "asked for by " + EtcdVmCluster.ROTATE_CA_ANNOTATION : "it expires at " + kept.notAfter());
        }
        // A lost CA Secret is made again too: members are rotated to the new CA as to any other.
        CertificateAuthority generated = CertificateAuthority.generate(
                "etcd-ca " + namespace + "/" + cluster.getMetadata().getName(), CA_VALIDITY, clock);
        secrets.write(cluster, caSecretName(cluster), Map.of("ca.crt", generated.certificatePem(),
                "ca.key", generated.privateKeyPem(), MADE_FOR, request));
        return generated;
    }

    /**
     * The generated CA is replaced while it still has a leaf certificate's lifetime to go (never less than
     * half its own), so certificates issued from it are never cut short by its expiry.
     */
    private boolean dueForRenewal(EtcdVmCluster cluster, CertificateAuthority ca) {
        Duration leaf = Duration.ofDays(cluster.getSpec().getTls().getCertificateValidityDays());
        Duration window = leaf.compareTo(CA_VALIDITY.dividedBy(2)) < 0 ? leaf : CA_VALIDITY.dividedBy(2);
        return ca.notAfter().isBefore(Instant.now(clock).plus(window));
    }

    private static String required(Map<String, String> data, String key) {
        String value = data.get(key);
        if (value == null) {
            throw new PkiException("CA Secret lacks " + key);
        }
        return value;
    }
}
