package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.reason.Reason;
import java.util.List;

/** What one action came to. Executors return one of these, never a bare string or an exception. */
public sealed interface Outcome {
    /** One line, as printed after the action. */
    String line();

    /** What an action on machines came to: the first machine's failure, else done. */
    static Outcome of(List<HostResult> results, String done) {
        return results.stream().flatMap(r -> r.failure().stream()).findFirst().<Outcome>map(Failed::new)
                .orElseGet(() -> new Done(done));
    }

    /** It was carried out (or found already done). */
    record Done(String what) implements Outcome {
        public String line() {
            return "done: " + what;
        }
    }

    /** It was not carried out now, and may be on a later pass without anything else changing. */
    record Waiting(Reason reason, String message) implements Outcome {
        public String line() {
            return "waiting (" + reason + "): " + message;
        }
    }

    /** It was not carried out, because something it relies on does not hold; nothing was touched. */
    record Refused(Reason reason, String message) implements Outcome {
        public String line() {
            return "refused (" + reason + "): " + message;
        }
    }

    /** It was tried and failed; {@code failure} says whether trying again may help. */
    record Failed(Failure failure) implements Outcome {
        public String line() {
            return "failed (" + failure.reason() + (failure.transientFault() ? ", retried" : "") + "): "
                    + failure.message();
        }
    }
}
