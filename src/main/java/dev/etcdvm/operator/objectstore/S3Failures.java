package dev.etcdvm.operator.objectstore;

import dev.etcdvm.operator.objectstore.ObjectStoreException.Kind;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Sorts the S3 client's failures into what a user has to fix. Messages carry no credentials. */
final class S3Failures {
    private static final Set<String> CREDENTIALS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "AccessDenied", "InvalidSecurity", "ExpiredToken", "InvalidToken");

    private S3Failures() {
    }

    static ObjectStoreException of(String what, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            String detail = code + " (HTTP " + s3.statusCode() + ")";
            if (CREDENTIALS.contains(code) || s3.statusCode() == 403) {
                return new ObjectStoreException(Kind.CREDENTIALS_REJECTED, what + ": the store refused the credentials: "
                        + detail, e);
            }
            if (bucketMissing(s3)) {
                return new ObjectStoreException(Kind.BUCKET_MISSING, what + ": the bucket does not exist", e);
            }
            if ("NoSuchKey".equals(code) || s3.statusCode() == 404) {
                return new ObjectStoreException(Kind.OBJECT_MISSING, what + ": no such object", e);
            }
            return new ObjectStoreException(Kind.REFUSED, what + ": " + detail, e);
        }
        if (e instanceof SdkClientException) {
            return new ObjectStoreException(Kind.UNREACHABLE, what + ": no answer: " + rootMessage(e), e);
        }
        return new ObjectStoreException(Kind.REFUSED, what + ": " + e.getMessage(), e);
    }

    static boolean bucketMissing(S3Exception e) {
        return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
