package dev.etcdvm.operator.ssh;

/** Exit status and output of one remote command. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
