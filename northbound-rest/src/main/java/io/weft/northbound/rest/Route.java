package io.weft.northbound.rest;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/** One operation of the API; the table of these is what the server registers and what the OpenAPI test checks. */
record Route(HandlerType method, String path, Handler handler) {
}
