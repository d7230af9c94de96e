package io.weft.cli;

/** The exit statuses of the operator's commands, for scripts; every command's --help lists them. */
final class Exit {

    static final int OK = 0;
    /** The controller refused the request (4xx other than 404): its problem's detail is printed. */
    static final int REFUSED = 1;
    /** picocli's own status for a command line it cannot parse. */
    static final int USAGE = 2;
    /** The controller could not be reached, or failed (5xx). */
    static final int UNAVAILABLE = 3;
    /** What the command names does not exist (404). */
    static final int NOT_FOUND = 4;
    /** With --wait: committed, but not every host acknowledged it in time (202); it is installed when they can. */
    static final int PENDING = 5;

    static final String HEADING = "%nExit status:%n";
    static final String L0 = "0:done";
    static final String L1 = "1:refused by the controller (its reason on stderr)";
    static final String L2 = "2:usage error";
    static final String L3 = "3:controller unreachable or failing (5xx)";
    static final String L4 = "4:not found";
    static final String L5 = "5:with --wait, committed but not yet acknowledged by every host";

    private Exit() {
    }
}
