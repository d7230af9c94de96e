package io.weft.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running test bed: the launcher process plus its description. Everything lives in fresh namespaces and under
 * {@link #runDir()} ({@code weftbed-XXXX/} in {@code java.io.tmpdir}), so beds never collide. {@link #close()} removes it all; so
 * does the launcher on its own when this JVM dies (stdin EOF).
 */
public final class TestBed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestBed.class);
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<TestBed> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(TestBed::close), "weftbed-shutdown"));
    }

    private final Launcher launcher;
    private final Reaper reaper;
    private final BedDescription description;
    private final String descriptionJson;
    private volatile boolean closed;

    private TestBed(Launcher launcher, BedDescription description, String descriptionJson) {
        this.launcher = launcher;
        this.description = description;
        this.reaper = Reaper.of(description);
        this.descriptionJson = descriptionJson;
    }

    public static TestBed start(TopologySpec spec) {
        return start(spec, DEFAULT_START_TIMEOUT);
    }

    /** Brings the topology up; fails (after the launcher removed what it had made) with the launcher's reason. */
    public static TestBed start(TopologySpec spec, Duration timeout) {
        Prerequisites.check();
        long started = System.nanoTime();
        Launcher launcher = Launcher.start(spec.launcherLine());
        try {
            JsonNode reply = parse(launcher.readLine(timeout), launcher);
            if (!reply.path("ok").asBoolean(false)) {
                launcher.awaitExit(Duration.ofSeconds(15));
                throw new IllegalStateException("test bed " + spec + " failed to start: "
                        + reply.path("error").asText(reply.toString()) + launcher.logTail());
            }
            JsonNode bed = reply.path("bed");
            BedDescription description = JSON.treeToValue(bed, BedDescription.class);
            TestBed testBed = new TestBed(launcher, description, bed.toString());
            OPEN.add(testBed);
            LOG.info("test bed {} up in {} ms: {} hosts, {} containers", description.runDir(),
                    (System.nanoTime() - started) / 1_000_000, description.hosts().size(),
                    description.containers().size());
            return testBed;
        } catch (RuntimeException | JsonProcessingException e) {
            launcher.terminate(Duration.ofSeconds(15));
            launcher.deleteLog();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("bad description from launcher", e);
        }
    }

    public List<BedHost> hosts() {
        return description.hosts();
    }

    public BedHost host(String name) {
        return find(hosts(), name, BedHost::name, "host");
    }

    public List<BedContainer> containers() {
        return description.containers();
    }

    public BedContainer container(String name) {
        return find(containers(), name, BedContainer::name, "container");
    }

    public List<BedContainer> containersOn(String hostName) {
        return containers().stream().filter(c -> c.host().equals(hostName)).toList();
    }

    public List<BedContainer> containersIn(String network) {
        return containers().stream().filter(c -> network.equals(c.network())).toList();
    }

    public List<BedRouter> routers() {
        return description.routers();
    }

    public List<BedSegment> segments() {
        return description.segments();
    }

    /** The overlay networks the topology means its containers to join. */
    public List<TopologySpec.Network> networks() {
        return description.networks();
    }

    public TopologySpec.Network network(String name) {
        return find(networks(), name, TopologySpec.Network::name, "network");
    }

    public Path runDir() {
        return description.runDir();
    }

    public long launcherPid() {
        return launcher.pid();
    }

    public BedDescription description() {
        return description;
    }

    /** The launcher's description as it printed it. */
    public String descriptionJson() {
        return descriptionJson;
    }

    /** Takes the veth between two nodes down at both ends (e.g. {@code linkDown("h1", "lan1")}). */
    public void linkDown(String a, String b) {
        command("link-down " + a + " " + b);
    }

    public void linkUp(String a, String b) {
        command("link-up " + a + " " + b);
    }

    /** Stops ovs-vswitchd (SIGTERM), starts it again, waits until it applied the database, re-adds br-phy's IP. */
    public long restartVswitchd(String hostName) {
        return command("restart-vswitchd " + host(hostName).name()).path("pid").asLong();
    }

    /** Stops ovsdb-server and starts it again on the same conf.db; clients must reconnect. */
    public long restartOvsdb(String hostName) {
        return command("restart-ovsdb " + host(hostName).name()).path("pid").asLong();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Removes everything the bed made; idempotent, also safe after the launcher died. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        OPEN.remove(this);
        try {
            if (launcher.isAlive()) {
                JsonNode reply = parse(launcher.request("down", Duration.ofSeconds(30)), launcher);
                LOG.info("test bed {} down in {} s", runDir(), reply.path("seconds").asDouble());
            }
        } catch (RuntimeException e) {
            LOG.warn("test bed {}: clean 'down' failed, terminating the launcher: {}", runDir(), e.getMessage());
        } finally {
            if (!launcher.awaitExit(Duration.ofSeconds(10))) {
                launcher.terminate(Duration.ofSeconds(10));
            }
            int killed = reaper.reap();
            if (killed > 0) {
                LOG.warn("test bed {}: the launcher left {} processes behind; killed them{}", runDir(), killed,
                        launcher.logTail());
            }
            launcher.deleteLog();
        }
    }

    /** For tests of teardown: behave like a JVM that died (the launcher sees stdin EOF). */
    Launcher launcher() {
        return launcher;
    }

    private synchronized JsonNode command(String line) {
        if (closed) {
            throw new IllegalStateException("test bed " + runDir() + " is closed");
        }
        JsonNode reply = parse(launcher.request(line, COMMAND_TIMEOUT), launcher);
        if (!reply.path("ok").asBoolean()) {
            throw new IllegalStateException("test bed command '" + line + "' failed: " + reply.path("error").asText());
        }
        return reply;
    }

    private static JsonNode parse(String line, Launcher launcher) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("launcher printed something that is not JSON: " + line + launcher.logTail(),
                    e);
        }
    }

    private static <T> T find(List<T> items, String name, java.util.function.Function<T, String> nameOf, String kind) {
        return items.stream().filter(i -> nameOf.apply(i).equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no " + kind + " named '" + name + "' in this bed; have "
                        + items.stream().map(nameOf).toList()));
    }
}
