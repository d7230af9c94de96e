package io.weft.ovsdb;

import io.weft.ovsdb.Operation.Select;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive OVSDB: listens on {@code ptcp:} or {@code punix:} for ovsdb-servers told
 * {@code ovs-vsctl set-manager tcp:...} or {@code unix:...}, identifies each by
 * {@code Open_vSwitch.external_ids:system-id} and hands the connection to that host's {@link OvsdbHost}.
 * Unknown hosts are disconnected (ovsdb-server will retry with its own backoff).
 */
public final class OvsdbManagerListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OvsdbManagerListener.class);

    private final OvsdbTransport.Listening listening;

    private OvsdbManagerListener(OvsdbTransport.Listening listening) {
        this.listening = listening;
    }

    public static CompletableFuture<OvsdbManagerListener> start(OvsdbTransport transport, String target,
                                                                ConnectionOptions options,
                                                                Function<String, Optional<OvsdbHost>> hostBySystemId) {
        return transport.listen(target, options, c -> identify(c, hostBySystemId))
                .thenApply(OvsdbManagerListener::new);
    }

    private static void identify(OvsdbConnection c, Function<String, Optional<OvsdbHost>> hostBySystemId) {
        c.transact(List.of(new Select(OvsdbSnapshot.OPEN_VSWITCH, List.of(), List.of("external_ids"))))
                .whenComplete((results, e) -> {
                    if (e != null) {
                        LOG.warn("{}: cannot read system-id: {}", c.peer(), e.getMessage());
                        c.close();
                        return;
                    }
                    Optional<String> systemId = Optional.ofNullable(results.get(0).path("rows").path(0)
                            .get("external_ids")).map(OvsdbCodec::decodeStringMap).map(m -> m.get("system-id"));
                    Optional<OvsdbHost> host = systemId.flatMap(hostBySystemId);
                    if (host.isEmpty()) {
                        LOG.warn("{}: system-id {} is not a known host, disconnecting", c.peer(),
                                systemId.orElse("(none)"));
                        c.close();
                        return;
                    }
                    host.get().attach(c);
                });
    }

    /** The bound TCP port ({@code ptcp:0} picks one), or -1 for {@code punix:}. */
    public int localPort() {
        return listening.localPort();
    }

    @Override
    public void close() {
        listening.close();
    }
}
