package dev.etcdvm.operator.ssh;

/** Where and as whom to log in. */
public record SshEndpoint(String host, int port, String user) {
    public boolean isRoot() {
        return "root".equals(user);
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
