package io.weft.testbed;

/** What a command run inside a test bed namespace returned. */
public record ExecResult(int exitCode, String stdout, String stderr) {

    /** Exit code used when the command outlived its timeout and was killed (as timeout(1) does). */
    public static final int TIMED_OUT = 124;

    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or an exception carrying the command's stderr when it failed. */
    public ExecResult orThrow() {
        if (!ok()) {
            throw new IllegalStateException("command failed with exit code " + exitCode + ": " + stderr.strip()
                    + (stdout.isBlank() ? "" : " (stdout: " + stdout.strip() + ")"));
        }
        return this;
    }
}
