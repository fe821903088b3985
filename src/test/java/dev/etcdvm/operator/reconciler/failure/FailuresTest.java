package dev.etcdvm.operator.reconciler.failure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.ssh.HostAccessException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** Lower-layer exceptions become failures with a reason from the fixed set, an operation and a member. */
class FailuresTest {
    @Test
    void aRefusedConnectionIsTransientAndAWrongHostKeyIsNot() {
        Failure down = Failures.of(new HostAccessException(HostAccessException.Kind.Unreachable, "connection refused"),
                Operation.SSH_CONNECT, "etcd-2");
        Failure key = Failures.of(new HostAccessException(HostAccessException.Kind.HostKeyRejected, "mismatch"),
                Operation.SSH_CONNECT, "etcd-2");
        assertThat(down.conditionReason()).isEqualTo("HostUnreachable");
        assertThat(down.transientFault()).isTrue();
        assertThat(down.member()).contains("etcd-2");
        assertThat(down.operation()).hasToString("ssh.connect");
        assertThat(key.conditionReason()).isEqualTo("HostKeyMismatch");
        assertThat(key.transientFault()).as("needs a person to fix known_hosts").isFalse();
    }

    @Test
    void aMachineThatIsNotOursIsAPermanentRefusal() {
        Failure f = Failures.of(new ProvisionException(ProvisionException.Reason.NotOwned, "marker names another"),
                Operation.HOST_RETIRE, "etcd-1");
        assertThat(f.reason()).isEqualTo(FailureReason.NotOwned);
        assertThat(f.transientFault()).isFalse();
    }

    @Test
    void whateverEscapesAPassIsNamed() {
        assertThat(Failures.unexpected(new KubernetesClientException("conflict", 409, null)))
                .satisfies(f -> {
                    assertThat(f.reason()).isEqualTo(FailureReason.KubernetesApiError);
                    assertThat(f.message()).contains("HTTP 409");
                });
        assertThat(Failures.unexpected(new IllegalStateException("boom")).reason())
                .isEqualTo(FailureReason.InternalError);
    }
}
