package dev.etcdvm.operator.reconciler.status;

/** metav1.ConditionStatus values. */
public enum ConditionStatus {
    True, False, Unknown;

    public static ConditionStatus of(boolean value) {
        return value ? True : False;
    }
}
