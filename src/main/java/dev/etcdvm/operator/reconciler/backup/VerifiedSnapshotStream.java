package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.etcd.TrailerCheck;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A snapshot read from the store, checked as it passes: at its end, the trailer must be the SHA-256 of the
 * database and the one the snapshot was chosen by, or the reader gets an error instead of the end.
 */
final class VerifiedSnapshotStream extends FilterInputStream {
    private final TrailerCheck check = new TrailerCheck(OutputStream.nullOutputStream());
    private final String key;
    private final String expectedSha256;
    private final AutoCloseable store;

    VerifiedSnapshotStream(InputStream in, String key, String expectedSha256, AutoCloseable store) {
        super(in);
        this.key = key;
        this.expectedSha256 = expectedSha256;
        this.store = store;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            check.write(b, off, n);
        } else if (n < 0 && !check.verified().filter(expectedSha256::equals).isPresent()) {
            throw new IOException("snapshot " + key + " (" + check.written() + " bytes) does not end in the SHA-256 "
                    + expectedSha256 + " it was stored with: corrupt in the store");
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            try {
                store.close();
            } catch (Exception e) {
                // the store's client only holds connections; nothing to report about the snapshot
            }
        }
    }
}
