package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.Data;

/** An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, S3Proxy, ...). */
@Data
public class BackupStoreSpec {
    @Required
    @Pattern(Patterns.HTTP_URL)
    @JsonPropertyDescription("Base URL of the S3 API, e.g. https://s3.eu-west-1.amazonaws.com or http://minio.example:9000.")
    private String endpoint;

    @Required
    @Pattern(Patterns.S3_BUCKET)
    @JsonPropertyDescription("The bucket; it must exist (the operator never creates or deletes buckets).")
    private String bucket;

    @Pattern(Patterns.S3_PREFIX)
    @JsonPropertyDescription("Key prefix inside the bucket; snapshots go under <prefix>/<namespace>/<name>/<cluster uid>/.")
    private String prefix = "";

    @Default("us-east-1")
    @JsonPropertyDescription("Region the requests are signed for; stores other than AWS mostly accept any.")
    private String region = "us-east-1";

    @Default("true")
    @JsonPropertyDescription("Bucket in the URL path rather than the host name; most stores other than AWS need it.")
    private boolean pathStyle = true;

    @Required
    @JsonPropertyDescription("Secret with the keys accessKeyId and secretAccessKey.")
    private SecretRef credentialsSecretRef;

    @JsonPropertyDescription("CA bundle (PEM) the store's TLS certificate is checked against, instead of the usual"
            + " public CAs.")
    private SecretKeyRef caSecretRef;
}
