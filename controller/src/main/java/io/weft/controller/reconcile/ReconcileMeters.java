package io.weft.controller.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.weft.controller.view.HostStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What the reconciler records: its passes (a count and a duration histogram), and per host its flows desired and
 * installed, its OVSDB and OpenFlow connections (1 or 0) and the flow-mods sent to it. The per-host gauges read the
 * host's published {@link HostStatus} when scraped, so a step pays nothing for them; a pass costs one counter
 * increment and one timer record, a flow batch one counter increment. A host's meters go with it.
 */
final class ReconcileMeters {

    static final String PASSES = "weft.reconcile.passes";
    static final String PASS = "weft.reconcile.pass";
    static final String FLOWS_DESIRED = "weft.flows.desired";
    static final String FLOWS_INSTALLED = "weft.flows.installed";
    static final String OVSDB_CONNECTED = "weft.ovsdb.connected";
    static final String OPENFLOW_CONNECTED = "weft.openflow.connected";
    static final String FLOW_MODS_SENT = "weft.flow.mods.sent";

    private final MeterRegistry registry;
    private final Counter passes;
    private final Timer pass;

    ReconcileMeters(MeterRegistry registry) {
        this.registry = registry;
        this.passes = Counter.builder(PASSES).description("Reconcile passes (steps) run").register(registry);
        this.pass = Timer.builder(PASS).description("How long one reconcile pass took")
                .serviceLevelObjectives(Duration.ofNanos(50_000), Duration.ofNanos(100_000),
                        Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
                        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1))
                .register(registry);
    }

    /** One pass, started at {@code startedNanos} ({@link System#nanoTime}), done now. */
    void passed(long startedNanos) {
        passes.increment();
        pass.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** Registers {@code host}'s meters; its gauges read {@code status} of the host at each scrape. */
    Host host(String host, Function<String, Optional<HostStatus>> status) {
        Counter flowMods = Counter.builder(FLOW_MODS_SENT).description("Flow-mods sent to the host's switch")
                .tag("host", host).register(registry);
        List<Meter> meters = List.of(flowMods,
                gauge(FLOWS_DESIRED, "Flows Weft wants on the host's br-int", host, status, HostStatus::flowsDesired),
                gauge(FLOWS_INSTALLED, "Flows the host's switch acknowledged (as last read)", host, status,
                        HostStatus::flowsInstalled),
                gauge(OVSDB_CONNECTED, "1 while Weft's OVSDB session to the host is connected", host, status,
                        s -> s.ovsdbConnected() ? 1 : 0),
                gauge(OPENFLOW_CONNECTED, "1 while the host's br-int is connected over OpenFlow", host, status,
                        s -> s.openflowConnected() ? 1 : 0));
        return new Host(flowMods, meters, registry);
    }

    /** A gauge of the host's status; 0 until its first status is published. */
    private Gauge gauge(String name, String description, String host,
                        Function<String, Optional<HostStatus>> status, ToDoubleFunction<HostStatus> value) {
        return Gauge.builder(name, () -> status.apply(host).map(value::applyAsDouble).orElse(0.0))
                .description(description).tag("host", host).strongReference(true).register(registry);
    }

    /** One host's meters. */
    static final class Host {
        private final Counter flowModsSent;
        private final List<Meter> meters;
        private final MeterRegistry registry;

        private Host(Counter flowModsSent, List<Meter> meters, MeterRegistry registry) {
            this.flowModsSent = flowModsSent;
            this.meters = meters;
            this.registry = registry;
        }

        void flowModsSent(int count) {
            flowModsSent.increment(count);
        }

        /** The host is gone: its series disappear from the next scrape. */
        void remove() {
            meters.forEach(registry::remove);
        }
    }
}
