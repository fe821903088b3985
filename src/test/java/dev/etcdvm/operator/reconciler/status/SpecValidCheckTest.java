package dev.etcdvm.operator.reconciler.status;

import static dev.etcdvm.operator.reconciler.status.CheckTable.row;
import static dev.etcdvm.operator.reconciler.status.FactsBuilder.forming;
import static dev.etcdvm.operator.reconciler.status.FactsBuilder.healthy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidCheckTest {
    static Stream<Arguments> table() {
        return Stream.of(
                row("a valid spec", healthy(), "True", "Valid"),
                row("a valid spec of a forming cluster", forming(), "True", "Valid"),
                row("an invalid spec", healthy().invalid("spec.etcd.dataDir", "is a system directory"), "False",
                        "InvalidSpec"),
                row("a change the running cluster cannot take", healthy().refusedChange("spec.etcd.peerPort",
                        "changed from 2380 to 2390"), "False", "SpecChangeRefused"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void decidesSpecValid(CheckTable row) {
        row.assertVerdict(new SpecValidCheck());
    }

    @Test
    void theMessageNamesTheField() {
        assertThat(new SpecValidCheck().check(healthy().invalid("spec.etcd.dataDir", "is a system directory").build()))
                .hasValueSatisfying(v -> assertThat(v.message()).isEqualTo("spec.etcd.dataDir: is a system directory"));
    }
}
