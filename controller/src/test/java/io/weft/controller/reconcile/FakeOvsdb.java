package io.weft.controller.reconcile;

import io.weft.model.Host;
import io.weft.model.ovs.DesiredBridge;
import io.weft.model.ovs.DesiredPort;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OVSDB that makes ports as ovs-vswitchd does: with the number asked for, else the next free one; a port
 * whose device does not exist (named "missing...") gets no ofport and an error.
 */
final class FakeOvsdb implements OvsdbSide {
    final Host host;
    final Map<String, BridgePort> ports = new ConcurrentHashMap<>();
    final AtomicInteger applies = new AtomicInteger();
    final AtomicBoolean holdApplies = new AtomicBoolean();
    final List<Runnable> held = new CopyOnWriteArrayList<>();
    volatile Runnable onChange = () -> { };
    volatile boolean connected = true;
    volatile Optional<Long> dpid;
    /** How the session was told to write: {@code lead/GENERATION} or {@code follow}, in order. */
    final List<String> fences = new CopyOnWriteArrayList<>();
    /** The bridge of the last apply. */
    volatile DesiredBridge lastApplied;

    FakeOvsdb(Host host) {
        this.host = host;
        this.dpid = Optional.of(Long.parseLong(host.name().substring(1)));
    }

    void changed() {
        onChange.run();
    }

    Set<String> portNames() {
        return Set.copyOf(ports.keySet());
    }

    Map<String, Integer> ofports() {
        Map<String, Integer> m = new TreeMap<>();
        ports.forEach((n, p) -> p.ofport().or(p::ofportRequest).ifPresent(o -> m.put(n, o)));
        return m;
    }

    void release() {
        holdApplies.set(false);
        held.forEach(Runnable::run);
        held.clear();
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public BridgePorts bridgePorts() {
        return BridgePorts.of(List.copyOf(ports.values()));
    }

    @Override
    public Optional<Long> datapathId() {
        return dpid;
    }

    @Override
    public CompletableFuture<?> apply(DesiredBridge desired) {
        applies.incrementAndGet();
        lastApplied = desired;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable make = () -> {
            Set<String> wanted = new HashSet<>();
            for (DesiredPort p : desired.ports()) {
                wanted.add(p.name());
                if (!ports.containsKey(p.name())) {
                    boolean missing = p.name().startsWith("missing");
                    int n = p.ofportRequest().orElse(100 + ports.size());
                    ports.put(p.name(), new BridgePort(p.name(), missing ? Optional.empty() : Optional.of(n),
                            true, Optional.empty(), missing ? Optional.of("could not open network device "
                            + p.name() + " (No such device)") : Optional.empty(),
                            p.ofportRequest().isPresent() ? Optional.of(p.ofportRequest().getAsInt())
                                    : Optional.empty()));
                }
            }
            ports.entrySet().removeIf(e -> e.getValue().owned() && !wanted.contains(e.getKey()));
            onChange.run();
            done.complete(null);
        };
        if (holdApplies.get()) {
            held.add(make);
        } else {
            make.run();
        }
        return done;
    }

    @Override
    public boolean holds(DesiredBridge desired) {
        Set<String> owned = new HashSet<>();
        ports.forEach((n, p) -> {
            if (p.owned()) {
                owned.add(n);
            }
        });
        return owned.equals(Set.copyOf(desired.ports().stream().map(DesiredPort::name).toList()));
    }

    @Override
    public CompletableFuture<?> lead(long generation) {
        fences.add("lead/" + generation);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void follow() {
        fences.add("follow");
    }

    @Override
    public void close() {
    }
}
