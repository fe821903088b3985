package dev.etcdvm.operator.reconciler.kube;

/** A Secret the operator would write exists and belongs to someone else: it is left as it is. */
public final class SecretNotOwnedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretNotOwnedException(String message) {
        super(message);
    }
}
