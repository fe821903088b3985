package dev.etcdvm.operator.objectstore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket through AWS's S3 client, on the JDK's own HTTP stack. Uploads are multipart: a part is sent
 * whenever {@link #PART_SIZE} bytes have come, so a snapshot of any size needs one part's buffer, and the
 * object appears only when the upload is completed. Checksums beyond S3's own signing are only sent when
 * an operation requires them: several S3-compatible stores refuse the newer checksum headers.
 */
public final class S3ObjectStore implements ObjectStore {
    /** S3 takes parts of at least 5 MiB (but the last); 8 MiB is what AWS's own tools use. */
    static final int PART_SIZE = 8 * 1024 * 1024;
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

    private final S3Client s3;
    private final String bucket;
    private final String where;

    public S3ObjectStore(StoreLocation location) {
        this.bucket = location.bucket();
        this.where = location.endpoint() + "/" + location.bucket();
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30));
        location.caPem().ifPresent(pem -> http.tlsTrustManagersProvider(() -> StoreTrust.of(pem)));
        this.s3 = S3Client.builder()
                .endpointOverride(location.endpoint())
                .region(Region.of(location.region()))
                .forcePathStyle(location.pathStyle())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(location.accessKeyId(), location.secretAccessKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))
                .httpClient(http.build())
                .build();
    }

    @Override
    public Upload upload(String key, Map<String, String> metadata) {
        String id = call("create upload of " + key,
                () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key).metadata(metadata)).uploadId());
        return new MultipartUpload(key, id);
    }

    @Override
    public void replaceMetadata(String key, Map<String, String> metadata) {
        call("set metadata of " + key, () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(key)
                .destinationBucket(bucket).destinationKey(key)
                .metadataDirective(MetadataDirective.REPLACE).metadata(metadata)));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return call("list " + prefix, () -> {
            List<StoredObject> objects = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
                objects.add(new StoredObject(o.key(), o.size(), o.lastModified(), Map.of()));
            }
            return objects;
        });
    }

    @Override
    public Optional<StoredObject> head(String key) {
        return call("head " + key, () -> {
            try {
                HeadObjectResponse h = s3.headObject(r -> r.bucket(bucket).key(key));
                return Optional.of(new StoredObject(key, h.contentLength(), h.lastModified(), h.metadata()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404 && !S3Failures.bucketMissing(e)) {
                    return Optional.empty(); // a HEAD answer has no body to tell a missing key by its code
                }
                throw e;
            }
        });
    }

    @Override
    public InputStream open(String key) {
        return call("download " + key, () -> s3.getObject(r -> r.bucket(bucket).key(key)));
    }

    @Override
    public void download(String key, OutputStream sink) {
        call("download " + key, () -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(key))) {
                in.transferTo(sink);
            } catch (IOException e) {
                throw new ObjectStoreException(ObjectStoreException.Kind.UNREACHABLE,
                        "download " + key + " from " + where + " broke off: " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public void delete(String key) {
        call("delete " + key, () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
    }

    @Override
    public void close() {
        s3.close();
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw S3Failures.of(what + " at " + where, e);
        }
    }

    /** Parts go out as the buffer fills; the buffer is the only copy held. */
    private final class MultipartUpload extends OutputStream implements Upload {
        private final String key;
        private final String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private final byte[] buffer = new byte[PART_SIZE];
        private int filled;
        private long total;
        private boolean finished;

        MultipartUpload(String key, String uploadId) {
            this.key = key;
            this.uploadId = uploadId;
        }

        @Override
        public OutputStream stream() {
            return this;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == buffer.length) {
                    sendPart();
                }
            }
        }

        private void sendPart() {
            int number = parts.size() + 1;
            int length = filled;
            String etag = call("upload part " + number + " of " + key, () -> s3.uploadPart(r -> r.bucket(bucket)
                            .key(key).uploadId(uploadId).partNumber(number).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                            "application/octet-stream")).eTag());
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            total += length;
            filled = 0;
        }

        @Override
        public StoredObject commit() {
            if (filled > 0 || parts.isEmpty()) {
                sendPart();
            }
            call("complete upload of " + key, () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key(key)
                    .uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
            finished = true;
            return new StoredObject(key, total, Instant.now(), Map.of());
        }

        @Override
        public void abort() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException e) {
                // The store keeps the parts out of sight until its own cleanup; nothing is visible under the key.
            }
        }

        @Override
        public void close() {
            abort();
        }
    }
}
