package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.Patterns;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Member count, names, addresses and their uniqueness. */
final class MemberRules implements SpecRule {
    @Override
    public void check(EtcdVmCluster cluster, Violations out) {
        List<MemberSpec> members = cluster.getSpec().getMembers();
        if (members == null || members.isEmpty()) {
            out.add("spec.members", "at least one member is required");
            return;
        }
        if (members.size() > EtcdVmClusterSpec.MAX_MEMBERS) {
            out.add("spec.members", members.size() + " members; at most " + EtcdVmClusterSpec.MAX_MEMBERS + " are supported");
        }
        Set<String> names = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            MemberSpec member = members.get(i);
            String at = "spec.members[" + i + "]";
            if (member == null) {
                out.add(at, "must not be null");
                continue;
            }
            if (out.requireMatch(at + ".name", member.getName(), Patterns.DNS1123_LABEL, "a DNS-1123 label")
                    && !names.add(member.getName())) {
                out.add(at + ".name", "duplicate member name \"" + member.getName() + "\"");
            }
            if (out.requireMatch(at + ".address", member.getAddress(), Patterns.HOST_ADDRESS, "an IP address or DNS name")
                    && !validAddress(member.getAddress())) {
                out.add(at + ".address", "\"" + member.getAddress() + "\" is not a valid IP address or DNS name");
            } else if (member.getAddress() != null && !addresses.add(member.getAddress().toLowerCase(Locale.ROOT))) {
                out.add(at + ".address", "duplicate address \"" + member.getAddress() + "\"");
            }
            if (member.getSshPort() != null) {
                out.requireRange(at + ".sshPort", member.getSshPort(), 1, 65535);
            }
        }
    }

    /** The pattern admits 999.1.1.1 and over-long names; these need arithmetic. */
    private static boolean validAddress(String address) {
        if (address.length() > 253) {
            return false;
        }
        if (address.matches("[0-9.]+")) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
        }
        return true;
    }
}
