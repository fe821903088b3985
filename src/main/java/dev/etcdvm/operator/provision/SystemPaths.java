package dev.etcdvm.operator.provision;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which directories the operator may own. The data directory is chowned to the service user and, under
 * Wipe, removed; the install directory receives root-run binaries. Both rules apply twice: to the spec's
 * path before any command, and to the path as the machine resolves it (symlinks followed).
 */
public final class SystemPaths {
    /** Directories a machine needs as they are: owning, chmod-ing or wiping one of them breaks the machine. */
    private static final Set<String> SYSTEM_DIRECTORIES = Set.of(
            "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt",
            "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var", "/usr/bin", "/usr/lib",
            "/usr/local", "/usr/local/bin", "/usr/local/lib", "/usr/local/sbin", "/usr/sbin", "/usr/share",
            "/var/cache", "/var/lib", "/var/local", "/var/log", "/var/mail", "/var/opt", "/var/spool", "/var/tmp");
    /** Trees that hold no etcd data: system files, memory-backed or shared scratch space. */
    private static final List<String> NO_DATA_UNDER = List.of(
            "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin", "/sys",
            "/tmp", "/usr", "/var/cache", "/var/log", "/var/mail", "/var/run", "/var/spool", "/var/tmp");
    /** Trees where binaries run as root must not live: configuration, kernel and memory-backed or shared space. */
    private static final List<String> NO_BINARIES_UNDER = List.of(
            "/boot", "/dev", "/etc", "/proc", "/run", "/sys", "/tmp", "/var/tmp", "/dev/shm");

    private SystemPaths() {
    }

    /** Why {@code path} must not be the etcd data directory, if it must not. */
    public static Optional<String> dataDirProblem(String path) {
        if (SYSTEM_DIRECTORIES.contains(path) || isParentOfSystemDirectory(path)) {
            return Optional.of(path + " is a system directory or holds one; use a folder of its own such as /var/lib/etcd");
        }
        return NO_DATA_UNDER.stream().filter(tree -> isUnder(path, tree)).findFirst()
                .map(tree -> path + " is inside " + tree + ", which is no place for etcd data; use e.g. /var/lib/etcd");
    }

    /** Why {@code path} must not receive the etcd binaries, if it must not. */
    public static Optional<String> installDirProblem(String path) {
        if (path.equals("/") || isParentOfSystemDirectory(path)) {
            return Optional.of(path + " holds system directories; use e.g. /usr/local/bin");
        }
        return NO_BINARIES_UNDER.stream().filter(tree -> path.equals(tree) || isUnder(path, tree)).findFirst()
                .map(tree -> path + " is " + (path.equals(tree) ? "" : "inside ") + tree
                        + ", where binaries run as root must not live; use e.g. /usr/local/bin");
    }

    /** Why the two directories must not be used together: a wipe of the data would take the binaries along. */
    public static Optional<String> overlapProblem(String dataDir, String installDir) {
        if (dataDir.equals(installDir) || isUnder(installDir, dataDir) || isUnder(dataDir, installDir)) {
            return Optional.of("the data directory " + dataDir + " and the install directory " + installDir
                    + " must not contain each other");
        }
        return Optional.empty();
    }

    private static boolean isParentOfSystemDirectory(String path) {
        return path.equals("/") || SYSTEM_DIRECTORIES.stream().anyMatch(system -> isUnder(system, path));
    }

    /** {@code path} lies strictly below {@code tree}. */
    static boolean isUnder(String path, String tree) {
        return path.startsWith(tree.endsWith("/") ? tree : tree + "/");
    }
}
