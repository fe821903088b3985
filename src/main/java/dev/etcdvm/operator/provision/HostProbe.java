package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.ssh.ExecResult;
import dev.etcdvm.operator.ssh.HostAccessException;
import dev.etcdvm.operator.ssh.RemoteHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a machine's state in one round trip; changes nothing. */
public final class HostProbe {
    private HostProbe() {
    }

    public static HostFacts probe(RemoteHost host, HostLayout layout, int clientPort, int peerPort, Duration timeout)
            throws HostAccessException, ProvisionException {
        List<String> args = new ArrayList<>(List.of(layout.dataDir(), layout.etcdBinary(),
                String.valueOf(clientPort), String.valueOf(peerPort), HostLayout.MARKER_FILE, HostLayout.MEMBER_ID_FILE,
                HostLayout.UNIT_NAME, HostLayout.INSTALL_RECORD_FILE, HostLayout.PLANNED_RESTART_FILE, layout.dataIdFile()));
        args.addAll(HostLayout.MANAGED_FILES);
        ExecResult result = host.exec(RemoteScript.PROBE.reading(timeout, args), timeout);
        if (!result.succeeded()) {
            throw new ProvisionException(ProvisionException.Reason.CommandFailed,
                    "probe exited " + result.exitCode() + ": " + firstLine(result.stderr()));
        }
        return parse(result.stdout(), clientPort, peerPort);
    }

    static HostFacts parse(String output, int clientPort, int peerPort) {
        Map<String, String> values = new HashMap<>();
        Map<String, HostFacts.RemoteFileState> files = new HashMap<>();
        Map<String, String> recorded = new HashMap<>();
        List<String> unsafe = new ArrayList<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).trim();
            if (key.equals("file")) {
                // "<sha256> <mode> <owner> <group> <mtime> <path>"
                String[] parts = value.split(" ", 6);
                if (parts.length == 6) {
                    files.put(parts[5], new HostFacts.RemoteFileState(
                            parts[0] + " " + normalizeMode(parts[1]) + " " + parts[2] + " " + parts[3], parseLong(parts[4])));
                }
            } else if (key.startsWith("record.")) {
                recorded.put(key.substring("record.".length()), value);
            } else if (key.startsWith("unsafe.")) {
                unsafe.add(value);
            } else {
                values.put(key, value);
            }
        }
        return new HostFacts(
                values.getOrDefault("arch", ""),
                "yes".equals(values.get("systemd")),
                Optional.ofNullable(values.get("version")).filter(v -> !v.isEmpty()),
                Math.max(0, parseLong(values.get("binmtime"))),
                HostFacts.DataDir.valueOf(values.getOrDefault("data", "absent").toUpperCase(java.util.Locale.ROOT)),
                Optional.ofNullable(values.get("marker")).filter(v -> !v.isEmpty()),
                Optional.ofNullable(values.get("memberid")).filter(v -> !v.isEmpty()),
                Optional.ofNullable(values.get("dataid")).filter(v -> !v.isEmpty()),
                values.getOrDefault("active", "unknown"),
                "enabled".equals(values.get("enabled")),
                Math.max(0, parseLong(values.get("started"))),
                Map.of(clientPort, values.getOrDefault("port." + clientPort, "unknown"),
                        peerPort, values.getOrDefault("port." + peerPort, "unknown")),
                parseLong(values.get("diskfree")),
                files,
                Math.max(0, parseLong(values.get("planned"))),
                new MachinePaths(values.getOrDefault("real.data", ""), values.getOrDefault("real.bin", ""),
                        List.copyOf(unsafe), Map.copyOf(recorded)));
    }

    /** stat prints 600; the plan says 0600. */
    static String normalizeMode(String mode) {
        return mode.length() == 3 ? "0" + mode : mode;
    }

    private static long parseLong(String value) {
        try {
            return value == null ? -1 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String firstLine(String text) {
        String trimmed = text.strip();
        int nl = trimmed.indexOf('\n');
        String line = nl < 0 ? trimmed : trimmed.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}
