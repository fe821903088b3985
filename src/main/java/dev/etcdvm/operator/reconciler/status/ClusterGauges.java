package dev.etcdvm.operator.reconciler.status;

/** Where each pass's numbers go (the metrics registry); per cluster and member, forgotten with the cluster. */
public interface ClusterGauges {
    void record(ClusterReading reading);

    void forget(String namespace, String cluster);

    ClusterGauges NONE = new ClusterGauges() {
        @Override
        public void record(ClusterReading reading) {
        }

        @Override
        public void forget(String namespace, String cluster) {
        }
    };
}
