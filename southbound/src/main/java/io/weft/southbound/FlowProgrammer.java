package io.weft.southbound;

import io.weft.model.flow.Action;
import io.weft.model.flow.FlowKey;
import io.weft.model.flow.FlowRule;
import io.weft.model.flow.GroupRule;
import io.weft.model.flow.Instruction;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlType;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.BundleId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one switch's flow and group tables equal to the desired sets. It reads the switch's tables on connect, then
 * tracks every acknowledged change, so an apply is a pure diff against that view followed by the minimal change:
 * one atomic OpenFlow 1.4 bundle (ATOMIC|ORDERED), or with 1.3 pipelined messages and one barrier.
 *
 * <p>Applies for one switch run one after the other on the switch's event loop; the view is only touched there.
 */
public final class FlowProgrammer {

    private static final Logger LOG = LoggerFactory.getLogger(FlowProgrammer.class);
    /** Messages per write-and-flush while streaming a large change. */
    private static final int CHUNK = 2048;
    private static final Set<OFBundleFlags> BUNDLE_FLAGS = EnumSet.of(OFBundleFlags.ATOMIC, OFBundleFlags.ORDERED);

    private final SwitchConnection conn;
    private final FlowTranslator translator;
    private final OFFactory factory;
    private final AtomicLong flowModsSent = new AtomicLong();
    private final AtomicLong groupModsSent = new AtomicLong();

    // Event-loop confined view of the switch.
    private final Map<FlowKey, FlowRule> installed = new HashMap<>();
    private final Map<Long, GroupRule> groups = new HashMap<>();
    private final List<ForeignFlow> foreign = new ArrayList<>();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private InFlight inFlight;
    private int nextBundleId = 1;

    /** The xids of one apply's messages, to map OFPT_ERRORs back to the change that caused them. */
    private static final class InFlight {
        final Map<Long, Change> byXid = new HashMap<>();
        final List<ApplyException.Rejection> rejections = new ArrayList<>();
        final long startedAt = System.nanoTime();
    }

    FlowProgrammer(SwitchConnection conn, FlowTranslator translator) {
        this.conn = conn;
        this.translator = translator;
        this.factory = translator.factory();
    }

    // ---- public API

    /**
     * Makes the switch hold exactly {@code desired} flows and {@code desiredGroups} groups. Completes when the switch
     * has acknowledged the change (bundle commit or barrier reply); fails with {@link ApplyException} naming what
     * was rejected and what is not applied, or with IllegalArgumentException for contradictory input (nothing sent).
     */
    public CompletableFuture<ApplyResult> apply(Collection<FlowRule> desired, Collection<GroupRule> desiredGroups) {
        List<FlowRule> flows = List.copyOf(desired);
        List<GroupRule> grps = List.copyOf(desiredGroups);
        return serialized(() -> doApply(flows, grps));
    }

    /**
     * Incremental form of {@link #apply}: only the named flows are compared with the view (upserts added or
     * modified where they differ, removals deleted where present); every other flow and all groups stay as they
     * are. For a one-flow change on a 100k-flow switch this skips the full diff. Same atomicity and errors as apply.
     */
    public CompletableFuture<ApplyResult> applyChanges(Collection<FlowRule> upserts, Collection<FlowKey> removals) {
        List<FlowRule> up = List.copyOf(upserts);
        List<FlowKey> down = List.copyOf(removals);
        return serialized(() -> {
            long start = System.nanoTime();
            Map<FlowKey, FlowRule> want = DiffPlanner.index(up);
            List<Change> plan = new ArrayList<>();
            for (FlowKey k : down) {
                FlowRule have = installed.get(k);
                if (have != null && !want.containsKey(k)) {
                    plan.add(new Change.DeleteFlow(have));
                }
            }
            for (FlowRule r : want.values()) {
                FlowRule have = installed.get(r.key());
                if (have == null) {
                    plan.add(new Change.AddFlow(r));
                } else if (!have.equals(r)) {
                    plan.add(new Change.ModifyFlow(have, r));
                }
            }
            return execute(plan, start);
        });
    }

    /** Cookie-masked delete of every matching flow in every table, then a barrier. */
    public CompletableFuture<Void> deleteByCookie(long cookie, long mask) {
        return serialized(() -> {
            long x = conn.xid();
            flowModsSent.incrementAndGet();
            InFlight f = begin();
            f.byXid.put(x, new Change.DeleteForeign(new ForeignFlow(255, 0, factory.matchWildcardAll(), cookie)));
            conn.send(translator.deleteByCookie(cookie, mask, x));
            return barrier().handle((ok, err) -> {
                inFlight = null;
                installed.values().removeIf(r -> (r.cookie() & mask) == (cookie & mask));
                foreign.removeIf(r -> (r.cookie() & mask) == (cookie & mask));
                if (err != null || !f.rejections.isEmpty()) {
                    return resyncNow().thenCompose(v -> CompletableFuture.<Void>failedFuture(
                            new ApplyException("cookie-masked delete failed", f.rejections, List.of())));
                }
                return CompletableFuture.<Void>completedFuture(null);
            }).thenCompose(x2 -> x2);
        });
    }

    /** Re-reads the switch's flows and groups into the view (after a failure, or when in doubt). */
    public CompletableFuture<Void> resync() {
        return serialized(this::resyncNow);
    }

    /** The flows the view holds (acknowledged by the switch). */
    public List<FlowRule> installedFlows() {
        return conn.inLoop(() -> CompletableFuture.completedFuture(List.copyOf(installed.values()))).join();
    }

    public List<GroupRule> installedGroups() {
        return conn.inLoop(() -> CompletableFuture.completedFuture(List.copyOf(groups.values()))).join();
    }

    public List<ForeignFlow> foreignFlows() {
        return conn.inLoop(() -> CompletableFuture.completedFuture(List.copyOf(foreign))).join();
    }

    /** Flow-mods (add, modify, delete) sent to this switch since it connected. */
    public long flowModsSent() {
        return flowModsSent.get();
    }

    public long groupModsSent() {
        return groupModsSent.get();
    }

    // ---- internals, all on the event loop

    int installedCount() {
        return installed.size();
    }

    private <T> CompletableFuture<T> serialized(Supplier<CompletableFuture<T>> task) {
        return conn.inLoop(() -> {
            CompletableFuture<T> next = tail.handle((r, e) -> null).thenCompose(x -> {
                if (!conn.channel().isActive()) {
                    return CompletableFuture.failedFuture(new ClosedChannelException());
                }
                try {
                    return task.get();
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            });
            tail = next;
            return next;
        }).handle((r, e) -> {
            if (e != null) {
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }
            return r;
        });
    }

    CompletableFuture<Void> resyncNow() {
        return conn.flowStats().thenCombine(conn.groupDesc(), (flows, grps) -> {
            installed.clear();
            foreign.clear();
            groups.clear();
            for (OFFlowStatsEntry e : flows) {
                FlowTranslator.parse(e).ifPresentOrElse(r -> installed.put(r.key(), r),
                        () -> foreign.add(new ForeignFlow(e.getTableId().getValue(), e.getPriority(), e.getMatch(),
                                e.getCookie().getValue())));
            }
            for (OFGroupDescStatsEntry e : grps) {
                // A group the model cannot express is replaced: deleting it by id needs no parse.
                long id = e.getGroup().getGroupNumber() & 0xffff_ffffL;
                groups.put(id, FlowTranslator.parse(e).orElseGet(() -> unparsableGroup(id)));
            }
            return null;
        });
    }

    /**
     * Stands in for a group the model cannot express: an ALL group whose one bucket outputs to OFPP_MAX, which no
     * desired group does, so the diff always modifies or deletes it.
     */
    private static GroupRule unparsableGroup(long id) {
        return new GroupRule(id, GroupRule.Type.ALL,
                List.of(new GroupRule.Bucket(0, List.of(new Action.Output(0xffffff00L)))), 0);
    }

    private CompletableFuture<ApplyResult> doApply(List<FlowRule> desired, List<GroupRule> desiredGroups) {
        long start = System.nanoTime();
        List<Change> plan = DiffPlanner.plan(DiffPlanner.index(desired), DiffPlanner.indexGroups(desiredGroups),
                installed, groups, foreign);
        return execute(plan, start);
    }

    private CompletableFuture<ApplyResult> execute(List<Change> plan, long start) {
        if (plan.isEmpty()) {
            return CompletableFuture.completedFuture(new ApplyResult(0, 0, 0, 0, elapsed(start), 0));
        }
        LOG.debug("switch {}: planned {} changes in {} ms", conn.dpidString(), plan.size(),
                (System.nanoTime() - start) / 1_000_000);
        InFlight f = begin();
        boolean bundled = factory.getVersion().compareTo(OFVersion.OF_14) >= 0;
        BundleId bundle = bundled ? BundleId.of(nextBundleId++) : null;
        // Built, wrapped and flushed in chunks, so the switch validates early messages while later ones are built.
        List<OFMessage> chunk = new ArrayList<>(CHUNK);
        if (bundled) {
            long openXid = conn.xid();
            f.byXid.put(openXid, null);
            chunk.add(bundleCtrl(openXid, bundle, OFBundleCtrlType.OPEN_REQUEST));
        }
        long flowMods = 0;
        for (Change c : plan) {
            long x = conn.xid();
            f.byXid.put(x, c);
            OFMessage m = message(c, x);
            // OpenFlow 1.4: a bundle-add carries the xid of the message it wraps.
            chunk.add(bundled ? factory.buildBundleAddMsg().setXid(x).setBundleId(bundle).setFlags(BUNDLE_FLAGS)
                    .setData(m).build() : m);
            if (chunk.size() == CHUNK) {
                conn.send(new OfMessageEncoder.Batch(chunk));
                chunk = new ArrayList<>(CHUNK);
            }
            if (c.isFlowMod()) {
                flowMods++;
            }
        }
        if (!chunk.isEmpty()) {
            conn.send(new OfMessageEncoder.Batch(chunk));
        }
        flowModsSent.addAndGet(flowMods);
        groupModsSent.addAndGet(plan.size() - flowMods);
        long sent = flowMods;
        CompletableFuture<Void> acked = bundled ? commitBundle(f, plan, bundle) : awaitPipelined(f, plan);
        return acked.thenApply(v -> result(plan, start, sent)).whenComplete((r, e) -> inFlight = null);
    }

    /** After OPEN and ADD...: a BARRIER; if any add was refused, DISCARD, else COMMIT. Nothing shows before commit. */
    private CompletableFuture<Void> commitBundle(InFlight f, List<Change> plan, BundleId bundle) {
        long sentAt = System.nanoTime();
        return barrier().thenCompose(v -> {
            LOG.debug("switch {}: {} bundle messages built and written in {} ms, all validated by the switch {} ms later",
                    conn.dpidString(), plan.size() + 1, (sentAt - f.startedAt) / 1_000_000,
                    (System.nanoTime() - sentAt) / 1_000_000);
            if (!f.rejections.isEmpty()) {
                conn.request(x -> bundleCtrl(x, bundle, OFBundleCtrlType.DISCARD_REQUEST));
                return CompletableFuture.failedFuture(new ApplyException(
                        "switch " + conn.dpidString() + " refused part of the bundle; discarded, nothing applied",
                        f.rejections, plan));
            }
            return conn.request(x -> bundleCtrl(x, bundle, OFBundleCtrlType.COMMIT_REQUEST))
                    .handle((reply, err) -> {
                        if (err != null) {
                            List<ApplyException.Rejection> why = new ArrayList<>(f.rejections);
                            if (why.isEmpty()) {
                                why.add(new ApplyException.Rejection(null, unwrap(err).getMessage()));
                            }
                            throw new ApplyException("switch " + conn.dpidString()
                                    + " failed the bundle commit; nothing applied", why, plan);
                        }
                        applyToView(plan);
                        LOG.debug("switch {}: bundle of {} committed, {} ms after start", conn.dpidString(),
                                plan.size(), (System.nanoTime() - f.startedAt) / 1_000_000);
                        return null;
                    });
        });
    }

    /** OpenFlow 1.3: messages in order, then one barrier; refused changes are reported and the view re-read. */
    private CompletableFuture<Void> awaitPipelined(InFlight f, List<Change> plan) {
        return barrier().thenCompose(v -> {
            Set<Change> refused = new HashSet<>();
            f.rejections.forEach(r -> refused.add(r.change()));
            if (refused.isEmpty()) {
                applyToView(plan);
                return CompletableFuture.completedFuture(null);
            }
            LOG.warn("switch {} refused {} of {} changes; re-reading its tables", conn.dpidString(), refused.size(),
                    plan.size());
            return resyncNow().thenCompose(x -> CompletableFuture.failedFuture(new ApplyException("switch "
                    + conn.dpidString() + " refused " + refused.size() + " of " + plan.size()
                    + " changes; the others are applied", f.rejections, List.copyOf(refused))));
        });
    }

    private OFMessage bundleCtrl(long xid, BundleId bundle, OFBundleCtrlType type) {
        return factory.buildBundleCtrlMsg().setXid(xid).setBundleId(bundle).setBundleCtrlType(type)
                .setFlags(BUNDLE_FLAGS).build();
    }

    private CompletableFuture<Void> barrier() {
        return conn.request(x -> factory.buildBarrierRequest().setXid(x).build()).thenApply(r -> null);
    }

    private InFlight begin() {
        inFlight = new InFlight();
        return inFlight;
    }

    /** Called by the connection for an error no request claimed; true if it belongs to the apply in flight. */
    boolean claimError(OFErrorMsg err) {
        InFlight f = inFlight;
        if (f == null || !f.byXid.containsKey(err.getXid())) {
            return false;
        }
        Change c = f.byXid.get(err.getXid());
        f.rejections.add(new ApplyException.Rejection(c, ErrorNames.of(err)));
        return true;
    }

    void onDisconnect() {
        inFlight = null;
    }

    private OFMessage message(Change c, long xid) {
        if (c instanceof Change.AddFlow a) {
            return translator.add(a.rule(), xid);
        } else if (c instanceof Change.ModifyFlow m) {
            // ADD of an existing key replaces it whole, cookie included, in one step; MODIFY_STRICT keeps counters.
            return m.cookieChanged() ? translator.add(m.rule(), xid) : translator.modifyStrict(m.rule(), xid);
        } else if (c instanceof Change.DeleteFlow d) {
            return translator.deleteStrict(d.rule(), xid);
        } else if (c instanceof Change.DeleteForeign d) {
            return translator.deleteStrict(d.flow().tableId(), d.flow().priority(), d.flow().match(), xid);
        } else if (c instanceof Change.AddGroup g) {
            return translator.groupAdd(g.group(), xid);
        } else if (c instanceof Change.ModifyGroup g) {
            return translator.groupModify(g.group(), xid);
        } else if (c instanceof Change.DeleteGroup g) {
            return translator.groupDelete(g.group().groupId(), xid);
        }
        throw new IllegalStateException("unknown change " + c);
    }

    private void applyToView(List<Change> changes) {
        Set<Long> deletedGroups = new HashSet<>();
        for (Change c : changes) {
            if (c instanceof Change.AddFlow a) {
                installed.put(a.rule().key(), a.rule());
            } else if (c instanceof Change.ModifyFlow m) {
                installed.put(m.rule().key(), m.rule());
            } else if (c instanceof Change.DeleteFlow d) {
                installed.remove(d.rule().key());
            } else if (c instanceof Change.DeleteForeign d) {
                foreign.remove(d.flow());
            } else if (c instanceof Change.AddGroup g) {
                groups.put(g.group().groupId(), g.group());
            } else if (c instanceof Change.ModifyGroup g) {
                groups.put(g.group().groupId(), g.group());
            } else if (c instanceof Change.DeleteGroup g) {
                groups.remove(g.group().groupId());
                deletedGroups.add(g.group().groupId());
            }
        }
        if (!deletedGroups.isEmpty()) {
            // A switch removes the flows that output to a deleted group; mirror that so the view stays true.
            installed.values().removeIf(r -> usesGroup(r, deletedGroups));
        }
    }

    private static boolean usesGroup(FlowRule r, Set<Long> ids) {
        for (Instruction i : r.instructions()) {
            if (i instanceof Instruction.ApplyActions a) {
                for (Action act : a.actions()) {
                    if (act instanceof Action.Group g && ids.contains(g.groupId())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static ApplyResult result(List<Change> plan, long start, long flowMods) {
        int added = 0;
        int modified = 0;
        int deleted = 0;
        int groupChanges = 0;
        for (Change c : plan) {
            if (c instanceof Change.AddFlow) {
                added++;
            } else if (c instanceof Change.ModifyFlow) {
                modified++;
            } else if (c instanceof Change.DeleteFlow || c instanceof Change.DeleteForeign) {
                deleted++;
            } else {
                groupChanges++;
            }
        }
        return new ApplyResult(added, modified, deleted, groupChanges, elapsed(start), flowMods);
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
