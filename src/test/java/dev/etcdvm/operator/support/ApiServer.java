package dev.etcdvm.operator.support;

import dev.etcdvm.operator.EtcdVmOperator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.UUID;

/**
 * The Kubernetes API a test talks to: the in-process Fabric8 server in CRUD mode by default, or the
 * real cluster KUBECONFIG points at when {@code E2E_USE_KUBECONFIG=true}. Tests use only the client,
 * the way kubectl would, so the same test runs unchanged against both.
 */
public final class ApiServer implements AutoCloseable {
    public static final Path CRD = Path.of("crds", "etcdvmclusters.etcdvm.dev-v1.yml");

    private final KubernetesMockServer mock;
    private final KubernetesClient client;
    private final String namespace;

    private ApiServer(KubernetesMockServer mock, KubernetesClient client, String namespace) {
        this.mock = mock;
        this.client = client;
        this.namespace = namespace;
    }

    public static ApiServer start() {
        return start("evc-test-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT));
    }

    public static ApiServer start(String namespace) {
        boolean real = "true".equalsIgnoreCase(System.getenv("E2E_USE_KUBECONFIG"));
        KubernetesMockServer mock = null;
        KubernetesClient client;
        if (real) {
            client = EtcdVmOperator.clientBuilder().build();
        } else {
            mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(), false);
            mock.init();
            client = mock.createClient(new JdkHttpClientFactory());
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(NonDeletingOperation::update);
        installCrd(client);
        return new ApiServer(mock, client, namespace);
    }

    /** Installs the committed CRD, exactly what `make deploy` installs on a real cluster. */
    private static void installCrd(KubernetesClient client) {
        try (InputStream in = Files.newInputStream(CRD)) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(NonDeletingOperation::update);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The SSH Secret tests with fake machines need: it must exist, its content is never used. */
    public void createPlaceholderSshSecret() {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder()
                .withNewMetadata().withName(Specs.SSH_SECRET).endMetadata()
                .addToStringData(Specs.PRIVATE_KEY, "unused by fake machines")
                .addToStringData(Specs.KNOWN_HOSTS, "unused by fake machines").build()).create();
    }

    /** A client for the operator, configured as production configures it, that runs every request past {@code interceptor}. */
    public KubernetesClient operatorClient(Interceptor interceptor) {
        return EtcdVmOperator.clientBuilder().withConfig(EtcdVmOperator.clientConfig(client.getConfiguration()))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("test", interceptor)).build();
    }

    public KubernetesClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    public boolean isInProcess() {
        return mock != null;
    }

    @Override
    public void close() {
        try {
            client.namespaces().withName(namespace).delete();
        } finally {
            client.close();
            if (mock != null) {
                mock.destroy();
            }
        }
    }
}
