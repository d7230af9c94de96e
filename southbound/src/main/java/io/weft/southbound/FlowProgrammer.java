package io.weft.southbound;

import io.weft.model.flow.FlowKey;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
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
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.BundleId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends flow changes to one switch and reads its flow table; it keeps no view of the table (the reconciler owns
 * what the switch holds). A send is one atomic OpenFlow 1.4 bundle (ATOMIC|ORDERED, a barrier before COMMIT so that
 * a refused message means DISCARD), or with 1.3 pipelined messages and one barrier. Sends and reads for one switch
 * run one after the other on the switch's event loop.
 */
final class FlowProgrammer {

    private static final Logger LOG = LoggerFactory.getLogger(FlowProgrammer.class);
    /** Messages per write-and-flush while streaming a large change. */
    private static final int CHUNK = 2048;
    private static final Set<OFBundleFlags> BUNDLE_FLAGS = EnumSet.of(OFBundleFlags.ATOMIC, OFBundleFlags.ORDERED);

    private final SwitchConnection conn;
    private final FlowTranslator translator;
    private final SharedFlowMods shared;
    private final OFFactory factory;
    private final AtomicLong flowModsSent = new AtomicLong();

    // Event-loop confined.
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private InFlight inFlight;
    private int nextBundleId = 1;

    /** The xids of one send's messages, to map OFPT_ERRORs back to the change that caused them. */
    private static final class InFlight {
        final Map<Long, FlowMod> byXid = new HashMap<>();
        final List<ApplyException.Rejection> rejections = new ArrayList<>();
        final long startedAt = System.nanoTime();
    }

    FlowProgrammer(SwitchConnection conn, FlowTranslator translator, SharedFlowMods shared) {
        this.conn = conn;
        this.translator = translator;
        this.shared = shared;
        this.factory = translator.factory();
    }

    boolean atomic() {
        return factory.getVersion().compareTo(OFVersion.OF_14) >= 0;
    }

    /**
     * Sends {@code mods} in order. Completes when the switch acknowledged them (bundle commit or barrier reply);
     * fails with {@link ApplyException} naming what was refused and what is not applied, or with
     * {@link UnsupportedByVersionException}, sending nothing, when the switch's version cannot express a flow.
     */
    CompletableFuture<ApplyResult> send(List<FlowMod> mods) {
        List<FlowMod> plan = List.copyOf(mods);
        byte[][] encoded = new byte[plan.size()][];
        try {
            translator.check(plan);     // refused whole before anything is sent: the switch is left as it was
            // Encoded by the caller, which sends the same shared rules to every switch in turn: the first encodes.
            for (int i = 0; i < encoded.length; i++) {
                encoded[i] = shared.encode(translator, plan.get(i));
            }
        } catch (RuntimeException e) {      // UnsupportedByVersionException, or a value openflowj cannot encode
            return CompletableFuture.failedFuture(e);
        }
        return serialized(() -> execute(plan, encoded));
    }

    /** Every flow the switch holds now, with what each matched. */
    CompletableFuture<FlowTable> dump() {
        return serialized(() -> {
            // Each part's entries are taken as the part arrives (on the event loop) and the part dropped: a whole
            // table's decoded parts would outlive several young collections and be copied by each.
            List<io.weft.model.flow.FlowRule> flows = new ArrayList<>();
            List<ForeignFlow> foreign = new ArrayList<>();
            Map<FlowKey, FlowTable.Counters> counters = new HashMap<>();
            return conn.flowStats(e -> {
                if (e.rule() != null) {
                    flows.add(e.rule());
                    counters.put(e.rule().key(), new FlowTable.Counters(e.packetCount(), e.byteCount()));
                } else {
                    foreign.add(e.foreign());
                }
            }).thenApply(done -> new FlowTable(flows, foreign, counters));
        });
    }

    /** Flow-mods (add, modify, delete) sent to this switch since it connected. */
    long flowModsSent() {
        return flowModsSent.get();
    }

    // ---- internals, all on the event loop

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

    private CompletableFuture<ApplyResult> execute(List<FlowMod> plan, byte[][] encoded) {
        if (plan.isEmpty()) {
            return CompletableFuture.completedFuture(ApplyResult.NONE);
        }
        InFlight f = new InFlight();
        inFlight = f;
        boolean bundled = atomic();
        BundleId bundle = bundled ? BundleId.of(nextBundleId++) : null;
        // Built, wrapped and flushed in chunks, so the switch validates early messages while later ones are built.
        List<OFMessage> chunk = new ArrayList<>(Math.min(CHUNK, plan.size() + 1));
        if (bundled) {
            long openXid = conn.xid();
            f.byXid.put(openXid, null);
            chunk.add(bundleCtrl(openXid, bundle, OFBundleCtrlType.OPEN_REQUEST));
        }
        for (int i = 0; i < encoded.length; i++) {
            long x = conn.xid();
            f.byXid.put(x, plan.get(i));
            chunk.add(message(factory, encoded[i], x, bundle));
            if (chunk.size() == CHUNK) {
                conn.send(new OfMessageEncoder.Batch(chunk));
                chunk = new ArrayList<>(CHUNK);
            }
        }
        if (!chunk.isEmpty()) {
            conn.send(new OfMessageEncoder.Batch(chunk));
        }
        flowModsSent.addAndGet(plan.size());
        CompletableFuture<Void> acked = bundled ? commitBundle(f, plan, bundle) : awaitPipelined(f, plan);
        return acked.thenApply(v -> result(plan, f.startedAt)).whenComplete((r, e) -> inFlight = null);
    }

    /** After OPEN and ADD...: a BARRIER; if any add was refused, DISCARD, else COMMIT. Nothing shows before commit. */
    private CompletableFuture<Void> commitBundle(InFlight f, List<FlowMod> plan, BundleId bundle) {
        return barrier().thenCompose(v -> {
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
                        LOG.debug("switch {}: bundle of {} committed, {} ms after start", conn.dpidString(),
                                plan.size(), (System.nanoTime() - f.startedAt) / 1_000_000);
                        return null;
                    });
        });
    }

    /** OpenFlow 1.3: messages in order, then one barrier; the refused ones are reported, the others are applied. */
    private CompletableFuture<Void> awaitPipelined(InFlight f, List<FlowMod> plan) {
        return barrier().thenCompose(v -> {
            if (f.rejections.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            List<FlowMod> refused = f.rejections.stream().map(ApplyException.Rejection::change).toList();
            return CompletableFuture.failedFuture(new ApplyException("switch " + conn.dpidString() + " refused "
                    + refused.size() + " of " + plan.size() + " changes; the others are applied", f.rejections,
                    refused));
        });
    }

    private OFMessage bundleCtrl(long xid, BundleId bundle, OFBundleCtrlType type) {
        return factory.buildBundleCtrlMsg().setXid(xid).setBundleId(bundle).setBundleCtrlType(type)
                .setFlags(BUNDLE_FLAGS).build();
    }

    private CompletableFuture<Void> barrier() {
        return conn.request(x -> factory.buildBarrierRequest().setXid(x).build()).thenApply(r -> null);
    }

    /** Called by the connection for an error no request claimed; true if it belongs to the send in flight. */
    boolean claimError(OFErrorMsg err) {
        InFlight f = inFlight;
        if (f == null || !f.byXid.containsKey(err.getXid())) {
            return false;
        }
        f.rejections.add(new ApplyException.Rejection(f.byXid.get(err.getXid()), ErrorNames.of(err)));
        return true;
    }

    void onDisconnect() {
        inFlight = null;
    }

    /**
     * The message a switch of {@code factory}'s version gets for a flow-mod {@code encoded} by {@link SharedFlowMods}
     * under {@code xid}: alone, or with OpenFlow 1.4 wrapped in a bundle-add of {@code bundle}, which carries the xid
     * of the message it wraps.
     */
    static OFMessage message(OFFactory factory, byte[] encoded, long xid, BundleId bundle) {
        OFMessage m = SharedFlowMods.message(factory, encoded, xid);
        return bundle == null ? m : factory.buildBundleAddMsg().setXid(xid).setBundleId(bundle)
                .setFlags(BUNDLE_FLAGS).setData(m).build();
    }

    private static ApplyResult result(List<FlowMod> plan, long start) {
        int added = 0;
        int modified = 0;
        int deleted = 0;
        for (FlowMod c : plan) {
            if (c instanceof FlowMod.AddFlow) {
                added++;
            } else if (c instanceof FlowMod.ModifyFlow) {
                modified++;
            } else {
                deleted++;
            }
        }
        return new ApplyResult(added, modified, deleted, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
