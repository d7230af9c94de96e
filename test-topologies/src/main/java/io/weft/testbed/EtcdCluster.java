package io.weft.testbed;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An etcd cluster of Debian's {@code etcd} binary on loopback ports, for tests and benches of the etcd store and of
 * controller replicas: members can be killed (SIGKILL), paused (SIGSTOP), resumed and restarted on their data.
 *
 * <p>Each member's client and peer ports are picked free on 127.0.0.1; its data and log live under the cluster's
 * directory, which {@link #close} removes with the members.
 */
public final class EtcdCluster implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(30);

    /** One member: its name, ports and process (null while it is down). */
    public static final class Member {
        private final String name;
        private final int clientPort;
        private final int peerPort;
        private final Path dataDir;
        private Process process;

        private Member(String name, int clientPort, int peerPort, Path dataDir) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dataDir = dataDir;
        }

        public String name() {
            return name;
        }

        /** {@code 127.0.0.1:PORT}, the form etcdctl's {@code --endpoints} and Weft's {@code etcd://} take. */
        public String clientAddress() {
            return "127.0.0.1:" + clientPort;
        }

        public synchronized boolean running() {
            return process != null && process.isAlive();
        }

        public synchronized long pid() {
            if (process == null) {
                throw new IllegalStateException(name + " is not running");
            }
            return process.pid();
        }

        private String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }
    }

    private final Path dir;
    private final List<Member> members;

    private EtcdCluster(Path dir, List<Member> members) {
        this.dir = dir;
        this.members = List.copyOf(members);
    }

    /** Starts {@code size} members as a new cluster under a new directory in {@code parent}; returns once it has a leader. */
    public static EtcdCluster start(int size, Path parent) throws IOException {
        Prerequisites.checkEtcd();
        Path dir = Files.createTempDirectory(parent, "etcd-");
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            members.add(new Member("e" + i, freePort(), freePort(), dir.resolve("e" + i)));
        }
        EtcdCluster cluster = new EtcdCluster(dir, members);
        try {
            for (Member m : members) {
                cluster.launch(m);
            }
            cluster.awaitWritable();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The members' data and logs; {@link #close} removes it. */
    public Path dir() {
        return dir;
    }

    public List<Member> members() {
        return members;
    }

    public Member member(int index) {
        return members.get(index);
    }

    /** {@code 127.0.0.1:P1,127.0.0.1:P2,...}: every member's client address. */
    public String clientAddresses() {
        return members.stream().map(Member::clientAddress).collect(Collectors.joining(","));
    }

    /** The controller's {@code --store} value for this cluster. */
    public String storeUri() {
        return "etcd://" + clientAddresses();
    }

    /** SIGKILL: the member is gone, its data stays for {@link #restart}. */
    public void kill(int index) throws InterruptedException {
        Member m = members.get(index);
        synchronized (m) {
            if (m.process != null) {
                m.process.destroyForcibly();
                m.process.waitFor(10, TimeUnit.SECONDS);
                m.process = null;
            }
        }
    }

    /** SIGSTOP: the member stays connected but answers nothing until {@link #resume}. */
    public void pause(int index) throws IOException, InterruptedException {
        signal(index, "STOP");
    }

    public void resume(int index) throws IOException, InterruptedException {
        signal(index, "CONT");
    }

    /** Starts a killed member again on its data (it rejoins the cluster it was part of). */
    public void restart(int index) throws IOException {
        Member m = members.get(index);
        synchronized (m) {
            if (m.running()) {
                throw new IllegalStateException(m.name + " is running");
            }
        }
        launch(m);
    }

    /** Returns once a put through every running member's address succeeds, or throws after 30 s. */
    public void awaitWritable() throws IOException {
        long deadline = System.nanoTime() + READY.toNanos();
        ExecResult last = null;
        while (System.nanoTime() < deadline) {
            last = etcdctl("--command-timeout=2s", "put", "/weft-test/ready", "1");
            if (last.ok()) {
                return;
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IOException("etcd cluster at " + clientAddresses() + " not writable after " + READY.toSeconds()
                + " s: " + (last == null ? "" : last.stderr().strip()) + "\n" + logs());
    }

    /** Runs etcdctl against the running members. */
    public ExecResult etcdctl(String... args) throws IOException {
        String endpoints = members.stream().filter(Member::running).map(Member::clientAddress)
                .collect(Collectors.joining(","));
        List<String> argv = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("etcdctl " + String.join(" ", args) + " did not finish in 30 s");
            }
            return new ExecResult(p.exitValue(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    /** The tail of every member's log, for failure messages. */
    public String logs() {
        StringBuilder text = new StringBuilder();
        for (Member m : members) {
            Path log = dir.resolve(m.name + ".log");
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                text.append("--- ").append(m.name).append(" (last 20 lines)\n");
                lines.subList(Math.max(0, lines.size() - 20), lines.size())
                        .forEach(l -> text.append(l).append('\n'));
            } catch (IOException e) {
                text.append("--- ").append(m.name).append(": no log\n");
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        for (int i = 0; i < members.size(); i++) {
            try {
                resume(i); // a paused member ignores SIGTERM until resumed; SIGKILL works anyway
            } catch (IOException | InterruptedException | IllegalStateException ignored) {
                // not running
            }
            try {
                kill(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void launch(Member m) throws IOException {
        String initialCluster = members.stream().map(x -> x.name + "=" + x.peerUrl()).collect(Collectors.joining(","));
        List<String> argv = List.of("etcd", "--name", m.name, "--data-dir", m.dataDir.toString(),
                "--listen-client-urls", "http://" + m.clientAddress(),
                "--advertise-client-urls", "http://" + m.clientAddress(),
                "--listen-peer-urls", m.peerUrl(), "--initial-advertise-peer-urls", m.peerUrl(),
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
                "--initial-cluster-token", dir.getFileName().toString(),
                // Tests elect quickly and watch compaction themselves.
                "--heartbeat-interval", "50", "--election-timeout", "500", "--logger", "zap");
        Path log = dir.resolve(m.name + ".log");
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        synchronized (m) {
            m.process = p;
        }
        // A JVM that exits without close() still takes its members along.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    }

    private void signal(int index, String signal) throws IOException, InterruptedException {
        long pid = members.get(index).pid();
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Indexes of the running members. */
    public List<Integer> running() {
        return IntStream.range(0, members.size()).filter(i -> members.get(i).running()).boxed().toList();
    }
}
