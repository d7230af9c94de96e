package io.weft.northbound.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the REST API records: every request it answered by method, route template and status (the template, never
 * the raw path, so that the series stay as few as the routes), and how long an announce with {@code ?wait} took from
 * its request's arrival until every host acknowledged it.
 */
final class RestMeters {

    static final String REQUESTS = "weft.rest.requests";
    static final String ANNOUNCE_INSTALLED = "weft.announce.installed";
    /** The route of a request that matched none (404, 405). */
    static final String UNMATCHED = "unmatched";

    private final Meter.MeterProvider<Counter> requests;
    private final Timer announceInstalled;

    RestMeters(MeterRegistry registry) {
        this.requests = Counter.builder(REQUESTS).description("REST requests answered, by method, route and status")
                .withRegistry(registry);
        this.announceInstalled = Timer.builder(ANNOUNCE_INSTALLED)
                .description("An endpoint announced with ?wait, from its request's arrival until every host it "
                        + "concerns acknowledged its flows")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
                        Duration.ofSeconds(30))
                .register(registry);
    }

    /** Counts a request once its reply is written; {@code route} is its route's template. */
    void answered(String method, String route, int status) {
        requests.withTags("method", method, "route", route, "status", Integer.toString(status)).increment();
    }

    /** An announce every host acknowledged {@code nanos} after its request arrived. */
    void announceInstalled(long nanos) {
        announceInstalled.record(nanos, TimeUnit.NANOSECONDS);
    }
}
