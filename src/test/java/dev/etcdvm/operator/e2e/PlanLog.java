package dev.etcdvm.operator.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.etcdvm.operator.reconciler.act.PlanRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * What the printed plans asked of one member, in order, one entry per planned action, e.g. "provision etcd-4 as
     * STANDBY" (from a provision of several machines), "adding etcd-4 (https://...:2380) as a learner".
     */
    List<String> actionsOn(String member) {
        Pattern numbered = Pattern.compile("^\\s+\\d+\\. (.*?)( \\[.*)?$");
        Pattern provisioned = Pattern.compile("\\b" + Pattern.quote(member) + " as [A-Z]+");
        List<String> actions = new ArrayList<>();
        for (List<String> pass : passes()) {
            for (String line : pass) {
                Matcher m = numbered.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String action = m.group(1);
                Matcher machine = provisioned.matcher(action);
                if (action.startsWith("provision ") && machine.find()) {
                    actions.add("provision " + machine.group());
                } else if (!action.startsWith("provision ") && action.matches(".*\\b" + Pattern.quote(member) + "\\b.*")) {
                    actions.add(action.replaceFirst(" \\([0-9a-f]+\\)$", ""));
                }
            }
        }
        return actions;
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
        logger.setLevel(before);
    }
}
