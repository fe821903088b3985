package dev.etcdvm.operator.e2e;

import dev.etcdvm.operator.objectstore.ObjectStore;
import dev.etcdvm.operator.objectstore.StoredObject;
import dev.etcdvm.operator.objectstore.Upload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real object store whose next upload runs a fault (the store killed, etcd killed) once a given number of
 * snapshot bytes has passed, so "in the middle of a snapshot" is a chosen moment, not a race.
 */
final class FaultyStore implements ObjectStore {
    private static final AtomicReference<Fault> ARMED = new AtomicReference<>();
    private final ObjectStore real;

    record Fault(long afterBytes, Runnable action) {
    }

    FaultyStore(ObjectStore real) {
        this.real = real;
    }

    /** The next upload of any cluster runs this once. */
    static void arm(long afterBytes, Runnable action) {
        ARMED.set(new Fault(afterBytes, action));
    }

    static boolean fired() {
        return ARMED.get() == null;
    }

    @Override
    public Upload upload(String key, Map<String, String> metadata) {
        Upload upload = real.upload(key, metadata);
        Fault fault = ARMED.get();
        if (fault == null) {
            return upload;
        }
        OutputStream counting = new OutputStream() {
            private long seen;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                seen += len;
                if (seen >= fault.afterBytes() && ARMED.compareAndSet(fault, null)) {
                    fault.action().run();
                }
                upload.stream().write(b, off, len);
            }
        };
        return new Upload() {
            @Override
            public OutputStream stream() {
                return counting;
            }

            @Override
            public StoredObject commit() {
                return upload.commit();
            }

            @Override
            public void abort() {
                upload.abort();
            }

            @Override
            public void close() {
                upload.close();
            }
        };
    }

    @Override
    public void replaceMetadata(String key, Map<String, String> metadata) {
        real.replaceMetadata(key, metadata);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return real.list(prefix);
    }

    @Override
    public Optional<StoredObject> head(String key) {
        return real.head(key);
    }

    @Override
    public InputStream open(String key) {
        return real.open(key);
    }

    @Override
    public void download(String key, OutputStream sink) {
        real.download(key, sink);
    }

    @Override
    public void delete(String key) {
        real.delete(key);
    }

    @Override
    public void close() {
        real.close();
    }
}
