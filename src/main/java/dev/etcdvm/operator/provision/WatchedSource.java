package dev.etcdvm.operator.provision;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** A stream that remembers how it failed, so an upload that broke off can say whose side broke. */
final class WatchedSource extends FilterInputStream {
    private IOException failure;

    WatchedSource(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    static void closeQuietly(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException e) {
            // the bytes were read, or their failure is already reported
        }
    }
}
