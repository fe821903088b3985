package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.Patterns;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An etcd release version; only major, minor and patch matter for what the operator may do. */
public record EtcdVersion(int major, int minor, int patch) implements Comparable<EtcdVersion> {
    /** Exactly the minors the tests run; 3.6 changes flags and upgrade rules, and no 3.6 binary was tested. */
    public static final String SUPPORTED_RANGE = "3.4.x and 3.5.x (no 3.6 release has been tested with this operator)";
    private static final Pattern SEMVER = Pattern.compile(Patterns.SEMVER);

    public static EtcdVersion parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not a version: " + text));
    }

    public static Optional<EtcdVersion> tryParse(String text) {
        Matcher m = SEMVER.matcher(text.startsWith("v") ? text.substring(1) : text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EtcdVersion(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** etcd upgrades one minor at a time: going from this version to {@code wanted} would skip one (or a major). */
    public boolean skipsAMinorTo(EtcdVersion wanted) {
        return wanted.major != major || wanted.minor > minor + 1;
    }

    public boolean isSupported() {
        return major == 3 && minor >= 4 && minor <= 5;
    }

    @Override
    public int compareTo(EtcdVersion other) {
        int byMajor = Integer.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Integer.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
