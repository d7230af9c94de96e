package io.weft.northbound.rest;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpException;

/**
 * A write's JSON body, checked before it is parsed: at most {@link #MAX_BYTES}, uncompressed, declared as
 * {@code application/json}, valid UTF-8 (RFC 8259). A body that cannot even be read (a bad chunk size, a
 * connection cut short) is the client's error too. Every refusal is a problem, so nothing half-read is committed.
 */
final class RequestBody {

    /**
     * Far above any real host, network or endpoint (a few hundred bytes), and small enough that the bodies Jetty
     * buffers before anything else runs ({@link RestServer}) stay bounded: at most {@link RestServer#MAX_CONNECTIONS}
     * of them.
     */
    static final long MAX_BYTES = 64 * 1024;

    private RequestBody() {
    }

    static <T> T read(Context ctx, Class<T> type, String what) {
        String coding = ctx.header("Content-Encoding");
        if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
            throw Problem.unsupportedMediaType("Content-Encoding '" + coding + "' is not supported: send the "
                    + what + " uncompressed");
        }
        if (ctx.req().getContentLengthLong() > MAX_BYTES) {
            throw tooLarge();
        }
        byte[] bytes = bytes(ctx);
        if (bytes.length > 0) {
            requireJsonMediaType(ctx.header("Content-Type"));
        }
        return Json.read(utf8(bytes), type, what);
    }

    private static byte[] bytes(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            throw e.getStatus() == 413 ? tooLarge() : Problem.ofHttpStatus(e.getStatus(), e.getMessage());
        } catch (Exception e) { // Jetty's IOExceptions, undeclared through Kotlin
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof HttpException h) {
                    throw Problem.ofHttpStatus(h.getCode(), h.getReason());
                }
            }
            throw Problem.badRequest("unreadable-body", "the request body could not be read ("
                    + e.getClass().getSimpleName() + "): send it whole, with a correct Content-Length or chunking");
        }
    }

    private static void requireJsonMediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw Problem.unsupportedMediaType("Content-Type is missing: send the body as Content-Type: "
                    + "application/json");
        }
        String[] parts = contentType.split(";", -1);
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw Problem.unsupportedMediaType("Content-Type '" + contentType + "' is not supported: send "
                    + "Content-Type: application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv[0].trim().equalsIgnoreCase("charset") && (kv.length < 2
                    || !kv[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                throw Problem.unsupportedMediaType("Content-Type '" + contentType + "': JSON is UTF-8, leave the "
                        + "charset out or give charset=utf-8");
            }
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw Problem.badRequest("invalid-utf8", "the request body is not valid UTF-8: JSON must be sent as "
                    + "UTF-8");
        }
    }

    private static Problem.Failure tooLarge() {
        return Problem.tooLarge("the request body exceeds " + MAX_BYTES + " bytes");
    }
}
