package dev.etcdvm.operator.objectstore;

import java.io.OutputStream;

/**
 * An object being written as a stream of parts. Nothing is visible under its key until {@link #commit};
 * {@link #abort} (or a failure) leaves nothing behind. Closing the stream commits nothing.
 */
public interface Upload extends AutoCloseable {
    /** Where the bytes go; they are sent part by part as they come, never held whole. */
    OutputStream stream();

    /** Makes the object visible with everything written so far; the upload is done. */
    StoredObject commit();

    /** Throws the parts away; safe to call after a failure or twice. */
    void abort();

    /** Aborts unless committed. */
    @Override
    void close();
}
