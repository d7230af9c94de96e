package io.weft.ovsdb;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A scripted ovsdb-server stand-in on 127.0.0.1 for fault injection: the test reads what the client sent and
 * writes whatever bytes it likes back, including garbage.
 */
final class FakeOvsdbPeer implements AutoCloseable {

    private final ServerSocket server;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private volatile Socket socket;
    private final Thread reader;

    FakeOvsdbPeer() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        reader = new Thread(this::acceptAndRead, "fake-ovsdb-" + server.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    String target() {
        return "tcp:127.0.0.1:" + server.getLocalPort();
    }

    /** The next JSON message the client sent (waits up to 5 s). */
    JsonNode nextRequest() throws InterruptedException {
        JsonNode m = received.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("client sent nothing within 5 s");
        }
        return m;
    }

    void send(String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void closeConnection() throws IOException {
        socket.close();
    }

    private void acceptAndRead() {
        try {
            socket = server.accept();
            JsonParser parser = OvsdbCodec.MAPPER.getFactory().createParser(socket.getInputStream());
            while (parser.nextToken() != null) {
                received.add(OvsdbCodec.MAPPER.readTree(parser));
            }
        } catch (IOException e) {
            // the client closed: that is what most tests expect
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (socket != null) {
            socket.close();
        }
    }
}
