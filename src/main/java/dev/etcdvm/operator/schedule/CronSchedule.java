package dev.etcdvm.operator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * A standard 5-field cron schedule in UTC, read by cron-utils (the only package that uses it); the usual
 * @-names are spelt out first.
 */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> NICKNAMES = Map.of("@hourly", "0 * * * *", "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");

    private final ExecutionTime times;

    private CronSchedule(ExecutionTime times) {
        this.times = times;
    }

    /** @throws IllegalArgumentException with cron-utils' own words when the expression is not valid */
    public static CronSchedule parse(String expression) {
        String spelt = NICKNAMES.getOrDefault(expression.trim(), expression.trim());
        Cron cron = PARSER.parse(spelt).validate();
        return new CronSchedule(ExecutionTime.forCron(cron));
    }

    /** Why the expression is not a schedule, or empty when it is one. */
    public static Optional<String> problem(String expression) {
        try {
            parse(expression);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The first scheduled time strictly after this instant. */
    public Instant nextAfter(Instant instant) {
        return times.nextExecution(instant.atZone(ZoneOffset.UTC)).map(t -> t.toInstant())
                .orElseThrow(() -> new IllegalStateException("the schedule has no time after " + instant));
    }

    /** The latest scheduled time at or before this instant, if there was one. */
    public Optional<Instant> lastAtOrBefore(Instant instant) {
        Instant next = instant.plusSeconds(1);
        return times.lastExecution(next.atZone(ZoneOffset.UTC)).map(t -> t.toInstant());
    }
}
