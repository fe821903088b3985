package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates over time, on real members: renewed in place, served without etcd restarting. */
class CertificatesIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    @Test
    void renewedLeafCertificatesAreServedWithoutRestartingEtcd(@TempDir Path dir) {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        EtcdVmCluster cluster = fixture.cluster("renewing", "3.5.16", vms);
        cluster.getSpec().getTls().setCertificateValidityDays(10);
        cluster.getSpec().getTls().setRenewBeforeDays(3);
        fixture.stopOperator();
        try {
            // Certificates issued eight days ago (valid now, as TLS checks them) are inside their renewal window.
            fixture.startOperatorShifted(Duration.ofDays(-8));
            fixture.api().client().resource(cluster).create();
            Instant firstExpiry = Instant.parse(fixture.awaitReady("renewing", READY_WITHIN).getStatus()
                    .getCertificatesNotAfter());
            List<BigInteger> served = vms.stream().map(CertificatesIT::servedSerial).toList();
            List<String> processes = vms.stream().map(this::mainPid).toList();

            fixture.stopOperator();
            fixture.startOperator();
            // A handshake that lands between the certificate's and the key's rename fails: it is simply tried again.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> vms.stream().map(CertificatesIT::servedSerial).toList(),
                            now -> now.stream().noneMatch(served::contains));
            EtcdVmCluster renewed = fixture.awaitReady("renewing", READY_WITHIN);

            assertThat(Instant.parse(renewed.getStatus().getCertificatesNotAfter()))
                    .isAfter(firstExpiry.plus(Duration.ofDays(7)));
            assertThat(vms.stream().map(this::mainPid).toList()).as("etcd's process on each machine").isEqualTo(processes);
            EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret("renewing"), dir);
            assertThat(etcdctl.run("put", "/after-renewal", "v").exitCode()).as("a write with the renewed client"
                    + " certificate, replicated over peer connections").isZero();
        } finally {
            fixture.stopOperator();
            fixture.startOperator();
        }
    }

    /** The serial number of the certificate the member serves clients with now. */
    private static BigInteger servedSerial(Machine vm) {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.set(chain[0]); // only looked at, never trusted with anything
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recorder}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(vm.address(), 2379), 5000);
                socket.setSoTimeout(5000);
                socket.startHandshake();
            } catch (IOException e) {
                // etcd asks for a client certificate and ends the handshake without one: its own was seen first.
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        assertThat(seen.get()).as("certificate served by " + vm.name()).isNotNull();
        return seen.get().getSerialNumber();
    }
}
