package dev.etcdvm.operator.provision;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the JSON line of {@code etcdutl snapshot status -w json} (and etcdctl's, on 3.4). */
final class SnapshotStatus {
    private SnapshotStatus() {
    }

    static SnapshotCheck parse(String output) throws ProvisionException {
        return new SnapshotCheck(number(output, "hash"), number(output, "revision"), number(output, "totalKey"),
                number(output, "totalSize"));
    }

    private static long number(String output, String field) throws ProvisionException {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(output);
        if (!m.find()) {
            throw new ProvisionException(ProvisionException.Reason.CommandFailed, "snapshot status has no " + field
                    + ": " + HostProbe.firstLine(output));
        }
        return Long.parseLong(m.group(1));
    }
}
