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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted ovsdb-server stand-in on 127.0.0.1 for fault injection: the test reads what the client sent and
 * writes whatever bytes it likes back, including garbage. {@link #dialing} makes it the side that connects, as an
 * ovsdb-server told {@code set-manager} does.
 */
final class FakeOvsdbPeer implements AutoCloseable {

    private final ServerSocket server;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private volatile Socket socket;
    private final CountDownLatch accepted = new CountDownLatch(1);
    private volatile boolean closedByOtherSide;
    private final Thread reader;

    FakeOvsdbPeer() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        reader = new Thread(this::acceptAndRead, "fake-ovsdb-" + server.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    private FakeOvsdbPeer(Socket connected) {
        server = null;
        socket = connected;
        reader = new Thread(this::acceptAndRead, "fake-ovsdb-to-" + connected.getPort());
        reader.setDaemon(true);
        reader.start();
    }

    /** A peer that connects to a passive listener on 127.0.0.1:{@code port}. */
    static FakeOvsdbPeer dialing(int port) throws IOException {
        return new FakeOvsdbPeer(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Whether the other side closed the connection (seen as end of stream). */
    boolean closedByOtherSide() {
        return closedByOtherSide;
    }

    String target() {
        return "tcp:127.0.0.1:" + server.getLocalPort();
    }

    /** The next JSON message the client sent (waits up to 5 s). */
    JsonNode nextRequest() throws InterruptedException {
        JsonNode m = received.poll(5, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("client sent nothing within 5 s");
        }
        return m;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        OutputStream out = connection().getOutputStream();
        out.write(bytes);
        out.flush();
    }

    void closeConnection() throws IOException {
        connection().close();
    }

    /**
     * The accepted connection. The client's connect completes when the kernel accepted it, which can be before the
     * reader thread's accept() returned: wait for that (bounded) rather than write to no socket.
     */
    private Socket connection() throws IOException {
        try {
            if (!accepted.await(5, TimeUnit.SECONDS)) {
                throw new IOException("no client connected within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return socket;
    }

    private void acceptAndRead() {
        try {
            if (server != null) {
                socket = server.accept();
            }
            accepted.countDown();
            JsonParser parser = OvsdbCodec.MAPPER.getFactory().createParser(socket.getInputStream());
            while (parser.nextToken() != null) {
                received.add(OvsdbCodec.MAPPER.readTree(parser));
            }
            closedByOtherSide = true;
        } catch (IOException e) {
            // the client closed: that is what most tests expect
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
        if (socket != null) {
            socket.close();
        }
    }
}
