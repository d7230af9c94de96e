package io.weft.northbound.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request as raw bytes over its own socket, for what an HTTP client refuses to send (broken framing, bad
 * headers, invalid bytes); the reply is read leniently. The socket is half-closed once the request is written, so a
 * request that promises more than it sends ends at once instead of at the server's idle timeout.
 */
final class RawHttp {

    /** The server's answer; {@code status} is -1 if it closed the connection without one. */
    record Reply(int status, Map<String, String> headers, byte[] body) {

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return WeftClient.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType() + " " + text();
        }
    }

    private RawHttp() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static Reply exchange(int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(20_000);
            try {
                s.getOutputStream().write(request);
                s.shutdownOutput();
            } catch (IOException refusedMidway) {
                // the server may answer and close before taking everything (an oversized request): read its answer
            }
            return parse(s.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("exchange with 127.0.0.1:" + port + " failed", e);
        }
    }

    private static Reply parse(byte[] raw) {
        int end = indexOf(raw, ascii("\r\n\r\n"));
        if (raw.length == 0 || end < 0) {
            return new Reply(-1, Map.of(), raw);
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        String length = headers.get("content-length");
        if (length != null && Integer.parseInt(length) < body.length) {
            body = Arrays.copyOf(body, Integer.parseInt(length));
        }
        return new Reply(Integer.parseInt(statusLine[1]), headers, body);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
