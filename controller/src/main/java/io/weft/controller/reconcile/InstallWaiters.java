package io.weft.controller.reconcile;

import io.weft.controller.view.InstallProgress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Who waits for which revision to be installed, and whether it is. A change at revision R concerns a host if the
 * host's desired ports or flows changed in a compiler step that compiled R or later, or if an endpoint written there
 * at or before R is not bound yet (a port someone else adds gets its number from OVS, and only then the flows that
 * deliver to it); a host it does not concern (its state did not change, or only before R) never holds it up, even
 * unreachable. A waiter is pinned to the first step
 * that compiled R once every concerned host has its endpoints written up to R confirmed by OVS (or failed), and is
 * done when every concerned host holds that step's state. Later steps never hold it back, so waiters complete under
 * sustained churn too.
 *
 * <p>Confined to the reconciler's thread.
 */
final class InstallWaiters {

    /** What the waiters need to know of one host. */
    interface HostProgress {
        String name();

        /** The generation of the last compiler step that changed the host's desired ports or flows. */
        long changedAt();

        /** Whether the endpoints on the host written at or before {@code revision} are all confirmed or failed. */
        boolean settled(long revision);

        /** Whether an endpoint on the host written after {@code after}, up to {@code revision}, is not bound yet. */
        boolean binding(long after, long revision);

        /** Whether the host's bridge holds the ports of step {@code generation} (or of a newer one). */
        boolean portsCaughtUpTo(long generation);

        /** Whether the host's switch holds the flows of step {@code generation} (or of a newer one). */
        boolean flowsCaughtUpTo(long generation);

        default boolean caughtUpTo(long generation) {
            return portsCaughtUpTo(generation) && flowsCaughtUpTo(generation);
        }

        /** Why it is not there yet, in an operator's words. */
        String pendingReason();
    }

    private static final int STEPS_KEPT = 100_000;

    private final List<Waiter<?>> waiters = new ArrayList<>();
    /** The last step (generation) that compiled each recent intent revision. */
    private final NavigableMap<Long, Long> generationByRevision = new TreeMap<>();
    private long generation = -1;

    /**
     * One wait for a revision: pinned to a step, answered by {@link InstallWaiters#check} once every host it concerns
     * holds that step. A {@link InstallWaiters#watch} is one of these as it is: completed with nothing to tell.
     */
    private static class Waiter<T> {
        final long revision;
        final CompletableFuture<T> future;
        long pinned = -1;
        long compiledNanos;
        /** What came before its revision; null until that revision is compiled. */
        Base base;

        Waiter(long revision, CompletableFuture<T> future) {
            this.revision = revision;
            this.future = future;
        }
    }

    /** An {@link InstallWaiters#await}: answered with where the revision stands and when each host got it. */
    private static final class ProgressWaiter extends Waiter<InstallProgress> {
        /** Per concerned host, when it got the pinned step's ports and flows (ns; 0 until then). */
        final Map<String, long[]> steps = new HashMap<>();

        ProgressWaiter(long revision, CompletableFuture<InstallProgress> future) {
            super(revision, future);
        }
    }

    void stepped(long generation, long revision) {
        this.generation = generation;
        generationByRevision.put(revision, generation);
        while (generationByRevision.size() > STEPS_KEPT) {
            generationByRevision.pollFirstEntry();
        }
    }

    /**
     * {@code future} completes once {@code revision} is installed; a caller that gives up cancels it. The wait is
     * pinned here, to the step that has compiled the revision if there is one (later steps are not its business), but
     * answered only by the next {@link #check}, which the owner runs after publishing its state: what a completed
     * wait says and what a reader of the published state sees must agree (an acknowledgement taken in but not yet
     * published would answer the wait while the endpoint still reads as installing).
     */
    void await(long revision, CompletableFuture<InstallProgress> future, Collection<? extends HostProgress> hosts) {
        add(new ProgressWaiter(revision, future), hosts);
    }

    /**
     * As {@link #await}, for an owner that only needs to know when {@code revision} is installed (the endpoint facts,
     * one per write): no per-host timeline is kept and no progress is built for it, so that a check costs a few
     * comparisons per watch and host.
     */
    void watch(long revision, CompletableFuture<Void> installed, Collection<? extends HostProgress> hosts) {
        add(new Waiter<>(revision, installed), hosts);
    }

    private void add(Waiter<?> w, Collection<? extends HostProgress> hosts) {
        waiters.add(w);
        pin(w, hosts);
    }

    /** Completes the waiters that are done and drops those their callers gave up on; cheap when nobody waits. */
    void check(Collection<? extends HostProgress> hosts) {
        if (waiters.isEmpty()) {
            return;
        }
        List<Waiter<?>> done = new ArrayList<>();
        for (Waiter<?> w : waiters) {
            if (w.future.isDone()) {
                done.add(w);
                continue;
            }
            pin(w, hosts);
            // Judged at the pinned step, as completion was: newer steps in flight are not this waiter's.
            if (w.pinned >= 0 && completeIfInstalled(w, hosts)) {
                done.add(w);
            }
        }
        waiters.removeAll(done);
    }

    /**
     * Pins {@code w} to the current step once that step has compiled its revision and every endpoint written up to
     * it on a concerned host is bound or failed.
     */
    private void pin(Waiter<?> w, Collection<? extends HostProgress> hosts) {
        if (!base(w)) {
            return;
        }
        if (w.compiledNanos == 0) {
            w.compiledNanos = System.nanoTime();
        }
        if (w.pinned >= 0) {
            return;
        }
        for (HostProgress h : hosts) {
            if (concerns(h, w.base, w.revision) && !h.settled(w.revision)) {
                return;
            }
        }
        w.pinned = generation;
    }

    /**
     * Once its revision is compiled, fixes what came before {@code w}'s revision: the revisions steps compile only grow,
     * so no step can come between them later. Looked up once, not per host and check (each a walk of a large tree).
     *
     * @return whether its revision is compiled
     */
    private boolean base(Waiter<?> w) {
        if (w.base == null && compiled(w.revision)) {
            w.base = baseOf(w.revision);
        }
        return w.base != null;
    }

    /**
     * What came before a revision: the last step that compiled an older revision, and that revision (-1 for both if
     * none); changes up to that step predate a waiter of the revision.
     */
    private record Base(long generation, long revision) {
    }

    private Base baseOf(long revision) {
        Map.Entry<Long, Long> e = generationByRevision.lowerEntry(revision);
        return e == null ? new Base(-1, -1) : new Base(e.getValue(), e.getKey());
    }

    /** Where revision {@code revision} stands now on every host it concerns (the others are left out). */
    InstallProgress progress(long revision, Collection<? extends HostProgress> hosts) {
        return progress(revision, hosts, generation);
    }

    /** Where {@code revision} stands on every host it concerns, a host counting as done once it holds {@code step}. */
    private InstallProgress progress(long revision, Collection<? extends HostProgress> hosts, long step) {
        Base base = baseOf(revision);
        SortedSet<String> acknowledged = new TreeSet<>();
        SortedMap<String, String> pending = new TreeMap<>();
        for (HostProgress h : hosts) {
            if (!compiled(revision)) {
                pending.put(h.name(), "revision " + revision + " not compiled yet");
            } else if (!concerns(h, base, revision)) {
                continue;
            } else if (h.settled(revision) && h.caughtUpTo(step)) {
                acknowledged.add(h.name());
            } else {
                pending.put(h.name(), h.pendingReason());
            }
        }
        return new InstallProgress(revision, acknowledged, pending);
    }

    /** Completes {@code w} if every host it concerns holds its pinned step; whether it did. */
    private boolean completeIfInstalled(Waiter<?> w, Collection<? extends HostProgress> hosts) {
        if (w instanceof ProgressWaiter p) {
            return stampCaughtUp(p, hosts) && p.future.complete(withTimeline(progress(p.revision, hosts, p.pinned), p));
        }
        return caughtUp(w, hosts) && w.future.complete(null);
    }

    /** Whether every host {@code w} concerns holds the pinned step; whether it concerns one is asked only if not. */
    private boolean caughtUp(Waiter<?> w, Collection<? extends HostProgress> hosts) {
        for (HostProgress h : hosts) {
            if (!h.caughtUpTo(w.pinned) && concerns(h, w.base, w.revision)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Notes when each concerned host got the pinned step's ports and flows, the first time it is seen.
     *
     * @return whether every host {@code w} concerns holds the pinned step
     */
    private boolean stampCaughtUp(ProgressWaiter w, Collection<? extends HostProgress> hosts) {
        long now = System.nanoTime();
        boolean all = true;
        for (HostProgress h : hosts) {
            if (!concerns(h, w.base, w.revision)) {
                continue;
            }
            boolean ports = h.portsCaughtUpTo(w.pinned);
            boolean flows = h.flowsCaughtUpTo(w.pinned);
            long[] at = w.steps.computeIfAbsent(h.name(), n -> new long[2]);
            if (at[0] == 0 && ports) {
                at[0] = now;
            }
            if (at[1] == 0 && flows) {
                at[1] = now;
            }
            all &= ports && flows;
        }
        return all;
    }

    private static InstallProgress withTimeline(InstallProgress p, ProgressWaiter w) {
        Map<String, InstallProgress.HostSteps> hosts = new TreeMap<>();
        w.steps.forEach((h, at) -> hosts.put(h, new InstallProgress.HostSteps(at[0], at[1])));
        return new InstallProgress(p.revision(), p.acknowledged(), p.pending(),
                Optional.of(new InstallProgress.Timeline(w.compiledNanos, hosts)));
    }

    void failAll(Throwable why) {
        waiters.forEach(w -> w.future.completeExceptionally(why));
        waiters.clear();
    }

    private boolean compiled(long revision) {
        return !generationByRevision.isEmpty() && generationByRevision.lastKey() >= revision;
    }

    private static boolean concerns(HostProgress h, Base base, long revision) {
        return h.changedAt() > base.generation() || h.binding(base.revision(), revision);
    }
}
