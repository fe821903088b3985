package dev.etcdvm.operator.reconciler.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects violations; small helpers keep each rule to one line per check. */
public final class Violations {
    private final List<SpecViolation> found = new ArrayList<>();

    public void add(String field, String message) {
        found.add(SpecViolation.of(field, message));
    }

    public void addExternal(String field, String message) {
        found.add(new SpecViolation(field, message, true));
    }

    /** Adds a violation unless {@code value} is present and matches {@code regex} entirely. */
    public boolean requireMatch(String field, String value, String regex, String expected) {
        if (value == null || value.isEmpty()) {
            add(field, "is required");
            return false;
        }
        if (!Pattern.compile(regex).matcher(value).matches()) {
            add(field, "\"" + printable(value) + "\" is not " + expected);
            return false;
        }
        return true;
    }

    /** Like {@link #requireMatch} but an absent value is fine. */
    public void optionalMatch(String field, String value, String regex, String expected) {
        if (value != null) {
            requireMatch(field, value, regex, expected);
        }
    }

    public void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            add(field, value + " is outside " + min + ".." + max);
        }
    }

    public List<SpecViolation> list() {
        return List.copyOf(found);
    }

    /** Echoing user input into status is fine, but not control characters or unbounded length. */
    static String printable(String value) {
        String cleaned = value.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 80 ? cleaned.substring(0, 77) + "..." : cleaned;
    }
}
