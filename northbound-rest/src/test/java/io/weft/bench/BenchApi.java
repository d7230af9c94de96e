package io.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.northbound.rest.WeftClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** The bench's REST calls: {@link WeftClient}'s, each with the client-side wall time it took. */
final class BenchApi {

    record Reply(int status, JsonNode body, String text, long nanos) {
        boolean ok() {
            return status / 100 == 2;
        }

        double millis() {
            return nanos / 1e6;
        }
    }

    private final WeftClient client;

    BenchApi(WeftClient client) {
        this.client = client;
    }

    WeftClient client() {
        return client;
    }

    private static Reply timed(Supplier<HttpResponse<String>> call) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = call.get();
        long took = System.nanoTime() - t0;
        boolean json = r.headers().firstValue("Content-Type").orElse("").contains("json");
        return new Reply(r.statusCode(), json ? WeftClient.json(r) : WeftClient.JSON.nullNode(), r.body(), took);
    }

    Reply announce(String network, String name, String host, String port, boolean waitForInstall) {
        return timed(() -> client.announce(network, WeftClient.endpoint(name, host, port), waitForInstall));
    }

    Reply remove(String network, String name, boolean waitForInstall) {
        return timed(() -> client.remove(network, name, waitForInstall));
    }

    /** An endpoint to announce. */
    record Endpoint(String network, String name, String host, String port) {
    }

    /** Announces every endpoint, without waiting for installs, from a few client threads; insists on 201 each. */
    void announceAll(List<Endpoint> endpoints) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (Endpoint e : endpoints) {
                replies.add(pool.submit(() -> announce(e.network(), e.name(), e.host(), e.port(), false)));
            }
            for (Future<Reply> f : replies) {
                Reply r = f.get();
                if (r.status() != 201) {
                    throw new IllegalStateException("announcing an endpoint failed: " + r.status() + " " + r.text());
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
