package dev.etcdvm.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** etcd's snapshot trailer is checked however the stream is cut into messages, and the stream passes unchanged. */
class TrailerCheckTest {
    private static final byte[] DATABASE = new byte[100_000];

    static {
        new Random(7).nextBytes(DATABASE);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 31, 32, 33, 4096, 200_000})
    void aStreamEndingInItsDatabasesSha256IsVerified(int chunk) throws Exception {
        byte[] stream = withTrailer(DATABASE, sha256(DATABASE));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        TrailerCheck check = write(stream, chunk, sink);

        assertThat(check.verified()).hasValue(HexFormat.of().formatHex(sha256(DATABASE)));
        assertThat(sink.toByteArray()).isEqualTo(stream);
        assertThat(check.written()).isEqualTo(stream.length);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4096})
    void aFlippedByteOrAMissingTrailerIsCaught(int chunk) throws Exception {
        byte[] stream = withTrailer(DATABASE, sha256(DATABASE));
        stream[50_000] ^= 1;
        assertThat(write(stream, chunk, new ByteArrayOutputStream()).verified()).isEmpty();
        assertThat(write(DATABASE, chunk, new ByteArrayOutputStream()).verified()).isEmpty();
        assertThat(write(new byte[10], chunk, new ByteArrayOutputStream()).verified()).isEmpty();
    }

    private static TrailerCheck write(byte[] stream, int chunk, ByteArrayOutputStream sink) throws IOException {
        TrailerCheck check = new TrailerCheck(sink);
        for (int off = 0; off < stream.length; off += chunk) {
            check.write(stream, off, Math.min(chunk, stream.length - off));
        }
        return check;
    }

    private static byte[] withTrailer(byte[] database, byte[] sum) {
        byte[] stream = new byte[database.length + sum.length];
        System.arraycopy(database, 0, stream, 0, database.length);
        System.arraycopy(sum, 0, stream, database.length, sum.length);
        return stream;
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
