package io.weft.northbound.rest;

import org.eclipse.jetty.http.HttpStatus;

/**
 * An RFC 9457 problem detail; every error of the API is one, sent as {@code application/problem+json}.
 *
 * @param type     a URN naming the kind of problem, stable for clients to switch on
 * @param detail   what went wrong and what to change, in words
 * @param instance the request path (absent when the request was too broken to have one)
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

    public static Failure unsupportedMediaType(String detail) {
        return new Failure(415, "unsupported-media-type", "Unsupported Media Type", detail);
    }

    public static Failure tooLarge(String detail) {
        return new Failure(413, "too-large", "Content Too Large", detail);
    }

    /**
     * A problem for a status that HTTP itself produced (Jetty's parser, Javalin's routing), with {@code reason} as
     * the server gave it. A request Weft cannot understand is the client's error: 4xx, never 5xx, except a server
     * failure, which is 500 and says where to look.
     */
    static Failure ofHttpStatus(int status, String reason) {
        String said = reason == null || reason.isBlank() ? "" : ": " + reason;
        return switch (status) {
            case 400 -> badRequest("malformed-request", "the request is not valid HTTP/1.1" + said);
            case 408 -> new Failure(408, "request-timeout", "Request Timeout", "the request did not arrive in time"
                    + said);
            case 411 -> new Failure(411, "length-required", "Length Required", "a body needs a Content-Length or "
                    + "chunked transfer coding" + said);
            case 413 -> tooLarge("the request body is too large" + said);
            case 414 -> new Failure(414, "uri-too-long", "URI Too Long", "the request URI is too long" + said);
            case 415 -> unsupportedMediaType("the request body's media type or coding is not supported" + said);
            case 431 -> new Failure(431, "headers-too-large", "Request Header Fields Too Large",
                    "the request's headers are too large" + said);
            // Jetty answers an unknown transfer coding with 501; for a client it is a malformed request.
            case 501 -> badRequest("malformed-request", "the request uses an HTTP feature Weft does not support"
                    + said);
            case 505 -> new Failure(505, "http-version-not-supported", "HTTP Version Not Supported",
                    "use HTTP/1.1" + said);
            default -> status >= 400 && status < 500
                    ? new Failure(status, "http-" + status, HttpStatus.getMessage(status),
                            "the request was refused" + said)
                    : new Failure(500, "internal", "Internal Server Error", "the controller failed to handle this "
                            + "request; the log has the details");
        };
    }
}
