package dev.etcdvm.operator.reconciler.events;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events, which `kubectl describe` and `kubectl get events` show. */
public final class KubernetesEventRecorder implements EventRecorder {
    public static final String COMPONENT = "etcd-vm-operator";
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventRecorder.class);
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final Clock clock;

    public KubernetesEventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public void record(EtcdVmCluster cluster, EventReason reason, String message) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withNamespace(cluster.getMetadata().getNamespace())
                    .withName(cluster.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8)
                            .toLowerCase(Locale.ROOT))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                        .withNamespace(cluster.getMetadata().getNamespace()).withName(cluster.getMetadata().getName())
                        .withUid(cluster.getMetadata().getUid())
                        .withResourceVersion(cluster.getMetadata().getResourceVersion()).build())
                .withReason(reason.name())
                .withType(reason.type().name())
                .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(cluster.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An Event is a courtesy: failing to write one must not fail the reconciliation.
            LOG.warn("could not record event {} for {}: {}", reason, cluster.getMetadata().getName(), e.getMessage());
        }
    }
}
