package io.weft.northbound.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error replies as problems: what Jetty refuses before any route runs (a request line or header it
 * cannot parse, headers or a URI too long, a bad chunk size, an unknown transfer coding) gets the same
 * {@code application/problem+json} as the API's errors, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        generateCacheControl(response);
        int status = response.getStatus();
        String message = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException e) {
            status = e.getCode();
            message = message != null ? message : e.getReason();
        }
        Problem.Failure failure = Problem.ofHttpStatus(status, message);
        response.setStatus(failure.status());
        if (HttpStatus.hasNoBody(failure.status()) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        // Jetty files a request it could not parse as "BAD /badMessage": that path is not the client's.
        String path = "BAD".equals(request.getMethod()) || request.getHttpURI() == null ? null
                : request.getHttpURI().getPath();
        byte[] body = Json.write(failure.toProblem(path)).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
