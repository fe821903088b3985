package dev.etcdvm.operator.provision;

import java.net.URI;

/** Client and peer URLs of a member; IPv6 literals need brackets. */
public final class EtcdUrls {
    private EtcdUrls() {
    }

    public static String clientUrl(String address, int clientPort) {
        return "https://" + host(address) + ":" + clientPort;
    }

    public static String peerUrl(String address, int peerPort) {
        return "https://" + host(address) + ":" + peerPort;
    }

    /** The machine address in a peer or client URL (IPv6 without brackets). */
    public static String addressOf(String url) {
        String host = URI.create(url).getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** etcd listens on IP literals only: a DNS name means listening on every interface. */
    static String listenHost(String address) {
        return isIpLiteral(address) ? host(address) : "0.0.0.0";
    }

    public static boolean isIpLiteral(String address) {
        return address.matches("[0-9.]+") || address.contains(":");
    }

    private static String host(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
