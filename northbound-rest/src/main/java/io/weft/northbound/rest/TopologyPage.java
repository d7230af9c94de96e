package io.weft.northbound.rest;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The topology page: {@code GET /} is its HTML, {@code /ui/*} its script and style, plain files from the jar. They
 * hold no data and are open to all; the page reads everything from the API, with the user's token if the API asks
 * for one.
 */
final class TopologyPage {

    static final String HOSTED = "/ui";
    static final String DIRECTORY = "/io/weft/northbound/rest/ui";

    private final byte[] index;

    TopologyPage() {
        try (InputStream in = TopologyPage.class.getResourceAsStream(DIRECTORY + "/index.html")) {
            if (in == null) {
                throw new IllegalStateException(DIRECTORY + "/index.html is missing from the classpath");
            }
            index = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code path} is one of the page's own files, open without a token. */
    static boolean isPagePath(String path) {
        return path.equals("/") || path.startsWith(HOSTED + "/");
    }

    void configure(JavalinConfig c) {
        c.staticFiles.add(files -> {
            files.hostedPath = HOSTED;
            files.directory = DIRECTORY;
            files.location = Location.CLASSPATH;
        });
        c.routes.addHttpHandler(HandlerType.GET, "/", this::index);
    }

    private void index(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache").result(index);
    }
}
