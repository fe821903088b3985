package dev.etcdvm.operator.api.v1alpha1;

/** How the operator decides to trust a machine's SSH host key. */
public enum HostKeyPolicy {
    /** The key must match the known_hosts Secret. */
    Strict,
    /** Trust on first use, then pin the key and refuse any change. */
    AcceptNew
}
