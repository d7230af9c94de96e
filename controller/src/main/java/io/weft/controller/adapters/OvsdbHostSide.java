package io.weft.controller.adapters;

import io.weft.controller.reconcile.BridgePort;
import io.weft.controller.reconcile.BridgePorts;
import io.weft.controller.reconcile.OvsdbSide;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.Ownership;
import io.weft.ovsdb.OvsdbHost;
import io.weft.ovsdb.OvsdbHostListener;
import io.weft.ovsdb.OvsdbRow;
import io.weft.ovsdb.OvsdbSnapshot;
import io.weft.ovsdb.ProvisionPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A host's {@link OvsdbHost} session seen as the reconciler's {@link OvsdbSide}. */
public final class OvsdbHostSide implements OvsdbSide {

    private final OvsdbHost host;
    private final Runnable onClose;

    /**
     * @param onChange called on every connect, disconnect and cache change
     * @param onClose  called once when the reconciler lets go of the host, before the session closes
     */
    public OvsdbHostSide(OvsdbHost host, Runnable onChange, Runnable onClose) {
        this.host = host;
        this.onClose = onClose;
        host.addListener(new OvsdbHostListener() {
            @Override
            public void connected(OvsdbHost h, OvsdbSnapshot snapshot) {
                onChange.run();
            }

            @Override
            public void disconnected(OvsdbHost h, Throwable cause) {
                onChange.run();
            }

            @Override
            public void cacheChanged(OvsdbHost h, OvsdbSnapshot previous, OvsdbSnapshot current) {
                onChange.run();
            }
        });
    }

    public OvsdbHost host() {
        return host;
    }

    @Override
    public boolean connected() {
        return host.isConnected();
    }

    /** The last snapshot read and its ports: decoding ~200 rows of JSON per pass is most of a port pass's cost. */
    private record Decoded(OvsdbSnapshot snapshot, BridgePorts ports) {
    }

    private volatile Decoded decoded = new Decoded(null, BridgePorts.NONE);

    @Override
    public BridgePorts bridgePorts() {
        OvsdbSnapshot snapshot = host.snapshot();
        Decoded last = decoded;
        if (last.snapshot() == snapshot) {
            return last.ports();
        }
        BridgePorts ports = decode(snapshot);
        decoded = new Decoded(snapshot, ports);
        return ports;
    }

    private static BridgePorts decode(OvsdbSnapshot snapshot) {
        Optional<OvsdbRow> bridge = snapshot.bridge(DesiredBridge.INTEGRATION_BRIDGE);
        if (bridge.isEmpty()) {
            return BridgePorts.NONE;
        }
        List<BridgePort> ports = new ArrayList<>();
        for (OvsdbRow port : snapshot.ports(bridge.get())) {
            List<OvsdbRow> interfaces = snapshot.interfaces(port);
            if (interfaces.isEmpty()) {
                continue;
            }
            OvsdbRow iface = interfaces.get(0);
            long ofport = iface.ofport().orElse(-1);
            String error = iface.optionalString("error").filter(e -> !e.isEmpty()).orElse(null);
            ports.add(new BridgePort(port.name(),
                    ofport > 0 ? Optional.of((int) ofport) : Optional.empty(),
                    port.ownedByWeft(),
                    Optional.ofNullable(iface.externalIds().get(Ownership.IFACE_ID_KEY)),
                    Optional.ofNullable(error),
                    iface.ofportRequest().isPresent() ? Optional.of((int) iface.ofportRequest().getAsLong())
                            : Optional.empty()));
        }
        return BridgePorts.of(ports);
    }

    @Override
    public Optional<Long> datapathId() {
        return host.datapathId().filter(s -> !s.isEmpty()).map(s -> Long.parseUnsignedLong(s, 16));
    }

    @Override
    public CompletableFuture<?> apply(DesiredBridge desired) {
        return host.apply(desired);
    }

    @Override
    public boolean holds(DesiredBridge desired) {
        OvsdbSnapshot snapshot = host.snapshot();
        return snapshot.openVSwitch().isPresent() && ProvisionPlanner.plan(desired, snapshot).isEmpty();
    }

    @Override
    public CompletableFuture<?> lead(long generation) {
        return host.lead(generation);
    }

    @Override
    public void follow() {
        host.follow();
    }

    @Override
    public void close() {
        onClose.run();
        host.close();
    }
}
