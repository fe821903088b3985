package dev.etcdvm.operator.reconciler.tls;

import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A stored leaf certificate issued again (for the same key), and why.
 *
 * @param certificate which one: "etcd-1 server", "etcd-2 peer", "operator client", "consumer client"
 */
public record LeafRenewal(String certificate, Cause cause) {

    /** Why a stored certificate could not be kept. */
    public enum Cause {
        EXPIRING("inside its renewal window"),
        NAMES_CHANGED("its names changed"),
        KEY_USAGE("its key usages changed (server certificates now also allow clientAuth, for etcd's JSON gateway)"),
        ISSUER_CHANGED("another CA issues now");

        private final String description;

        Cause(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** One Event for every renewal of a pass, grouped by cause; none when nothing was renewed. */
    public static Optional<Announcement> announcement(List<LeafRenewal> renewals) {
        if (renewals.isEmpty()) {
            return Optional.empty();
        }
        String byCause = renewals.stream().collect(Collectors.groupingBy(LeafRenewal::cause,
                TreeMap::new, Collectors.mapping(LeafRenewal::certificate, Collectors.joining(", "))))
                .entrySet().stream().map(e -> e.getValue() + ": " + e.getKey().description())
                .collect(Collectors.joining("; "));
        return Optional.of(new Announcement(EventReason.CertificatesRenewed, "certificates issued again for their"
                + " keys (etcd serves them from its next handshake, no restart): " + byCause));
    }
}
