package io.weft.ovsdb;

import io.weft.model.LogThrottle;
import io.weft.ovsdb.Operation.Select;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive OVSDB: listens on {@code ptcp:} or {@code punix:} for ovsdb-servers told
 * {@code ovs-vsctl set-manager tcp:...} or {@code unix:...}, identifies each by its {@code Open_vSwitch.external_ids}
 * ({@code system-id} first of all) and hands the connection to the session a {@link PassiveHostLookup} names.
 * A connection the lookup refuses is closed (ovsdb-server will retry with its own backoff).
 */
public final class OvsdbManagerListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OvsdbManagerListener.class);
    private static final LogThrottle REFUSALS = LogThrottle.perMinute();

    private final OvsdbTransport.Listening listening;

    private OvsdbManagerListener(OvsdbTransport.Listening listening) {
        this.listening = listening;
    }

    public static CompletableFuture<OvsdbManagerListener> start(OvsdbTransport transport, String target,
                                                                ConnectionOptions options, PassiveHostLookup lookup) {
        return transport.listen(target, options, c -> identify(c, lookup))
                .thenApply(OvsdbManagerListener::new);
    }

    private static void identify(OvsdbConnection c, PassiveHostLookup lookup) {
        c.transact(List.of(new Select(OvsdbSnapshot.OPEN_VSWITCH, List.of(), List.of("external_ids"))))
                .thenCompose(results -> {
                    Map<String, String> externalIds = new OvsdbRow(OvsdbSnapshot.OPEN_VSWITCH, Map.of("external_ids",
                            results.get(0).path("rows").path(0).path("external_ids"))).externalIds();
                    String systemId = externalIds.get("system-id");
                    if (systemId == null || systemId.isBlank()) {
                        throw new IllegalStateException("its Open_vSwitch row has no external_ids:system-id: set "
                                + "it (ovs-vsctl set Open_vSwitch . external_ids:system-id=NAME)");
                    }
                    return lookup.sessionFor(new PassiveIdentity(peerName(c), systemId, externalIds, c.origin()));
                })
                .whenComplete((host, e) -> {
                    if (e != null) {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        // ovsdb-server retries every few seconds: one line per peer and reason a minute.
                        String from = c.origin().address().map(a -> a.getHostAddress()).orElse(peerName(c));
                        REFUSALS.admit(from + " " + cause.getMessage()).ifPresent(heldBack -> LOG.warn(
                                "passive OVSDB connection from {} refused, disconnecting: {}{}", peerName(c),
                                cause.getMessage(), LogThrottle.heldBackNote(heldBack, REFUSALS.interval())));
                        c.close();
                    } else if (c.isOpen()) {
                        host.attach(c);
                    }
                });
    }

    /** The caller's address; a unix socket's caller has none, so it is named by the listener's path. */
    private static String peerName(OvsdbConnection c) {
        return c.peer().replaceFirst(" <- $", "");
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
