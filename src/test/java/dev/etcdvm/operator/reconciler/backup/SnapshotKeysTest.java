package dev.etcdvm.operator.reconciler.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Keys listed from a bucket anyone may write to: only well-formed snapshot keys of the folder count. */
class SnapshotKeysTest {
    private static final String FOLDER = "it/ns/main/uid-1/";

    @Test
    void aSnapshotKeyOfTheFolderNamesItsTime() {
        assertThat(SnapshotKeys.parse(FOLDER, FOLDER + "20261205T120000Z.db")).hasValueSatisfying(s ->
                assertThat(s.time()).isEqualTo(Instant.parse("2026-12-05T12:00:00Z")));
    }

    @Test
    void malformedKeysAreSkippedNotThrown() {
        assertThat(SnapshotKeys.parse(FOLDER, FOLDER + "20261399T999999Z.db")).as("the shape, but no time").isEmpty();
        assertThat(SnapshotKeys.parse(FOLDER, FOLDER + "20261205T120000Z.db.part")).isEmpty();
        assertThat(SnapshotKeys.parse(FOLDER, FOLDER + "sub/20261205T120000Z.db")).isEmpty();
        assertThat(SnapshotKeys.parse(FOLDER, "other/20261205T120000Z.db")).isEmpty();
    }
}
