package dev.etcdvm.operator.provision;

/**
 * What a machine was provisioned with, kept on it ({@link HostLayout#INSTALL_RECORD_FILE}, one "key value"
 * per line): a wipe removes the directories recorded here, never what the spec says now, and a spec that
 * changes any of it under a member holding data is refused.
 */
public record InstallRecord(String name, String address, String dataDir, String installDir, String user,
        int clientPort, int peerPort) {
    public static final String NAME = "name";
    public static final String ADDRESS = "address";
    /** Read by the RETIRE script, which removes what these two name. */
    public static final String DATA = "data";
    public static final String BIN = "bin";
    public static final String USER = "user";
    public static final String CLIENT_PORT = "client-port";
    public static final String PEER_PORT = "peer-port";

    public String text() {
        return NAME + " " + name + "\n" + ADDRESS + " " + address + "\n" + DATA + " " + dataDir + "\n" + BIN + " "
                + installDir + "\n" + USER + " " + user + "\n" + CLIENT_PORT + " " + clientPort + "\n" + PEER_PORT + " "
                + peerPort + "\n";
    }
}
