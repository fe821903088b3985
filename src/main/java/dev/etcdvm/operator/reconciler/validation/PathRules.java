package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.Patterns;
import java.util.Set;

/** Paths that end up in remote commands and unit files must be plain and must not hit system folders. */
final class PathRules {
    /** Folders the operator would damage by owning, chmod-ing or wiping them. */
    private static final Set<String> SYSTEM_DIRECTORIES = Set.of(
            "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt", "/proc", "/root", "/run",
            "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var", "/var/lib", "/var/log", "/usr/lib", "/usr/local");

    private PathRules() {
    }

    static void checkAbsolute(String field, String path, Violations out) {
        if (!out.requireMatch(field, path, Patterns.ABSOLUTE_PATH, "an absolute path of plain segments")) {
            return;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                out.add(field, "must not contain . or .. segments");
                return;
            }
        }
    }

    static void checkDataDir(String field, String path, Violations out) {
        checkAbsolute(field, path, out);
        if (path != null && SYSTEM_DIRECTORIES.contains(path)) {
            out.add(field, path + " is a system directory; use a folder of its own such as /var/lib/etcd");
        }
    }
}
