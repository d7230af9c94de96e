package io.weft.testbed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What {@code ovs-appctl} does, over one connection kept open: JSON-RPC on an OVS daemon's unixctl socket. Worth it
 * where a test asks thousands of questions ({@code ofproto/trace}); one {@code ovs-appctl} process costs milliseconds.
 * Not thread-safe: one request at a time.
 */
public final class Unixctl implements AutoCloseable {

    private final Path socket;
    private final SocketChannel channel;
    private final OutputStream out;
    private final JsonParser in;
    private long nextId;

    private Unixctl(Path socket, SocketChannel channel) throws IOException {
        this.socket = socket;
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        // A Reader, not the stream: Jackson would read ahead to detect the encoding, before any request was sent.
        this.in = TestBed.JSON.createParser(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
    }

    /** Connects to a daemon's {@code --unixctl} socket (e.g. {@code <run dir>/vswitchd.ctl}). */
    public static Unixctl connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new Unixctl(socket, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Runs one command, as {@code ovs-appctl -t SOCKET COMMAND ARGS...}; its text, or an exception with its error. */
    public String call(String command, String... args) throws IOException {
        long id = nextId++;
        ObjectNode request = TestBed.JSON.createObjectNode().put("method", command).put("id", id);
        ArrayNode params = request.putArray("params");
        for (String arg : args) {
            params.add(arg);
        }
        out.write(TestBed.JSON.writeValueAsBytes(request));
        out.flush();
        JsonNode reply = TestBed.JSON.readTree(in);
        if (reply == null) {
            throw new IOException(socket + " closed the connection during " + command);
        }
        if (reply.path("id").asLong(-1) != id) {
            throw new IOException(socket + " answered request " + reply.path("id") + " while " + id + " was pending");
        }
        JsonNode error = reply.path("error");
        if (!error.isNull() && !error.isMissingNode()) {
            throw new IOException(command + " " + String.join(" ", args) + ": " + error.asText().strip());
        }
        return reply.path("result").asText();
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "unixctl " + socket;
    }
}
