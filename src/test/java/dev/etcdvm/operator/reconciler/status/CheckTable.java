package dev.etcdvm.operator.reconciler.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.provider.Arguments;

/** One row: the facts, and the verdict a checker must reach (empty: leave the condition alone). */
record CheckTable(String row, ClusterFacts facts, String status, String reason) {
    static Arguments row(String row, FactsBuilder facts, String status, String reason) {
        return Arguments.of(new CheckTable(row, facts.build(), status, reason));
    }

    static Arguments untouched(String row, FactsBuilder facts) {
        return Arguments.of(new CheckTable(row, facts.build(), null, null));
    }

    void assertVerdict(ConditionCheck check) {
        Optional<Verdict> verdict = check.check(facts);
        if (status == null) {
            assertThat(verdict).as(row).isEmpty();
            return;
        }
        assertThat(verdict).as(row).hasValueSatisfying(v -> {
            assertThat(v.status().name()).as(row + ": status").isEqualTo(status);
            assertThat(v.reason()).as(row + ": reason").isEqualTo(reason);
            assertThat(v.message()).as(row + ": message").isNotBlank();
        });
    }

    @Override
    public String toString() {
        return row;
    }
}
