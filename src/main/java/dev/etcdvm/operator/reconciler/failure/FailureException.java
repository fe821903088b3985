package dev.etcdvm.operator.reconciler.failure;

/** Carries a {@link Failure} out of an adapter that cannot return it. */
public final class FailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    public FailureException(Failure failure, Throwable cause) {
        super(failure.message(), cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
