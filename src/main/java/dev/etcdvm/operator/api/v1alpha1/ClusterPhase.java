package dev.etcdvm.operator.api.v1alpha1;

/** The one-word summary shown in `kubectl get`. */
public enum ClusterPhase {
    Pending, Provisioning, Running, Reconfiguring, Upgrading, Updating, RotatingCertificates, Recovering, Degraded, Failed, Deleting
}
