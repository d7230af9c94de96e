package io.weft.northbound.rest;

/**
 * An RFC 9457 problem detail; every error of the API is one, sent as {@code application/problem+json}.
 *
 * @param type     a URN naming the kind of problem, stable for clients to switch on
 * @param detail   what went wrong and what to change, in words
 * @param instance the request path
 */
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** Thrown by handlers to answer with a problem; carries everything but the instance. */
    public static final class Failure extends RuntimeException {
        private final String type;
        private final String title;
        private final int status;

        public Failure(int status, String type, String title, String detail) {
            super(detail);
            this.status = status;
            this.type = type;
            this.title = title;
        }

        public Problem toProblem(String instance) {
            return new Problem("urn:weft:problem:" + type, title, status, getMessage(), instance);
        }

        public int status() {
            return status;
        }
    }

    public static Failure badRequest(String type, String detail) {
        return new Failure(400, type, "Bad Request", detail);
    }

    public static Failure notFound(String detail) {
        return new Failure(404, "not-found", "Not Found", detail);
    }

    public static Failure conflict(String detail) {
        return new Failure(409, "conflict", "Conflict", detail);
    }
}
