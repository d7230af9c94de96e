package io.weft.cli;

/** A request that did not succeed: what to print (one line) and the {@link Exit} status it ends the command with. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final int httpStatus;

    /** @param httpStatus the controller's status, 0 when it gave none */
    ApiException(int exitCode, int httpStatus, String message) {
        super(oneLine(message));
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    /** The status a reply's HTTP status maps to: 404 not found, other 4xx refused, 5xx unavailable. */
    static ApiException ofStatus(int status, String detail) {
        int exit = status == 404 ? Exit.NOT_FOUND : status >= 500 ? Exit.UNAVAILABLE : Exit.REFUSED;
        return new ApiException(exit, status, detail);
    }

    int exitCode() {
        return exitCode;
    }

    int httpStatus() {
        return httpStatus;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
