package io.weft.northbound.rest;

import io.weft.controller.cluster.ClusterStatus;
import io.weft.controller.cluster.ReplicaInfo;
import io.weft.controller.cluster.Replicas;
import io.weft.controller.intent.IntentService;
import io.weft.controller.metrics.ControllerMetrics;
import io.weft.controller.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A REST server on 127.0.0.1 and an ephemeral port over an in-memory store ({@link RefusingStore}) and a controller
 * stand-in, with
 * {@link WeftClient}s for it: {@link #client} may do everything; on a {@link #secured} server it carries the admin
 * token, and {@link #anonymous} and {@link #reader} carry none and a read token.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_TOKEN = "adm-0123456789abcdef0123456789abcdef";
    public static final String READ_TOKEN = "rdr-0123456789abcdef0123456789abcdef";

    private final RefusingStore refusing = new RefusingStore();
    public final Store store = refusing;
    public final IntentService intents = new IntentService(store);
    public final FakeControllerView view = new FakeControllerView(store);
    public final ControllerMetrics metrics = new ControllerMetrics();
    public final RestServer server;
    public final WeftClient anonymous;
    public final WeftClient reader;
    public final WeftClient client;

    /** The replicas of a test server: itself alone. */
    static final ClusterStatus SOLE = () -> Replicas.sole(new ReplicaInfo("test", "http://127.0.0.1:0",
            "unix:/tmp/weft-test.sock", "2026-01-01T00:00:00Z", "test"))
            .view(io.weft.controller.store.StoreHealth.EMBEDDED);

    public TestServer() {
        this(UnaryOperator.identity());
    }

    /** @param configure changes the plain-HTTP, no-token configuration (TLS, tokens...) */
    public TestServer(UnaryOperator<RestConfig> configure) {
        RestConfig config = configure.apply(RestConfig.parse("127.0.0.1:0").withDefaultWait(Duration.ofSeconds(5)));
        server = new RestServer(intents, view, metrics, SOLE, config).start();
        anonymous = WeftClient.local(server.port()).withTimeout(Duration.ofSeconds(20));
        boolean tokens = config.tokens().isPresent();
        reader = tokens ? anonymous.withToken(READ_TOKEN) : anonymous;
        client = tokens ? anonymous.withToken(ADMIN_TOKEN) : anonymous;
    }

    /** A server that asks for tokens: {@link #ADMIN_TOKEN} (orchestrator) and {@link #READ_TOKEN} (dashboard). */
    public static TestServer secured() {
        return new TestServer(c -> c.withTokens(tokens()));
    }

    public static BearerTokens tokens() {
        return BearerTokens.parse(List.of(ADMIN_TOKEN + " admin orchestrator", READ_TOKEN + " read dashboard"),
                "test tokens");
    }

    /** The standard bed: hosts h1 and h2, network red 10.0.0.0/24 (VNI 100) with endpoint c1 on h1. */
    public TestServer withFixture() {
        client.created("/api/v1/hosts", "{\"name\":\"h1\",\"tunnelIp\":\"192.168.1.1\",\"ovsdb\":"
                + "\"unix:/tmp/h1/db.sock\",\"datapathType\":\"netdev\"}");
        client.created("/api/v1/hosts", "{\"name\":\"h2\",\"tunnelIp\":\"192.168.1.2\",\"datapathType\":\"netdev\"}");
        client.created("/api/v1/networks", "{\"name\":\"red\",\"subnets\":[{\"cidr\":\"10.0.0.0/24\",\"gateway\":"
                + "\"10.0.0.1\"}],\"encap\":\"vxlan\",\"vni\":100}");
        client.created("/api/v1/networks/red/endpoints", "{\"name\":\"c1\",\"host\":\"h1\",\"port\":\"veth-c1\","
                + "\"ip\":\"10.0.0.5\"}");
        return this;
    }

    /** From now on the store refuses every write as an etcd store without quorum does, saying {@code why}. */
    public TestServer refuseWrites(String why) {
        refusing.refuseWrites(why);
        return this;
    }

    @Override
    public void close() {
        server.stop();
        store.close();
        metrics.close();
    }
}
