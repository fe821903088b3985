package dev.etcdvm.operator.reconciler.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.pass.MembershipResult;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Ready, on generated facts: never True while a data loss is possible or detected, while the spec is invalid or
 * changes are frozen, while fewer healthy voters than a quorum serve, or while a voter's data has no identity (a
 * loss of it could not be told).
 */
class ReadyPropertiesTest {
    private final ReadyCheck ready = new ReadyCheck();

    /** The facts a pass ends with, in the shapes that decide Ready. */
    record Facts(Decision.Mode mode, String reason, int total, int healthy, boolean settled, boolean alarm,
            boolean invalid, Optional<String> dataLossPossible, List<String> unmarked) {
        ClusterFacts facts() {
            return new ClusterFacts(invalid ? List.of(new SpecViolation("spec.version", "bad", false)) : List.of(),
                    mode, reason, "message", total, Math.min(healthy, total), true, settled,
                    alarm ? List.of("NOSPACE on etcd-1") : List.of(), "AlarmActive", List.of(), Optional.empty(),
                    MembershipResult.settled(), false, List.of(), List.of(), total, List.of(), Rollout.NONE,
                    Optional.empty(), Optional.empty(), dataLossPossible, Optional.empty(), unmarked);
        }

        Facts unmarked(List<String> voters) {
            return new Facts(mode, reason, total, healthy, settled, alarm, invalid, dataLossPossible, voters);
        }
    }

    @Property(tries = 1_000)
    void readyIsNeverTrueWithDataLossFrozenInvalidOrBelowQuorum(@ForAll("facts") Facts facts) {
        Verdict verdict = ready.check(facts.facts()).orElseThrow();
        boolean dataLoss = facts.dataLossPossible().isPresent()
                || facts.mode() == Decision.Mode.FREEZE && "DataLossDetected".equals(facts.reason());
        if (dataLoss || facts.invalid() || facts.mode() == Decision.Mode.FREEZE || !facts.unmarked().isEmpty()
                || Math.min(facts.healthy(), facts.total()) < facts.total() / 2 + 1) {
            assertThat(verdict.status()).as(verdict.reason() + ": " + verdict.message()).isNotEqualTo(ConditionStatus.True);
        }
    }

    @Provide
    Arbitrary<Facts> facts() {
        return Combinators.combine(Arbitraries.of(Decision.Mode.class),
                Arbitraries.of("Converging", "DataLossDetected", "ClusterIdMismatch", "QuorumLost"),
                Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 5), Arbitraries.of(true, false),
                Arbitraries.of(false, false, true), Arbitraries.of(false, false, false, true),
                Arbitraries.of(Optional.<String>empty(), Optional.of("revisions 10 to 20 may be missing")))
                .as((m, r, t, h, s, a, i, d) -> new Facts(m, r, t, h, s, a, i, d, List.of()))
                .flatMap(f -> Arbitraries.of(List.<String>of(), List.of("etcd-2")).map(f::unmarked));
    }
}
