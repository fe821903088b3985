package dev.etcdvm.operator.objectstore;

import java.net.URI;
import java.util.Optional;

/**
 * Where snapshots go and how to log in there. Its text form never shows the secret key.
 *
 * @param endpoint the S3 API's base URL (http or https)
 * @param pathStyle bucket in the path ({@code endpoint/bucket/key}) rather than in the host name; most
 *     stores other than AWS need it
 * @param caPem CA bundle the store's TLS certificate is checked against, instead of the JDK's trust store
 */
public record StoreLocation(URI endpoint, String bucket, String region, boolean pathStyle, Optional<String> caPem,
        String accessKeyId, String secretAccessKey) {

    @Override
    public String toString() {
        return endpoint + "/" + bucket + " (region " + region + ", key id " + accessKeyId + ")";
    }
}
