package dev.etcdvm.operator.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.etcdvm.operator.reconciler.act.PlanRunner;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The plans the operator printed at DEBUG for one cluster while this is open, and each action's outcome: what a
 * user sees with {@code dev.etcdvm.operator.reconciler.act.PlanRunner} at DEBUG.
 */
final class PlanLog implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger(PlanRunner.class);
    private final Level before = logger.getLevel();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final String cluster;

    PlanLog(String namespace, String cluster) {
        this.cluster = namespace + "/" + cluster;
        lines.start();
        logger.addAppender(lines);
        logger.setLevel(Level.DEBUG);
    }

    /** Each plan with its actions' outcomes, one block per pass, in the order the passes ran. */
    List<List<String>> passes() {
        List<List<String>> passes = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(lines.list)) {
            if (!cluster.equals(e.getMDCPropertyMap().get("cluster"))) {
                continue;
            }
            String line = e.getFormattedMessage();
            if (line.startsWith("plan ") || passes.isEmpty()) {
                passes.add(new ArrayList<>());
            }
            passes.get(passes.size() - 1).add(line);
        }
        return passes;
    }

    /** The passes that acted, printed one line each. */
    String acting() {
        StringBuilder out = new StringBuilder();
        passes().stream().filter(p -> p.size() > 1 && !p.get(1).contains("(nothing to do)"))
                .forEach(p -> p.forEach(line -> out.append(line).append('\n')));
        return out.toString();
    }

    /** A printed action without its number, its member id and what it relies on, e.g. "provision etcd-4 as STANDBY". */
    static String action(String line) {
        String action = line.strip().replaceFirst("^\\d+\\. ", "").replaceFirst(" \\[.*$", "")
                .replaceFirst(" -> .*$", "");
        return action.replaceFirst("^(provision [^ ]+ as [A-Z]+).*$", "$1").replaceFirst("^(promoting learner [^ ]+).*$", "$1");
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
        logger.setLevel(before);
    }
}
