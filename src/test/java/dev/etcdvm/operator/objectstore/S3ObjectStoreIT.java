package dev.etcdvm.operator.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdvm.operator.objectstore.ObjectStoreException.Kind;
import dev.etcdvm.operator.testbed.Testbed;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** S3ObjectStore against a real S3 API (S3Proxy on the testbed bridge). */
class S3ObjectStoreIT {
    private Testbed.Store store;
    private S3ObjectStore s3;

    @BeforeEach
    void start() {
        store = Testbed.requireOrSkip().store();
        s3 = new S3ObjectStore(location(store.endpoint(), store.bucket(), store.secretAccessKey()));
    }

    @AfterEach
    void close() {
        s3.close();
    }

    private StoreLocation location(String endpoint, String bucket, String secret) {
        return new StoreLocation(URI.create(endpoint), bucket, "us-east-1", true, Optional.empty(),
                store.accessKeyId(), secret);
    }

    @Test
    void aStreamedUploadAppearsOnlyWhenCommittedWithItsMetadata() throws Exception {
        String key = "it/upload-" + System.nanoTime() + ".db";
        byte[] data = new byte[S3ObjectStore.PART_SIZE * 2 + 12345]; // three parts, the last a short one
        new Random(7).nextBytes(data);
        try (Upload upload = s3.upload(key, Map.of("cluster-uid", "u-1", "revision", "42"))) {
            OutputStream out = upload.stream();
            for (int i = 0; i < data.length; i += 1000) {
                out.write(data, i, Math.min(1000, data.length - i));
            }
            assertThat(s3.list("it/")).extracting(StoredObject::key).doesNotContain(key);
            StoredObject stored = upload.commit();
            assertThat(stored.size()).isEqualTo(data.length);
        }
        assertThat(s3.list("it/")).filteredOn(o -> o.key().equals(key)).singleElement()
                .satisfies(o -> assertThat(o.size()).isEqualTo(data.length));
        assertThat(s3.head(key).orElseThrow().metadata()).containsEntry("cluster-uid", "u-1").containsEntry("revision", "42");

        s3.replaceMetadata(key, Map.of("cluster-uid", "u-1", "revision", "42", "sha256", "abc"));
        assertThat(s3.head(key).orElseThrow().metadata()).containsEntry("sha256", "abc");
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        s3.download(key, back);
        assertThat(sha256(back.toByteArray())).isEqualTo(sha256(data));

        s3.delete(key);
        assertThat(s3.head(key)).isEmpty();
    }

    @Test
    void anAbortedUploadLeavesNothingVisible() throws Exception {
        String key = "it/aborted-" + System.nanoTime() + ".db";
        Upload upload = s3.upload(key, Map.of());
        byte[] part = new byte[S3ObjectStore.PART_SIZE + 10];
        upload.stream().write(part, 0, part.length);
        upload.close();
        assertThat(s3.list("it/")).extracting(StoredObject::key).doesNotContain(key);
        assertThat(s3.head(key)).isEmpty();
    }

    @Test
    void failuresSaySomethingAUserCanFix() {
        try (S3ObjectStore wrongSecret = new S3ObjectStore(location(store.endpoint(), store.bucket(), "not-the-secret"))) {
            assertThatThrownBy(() -> wrongSecret.list("it/")).isInstanceOfSatisfying(ObjectStoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED));
        }
        try (S3ObjectStore noBucket = new S3ObjectStore(location(store.endpoint(), "no-such-bucket", store.secretAccessKey()))) {
            assertThatThrownBy(() -> noBucket.upload("k", Map.of())).isInstanceOfSatisfying(ObjectStoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.BUCKET_MISSING));
        }
        try (S3ObjectStore nobodyHome = new S3ObjectStore(location("http://10.250.0.1:9", store.bucket(), store.secretAccessKey()))) {
            assertThatThrownBy(() -> nobodyHome.list("it/")).isInstanceOfSatisfying(ObjectStoreException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
                    .hasMessageNotContaining(store.secretAccessKey());
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
