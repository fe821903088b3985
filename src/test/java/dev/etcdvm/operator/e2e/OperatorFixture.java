package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.Collaborators;
import dev.etcdvm.operator.EtcdVmOperator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStoreSpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.support.ApiServer;
import dev.etcdvm.operator.support.Specs;
import dev.etcdvm.operator.testbed.Testbed;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.function.UnaryOperator;
import dev.etcdvm.operator.objectstore.ObjectStore;
import dev.etcdvm.operator.objectstore.S3ObjectStore;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The production operator (real SSH, real etcd clients) against the testbed machines and an API
 * server: in-process by default, the KUBECONFIG cluster with E2E_USE_KUBECONFIG=true.
 */
public final class OperatorFixture implements AutoCloseable {
    public static final Duration RESYNC = Duration.ofSeconds(3);
    private static final String STORE_CREDENTIALS = "store-credentials";

    private final Testbed testbed;
    private final ApiServer api;
    private EtcdVmOperator operator;
    private Collaborators collaborators;

    public OperatorFixture(Testbed testbed) {
        this.testbed = testbed;
        this.api = ApiServer.start();
        writeSshSecret(Specs.SSH_SECRET, readTestbed("id_ed25519"), readTestbed("known_hosts"));
        startOperator();
    }

    public void startOperator() {
        startOperator(Failpoints.NONE);
    }

    /** A fresh operator (new SSH client, etcd clients and caches), stopping at the given failpoints. */
    public void startOperator(Failpoints failpoints) {
        startOperator(failpoints, Clock.systemUTC());
    }

    /** A fresh operator whose clock is {@code offset} off the real one (negative: it lives in the past). */
    public void startOperatorShifted(Duration offset) {
        startOperator(Failpoints.NONE, Clock.offset(Clock.systemUTC(), offset));
    }

    private void startOperator(Failpoints failpoints, Clock clock) {
        startOperator(failpoints, clock, UnaryOperator.identity());
    }

    /** A fresh operator on this clock whose object stores are wrapped (to fail at a chosen moment). */
    public void startOperator(Clock clock, UnaryOperator<ObjectStore> stores) {
        startOperator(Failpoints.NONE, clock, stores);
    }

    /** A fresh operator serving its probes and /metrics on this port, as a deployed one does. */
    public void startOperatorServingMetrics(int port) {
        startOperator(Failpoints.NONE, Clock.systemUTC(), UnaryOperator.identity(), port);
    }

    private void startOperator(Failpoints failpoints, Clock clock, UnaryOperator<ObjectStore> stores) {
        startOperator(failpoints, clock, stores, 0);
    }

    private void startOperator(Failpoints failpoints, Clock clock, UnaryOperator<ObjectStore> stores, int probePort) {
        OperatorSettings settings = OperatorSettings.local(api.namespace(), RESYNC).withHealthPort(probePort);
        collaborators = EtcdVmOperator.productionCollaborators(api.client(), settings, PhaseTimings.NONE,
                location -> stores.apply(new S3ObjectStore(location))).withFailpoints(failpoints).withClock(clock);
        try {
            operator = new EtcdVmOperator(api.client(), settings, collaborators);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    public long sshSessionsOpened() {
        return collaborators.sshSessionsOpened().getAsLong();
    }

    public void writeSshSecret(String name, String privateKey, String knownHosts) {
        api.client().secrets().inNamespace(api.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .addToStringData(Specs.PRIVATE_KEY, privateKey)
                .addToStringData(Specs.KNOWN_HOSTS, knownHosts)
                .build()).createOr(op -> op.update());
    }

    public String readTestbed(String file) {
        try {
            return Files.readString(testbed.stateDir().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cluster on the given testbed machines, installing from the testbed's mirror. */
    public EtcdVmCluster cluster(String name, String version, List<Testbed.Machine> machines) {
        List<MemberSpec> members = machines.stream()
                .map(m -> new MemberSpec("etcd-" + m.name(), m.address())).toList();
        EtcdVmCluster cluster = Specs.cluster(name, api.namespace(), members);
        cluster.getSpec().setVersion(version);
        cluster.getSpec().getBinary().setBaseURL(testbed.mirrorUrl());
        return cluster;
    }

    public Resource<EtcdVmCluster> resource(String name) {
        return api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName(name);
    }

    /** Boots the machines on fresh disks (same host keys). */
    public List<Testbed.Machine> fresh(String... names) {
        List<Testbed.Machine> machines = new ArrayList<>();
        for (String name : names) {
            testbed.start(name, true);
            machines.add(testbed.machine(name));
        }
        return machines;
    }

    public EtcdVmCluster awaitReady(String name, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> resource(name).get(),
                c -> c != null && condition(c, "Ready").map(r -> "True".equals(r.getStatus())).orElse(false)
                        && c.getStatus().getObservedGeneration() != null
                        && c.getStatus().getObservedGeneration().equals(c.getMetadata().getGeneration()));
    }

    /**
     * Edits the resource the way {@code kubectl edit} does, read then patched; a conflict with a status the operator
     * wrote in between is retried on the new version, as a person would.
     */
    public EtcdVmCluster edit(String name, UnaryOperator<EtcdVmCluster> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return resource(name).edit(change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * Sets an annotation the way {@code kubectl annotate --overwrite} does: a merge patch without a resourceVersion,
     * so a status the operator writes meanwhile never makes it fail with a conflict.
     */
    public void annotate(String name, String key, String value) {
        ObjectNode patch = Serialization.jsonMapper().createObjectNode();
        patch.putObject("metadata").putObject("annotations").put(key, value);
        resource(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }

    /**
     * Backs the cluster up into the testbed's store under {@code prefix} (credentials in the Secret
     * "store-credentials"); snapshots only on request and before risky changes.
     */
    public EtcdVmCluster backupTo(EtcdVmCluster cluster, Testbed.Store store, String prefix) {
        api.client().secrets().inNamespace(api.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(STORE_CREDENTIALS).endMetadata()
                .addToStringData("accessKeyId", store.accessKeyId())
                .addToStringData("secretAccessKey", store.secretAccessKey()).build()).createOr(op -> op.update());
        BackupSpec backup = new BackupSpec();
        backup.setStore(new BackupStoreSpec());
        backup.getStore().setEndpoint(store.endpoint());
        backup.getStore().setBucket(store.bucket());
        backup.getStore().setPrefix(prefix);
        backup.getStore().setCredentialsSecretRef(new SecretRef(STORE_CREDENTIALS));
        cluster.getSpec().setBackup(backup);
        return cluster;
    }

    /** The Secret the operator writes for the cluster's clients. */
    public Secret consumerSecret(String clusterName) {
        return api.client().secrets().inNamespace(api.namespace()).withName(clusterName + "-client").get();
    }

    /** Deletes every cluster and waits until the operator has let them go. */
    public void deleteAllClusters(Duration within) {
        api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).delete();
        await().atMost(within).until(() -> api.client().resources(EtcdVmCluster.class)
                .inNamespace(api.namespace()).list().getItems().isEmpty());
    }

    public ApiServer api() {
        return api;
    }

    @Override
    public void close() {
        stopOperator();
        api.close();
    }
}
