package io.weft.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sustained endpoint adds and deletes without {@code ?wait}: each client thread owns some slots (a pre-created port
 * on a host, in a network) and toggles them round-robin (announce a fresh name on an empty slot, delete the endpoint
 * of a full one), paced to its share of the target rate. A thread that falls behind does not burst to catch up by
 * more than one second's worth.
 */
final class Churn {

    record Slot(String network, String host, String port) {
    }

    record Result(long adds, long deletes, Map<String, Long> errors, List<Double> addMillis,
                  List<Double> deleteMillis, double seconds, Set<String> deletedMacs) {
        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Churn() {
    }

    static Result run(BenchApi api, List<Slot> slots, int threads, double opsPerSecond, double seconds)
            throws InterruptedException {
        AtomicLong adds = new AtomicLong();
        AtomicLong deletes = new AtomicLong();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        List<Double> addMs = Collections.synchronizedList(new ArrayList<>());
        List<Double> delMs = Collections.synchronizedList(new ArrayList<>());
        Set<String> deletedMacs = ConcurrentHashMap.newKeySet();
        long intervalNanos = (long) (threads * 1e9 / opsPerSecond);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Slot> mine = new ArrayList<>();
            for (int i = t; i < slots.size(); i += threads) {
                mine.add(slots.get(i));
            }
            int thread = t;
            workers.add(new Thread(() -> {
                String[] current = new String[mine.size()];
                String[] macs = new String[mine.size()];
                long next = start + thread * intervalNanos / threads;
                long gen = 0;
                for (int op = 0; System.nanoTime() < end; op++) {
                    long now = System.nanoTime();
                    if (now < next) {
                        LockSupport.parkNanos(next - now);
                    } else if (now - next > 1_000_000_000L) {
                        next = now;
                    }
                    next += intervalNanos;
                    int i = op % mine.size();
                    Slot s = mine.get(i);
                    try {
                        if (current[i] == null) {
                            String name = "c" + thread + "s" + i + "g" + (gen++);
                            BenchApi.Reply r = api.announce(s.network(), name, s.host(), s.port(), false);
                            if (r.status() == 201) {
                                current[i] = name;
                                macs[i] = r.body().path("mac").asText();
                                adds.incrementAndGet();
                                addMs.add(r.millis());
                            } else {
                                errors.merge("POST " + r.status(), 1L, Long::sum);
                            }
                        } else {
                            BenchApi.Reply r = api.remove(s.network(), current[i], false);
                            if (r.status() == 204) {
                                deletedMacs.add(macs[i]);
                                current[i] = null;
                                deletes.incrementAndGet();
                                delMs.add(r.millis());
                            } else {
                                errors.merge("DELETE " + r.status(), 1L, Long::sum);
                            }
                        }
                    } catch (java.io.UncheckedIOException e) {
                        errors.merge("I/O " + e.getCause().getClass().getSimpleName(), 1L, Long::sum);
                    } catch (IllegalStateException e) {
                        if (Thread.currentThread().isInterrupted()) {
                            return; // the run is over
                        }
                        throw e;
                    }
                }
            }, "churn-" + t));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        return new Result(adds.get(), deletes.get(), Map.copyOf(errors), List.copyOf(addMs), List.copyOf(delMs), took,
                Set.copyOf(deletedMacs));
    }
}
