package dev.etcdvm.operator.reconciler.decide;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A recover-quorum annotation value: {@code <source>@<loss id>}, followed by {@code ;unreachable=<m>,<m>} when voters
 * that cannot be reached are given up. Naming the loss ties a choice to the loss a person saw; naming the
 * unreachable voters says they knowingly took the risk that those still run.
 */
record RecoveryRequest(String value, String source, String lossId, List<String> givenUp) {
    private static final String UNREACHABLE = ";unreachable=";

    /** The request, or why the value is not one (a message ending in what a value must look like). */
    static Parsed parse(String value) {
        String rest = value.strip();
        List<String> givenUp = List.of();
        int list = rest.indexOf(UNREACHABLE);
        if (list >= 0) {
            givenUp = Arrays.stream(rest.substring(list + UNREACHABLE.length()).split(",")).map(String::strip)
                    .filter(m -> !m.isEmpty()).toList();
            rest = rest.substring(0, list);
        }
        int at = rest.indexOf('@');
        if (at < 0 || at == rest.length() - 1) {
            return Parsed.refused(value + ": names no loss. A choice names the loss it answers, as shown in"
                    + " status.quorumLoss.id (" + form() + "), so a value set before a loss is never acted on");
        }
        return new Parsed(Optional.of(new RecoveryRequest(value, rest.substring(0, at).strip(),
                rest.substring(at + 1).strip(), givenUp)), "");
    }

    static String form() {
        return "<" + QuorumRecovery.SURVIVOR + "|" + QuorumRecovery.SNAPSHOT + ">@<loss id>[" + UNREACHABLE
                + "<member>,...]";
    }

    /** The value that chooses {@code source} for this loss, giving up these unreachable voters. */
    static String of(String source, String lossId, List<String> unreachable) {
        return source + "@" + lossId + (unreachable.isEmpty() ? "" : UNREACHABLE + String.join(",", unreachable));
    }

    record Parsed(Optional<RecoveryRequest> request, String refusal) {
        static Parsed refused(String why) {
            return new Parsed(Optional.empty(), why);
        }
    }
}
