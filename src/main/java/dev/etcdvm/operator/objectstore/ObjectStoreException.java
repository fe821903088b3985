package dev.etcdvm.operator.objectstore;

/** A failed store call, with what kind of failure it was so status can say what to fix. */
public class ObjectStoreException extends RuntimeException {
    /** What went wrong, as far as the store's answer tells. */
    public enum Kind {
        /** The store refused the key id or the signature, or denied access. */
        CREDENTIALS_REJECTED,
        BUCKET_MISSING,
        OBJECT_MISSING,
        /** No answer: connection refused, timed out, TLS not trusted. */
        UNREACHABLE,
        /** Any other refusal by the store. */
        REFUSED
    }

    private final Kind kind;

    public ObjectStoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
