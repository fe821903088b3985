package dev.etcdvm.operator.api.v1alpha1;

/** Regular expressions shared by the CRD schema and the reconciler's own validation. */
public final class Patterns {
    public static final String DNS1123_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
    public static final String DNS1123_SUBDOMAIN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";
    /** Strict semantic version without a leading "v", as etcd tags its releases. */
    public static final String SEMVER = "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$";
    /** An IPv4 address, an IPv6 address or a DNS name (RFC 1123 host name). */
    public static final String HOST_ADDRESS = "^(([0-9]{1,3}\\.){3}[0-9]{1,3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+|"
            + "[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*)$";
    /** A POSIX login name as useradd accepts it. */
    public static final String UNIX_USER = "^[a-z_][a-z0-9_-]{0,31}$";
    /** An absolute path of plain segments: none starting with a dot (so no "." or ".."), no spaces or shell metacharacters. */
    public static final String ABSOLUTE_PATH = "^(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$";
    public static final String HTTP_URL = "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?$";
    public static final String SHA256_HEX = "^[a-f0-9]{64}$";
    /** etcd's --auto-compaction-retention: hours as a number, or a Go duration such as 30m or 1h30m. */
    public static final String COMPACTION_RETENTION = "^([0-9]+|([0-9]+(h|m|s))+)$";

    private Patterns() {
    }

    /** An S3 bucket name (DNS-compatible, as S3 requires for new buckets). */
    public static final String S3_BUCKET = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";
    /** A key prefix of S3's safe characters, folders separated by single slashes. */
    public static final String S3_PREFIX = "^([A-Za-z0-9!_.*'()-]+/)*[A-Za-z0-9!_.*'()-]*$";
    /** An object key of the same characters, not ending in a slash. */
    public static final String S3_SNAPSHOT_KEY = "^([A-Za-z0-9!_.*'()-]+/)*[A-Za-z0-9!_.*'()-]+$";
}
