package io.weft.northbound.rest;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/** One operation of the API; the table of these is what the server registers and what the OpenAPI test checks. */
record Route(HandlerType method, String path, Handler handler) {

    /** Whether a request for {@code requestPath} is for this route's path template (any method). */
    boolean matches(String requestPath) {
        String[] t = path.split("/");
        String[] p = requestPath.replaceAll("/+$", "").split("/");
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (!t[i].startsWith("{") && !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }
}
