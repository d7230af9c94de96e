package io.weft.controller.reconcile;

import io.weft.controller.plain.Frames;
import io.weft.controller.plain.Link;
import io.weft.controller.plain.Paths;
import io.weft.controller.plain.PlainFlows;
import io.weft.controller.plain.PortRef;
import io.weft.controller.plain.ProbationFlood;
import io.weft.controller.plain.Topology;
import io.weft.controller.plain.UpdateOrder;
import io.weft.model.flow.FailoverGroup;
import io.weft.southbound.GroupDiff;
import io.weft.southbound.GroupMod;
import io.weft.southbound.GroupTable;
import java.util.ArrayDeque;
import java.util.SortedMap;
import java.util.TreeMap;
import io.weft.model.DatapathId;
import io.weft.model.MacAddress;
import io.weft.model.flow.Action;
import io.weft.model.flow.Cookies;
import io.weft.model.flow.Field;
import io.weft.model.flow.FieldMatch;
import io.weft.model.flow.FlowRule;
import io.weft.southbound.ApplyResult;
import io.weft.southbound.FlowTable;
import io.weft.southbound.PacketIn;
import io.weft.southbound.PortEvent;
import io.weft.southbound.PortInfo;
import io.weft.southbound.SwitchFlows;
import io.weft.southbound.SwitchHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain switches: every OpenFlow switch that is not a host's br-int. Events (a switch connecting or going, a port
 * status, a packet-in) only change the {@link Topology}; a step compiles it ({@link PlainFlows}) into each switch's
 * {@link SwitchFlows} and sends what differs, as for hosts, and sends the LLDP probes that are due. A switch that
 * speaks only OpenFlow 1.0 gets the same forwarding in one table; the two kinds mix freely. Confined to the
 * reconciler's thread; time is passed in.
 *
 * <p>A port is probing (no flooding out of it) until probes had their chance to find a link on it: a probation counted
 * from when it came up, started again whenever a switch's flows are first in place (from then on it reports the
 * probes it receives) and whenever a link expires. A switch whose table already holds Weft's flows (the controller
 * restarted) gets nothing sent until its ports left probation, with its hosts read back from those flows, so a
 * topology found again as it was rewrites nothing.
 */
final class PlainFabric {

    private static final Logger log = LoggerFactory.getLogger(PlainFabric.class);

    /**
     * @param probeInterval how often every port sends a probe; a link unheard for {@code linkTimeout} is dropped
     * @param probation     how long a port probes before any probe came back; once some did, ten times the slowest
     *                      round trip seen, and at least {@code minProbation}
     * @param restartHold   at most how long switches that hold an earlier run's flows wait for the links those flows
     *                      name to be found again (their neighbours reconnect at their own pace) before being sent
     *                      what the topology found so far asks for
     */
    record Settings(Duration probeInterval, Duration probation, Duration minProbation, Duration linkTimeout,
                    Duration restartHold) {
        static final Settings DEFAULTS = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    /** One plain switch's OpenFlow side. */
    private static final class PlainSwitch {
        final SwitchHandle sw;
        final SwitchFlows flows = new SwitchFlows();
        final HostState.Retry sends = new HostState.Retry("flows");
        /** The groups it holds (null until read) and those it should hold. */
        GroupTable groups;
        SortedMap<Long, FailoverGroup> wantGroups = new TreeMap<>();
        boolean readingGroups;
        boolean sendingGroups;
        /** What turns {@code groups} into {@code wantGroups}, worked out once per pair ({@link #groupDiff}). */
        private GroupDiff groupDiff;
        private GroupTable diffedFrom;
        private SortedMap<Long, FailoverGroup> diffedTo;
        boolean reading;
        boolean installedOnce;
        /** Its table held Weft's flows from an earlier run. */
        boolean adopted;
        Instant probeAt = Instant.MIN;
        Instant holdUntil = Instant.MIN;

        PlainSwitch(SwitchHandle sw) {
            this.sw = sw;
        }

        /** The groups to send; only while they are known ({@code groups} read). */
        GroupDiff groupDiff() {
            if (groupDiff == null || diffedFrom != groups || diffedTo != wantGroups) {
                groupDiff = GroupDiff.between(groups, wantGroups.values());
                diffedFrom = groups;
                diffedTo = wantGroups;
            }
            return groupDiff;
        }
    }

    private final Loop loop;
    private final Clock clock;
    private final Settings settings;
    private final Map<Long, PlainSwitch> switches = new HashMap<>();
    private final DiscoveryTimers timers;
    private final ProbationFlood flood = new ProbationFlood();
    private Topology topology = Topology.EMPTY;
    private Topology compiled;
    /** What the switches were last offered, and the stages still to offer ({@link UpdateOrder}). */
    private Map<Long, PlainFlows.SwitchState> offered = Map.of();
    private final ArrayDeque<Map<Long, PlainFlows.SwitchState>> stages = new ArrayDeque<>();
    private long generation;
    private Instant wakeAt = Instant.MAX;

    PlainFabric(Loop loop, Clock clock, Settings settings) {
        this.loop = loop;
        this.clock = clock;
        this.settings = settings;
        this.timers = new DiscoveryTimers(settings);
    }

    Topology topology() {
        return topology;
    }

    /**
     * Whether {@code dpid} is a plain switch whose table was read and holds all it should (flows and groups, the
     * update's last stage), nothing held back.
     */
    boolean inSync(long dpid, Instant now) {
        PlainSwitch s = switches.get(dpid);
        return s != null && holdsWhatItWasSent(s, now) && stages.isEmpty() && s.groupDiff().isEmpty();
    }

    /**
     * Whether what {@code s} holds is known to be what it was last sent: its table and groups read, nothing in
     * flight, nothing held back.
     */
    private boolean holdsWhatItWasSent(PlainSwitch s, Instant now) {
        return !s.reading && !held(s, now) && s.flows.inStep() && s.groups != null && !s.sendingGroups;
    }

    /**
     * Whether nothing may be sent to {@code s} yet: it holds an earlier run's flows, and its ports are still probing
     * or the links of that run are not all found again (for at most {@link Settings#restartHold}).
     */
    private boolean held(PlainSwitch s, Instant now) {
        return now.isBefore(s.holdUntil) || s.adopted && timers.waitingForEarlierLinks(topology, now);
    }

    // ---- events

    /** {@code sw} is plain; {@code table}, if given, is a read of it asked for as it connected. */
    void connected(SwitchHandle sw, Optional<CompletableFuture<FlowTable>> table, Instant now) {
        PlainSwitch s = new PlainSwitch(sw);
        switches.put(sw.datapathId(), s);
        offered = withoutSwitch(offered, sw.datapathId());      // what it holds is read, not assumed
        change(topology.withSwitch(sw.datapathId(), sw.ports().values().stream().filter(PortInfo::up)
                .map(PortInfo::ofport).collect(Collectors.toSet())), now);
        log.info("plain switch {} connected ({}) with {} ports up", DatapathId.hex(sw.datapathId()), sw.version(),
                topology.portsOf(sw.datapathId()).size());
        table.ifPresent(t -> read(s, t));
    }

    /**
     * This replica takes the switches over from another: each plain switch is taken as just connected (its table
     * read again, the hosts in it adopted, nothing sent while its links are found again), as after a restart.
     */
    void takeOver(Instant now) {
        for (PlainSwitch s : List.copyOf(switches.values())) {
            disconnected(s.sw.datapathId(), now);
            connected(s.sw, Optional.of(s.sw.flows()), now);
        }
    }

    void disconnected(long dpid, Instant now) {
        if (switches.remove(dpid) != null) {
            change(topology.withoutSwitch(dpid), now);
            log.info("plain switch {} disconnected: its links and hosts are forgotten", DatapathId.hex(dpid));
        }
    }

    void portStatus(long dpid, PortEvent event, Instant now) {
        PlainSwitch s = switches.get(dpid);
        if (s == null) {
            return;
        }
        boolean up = event.type() != PortEvent.Type.REMOVED && event.port().up();
        change(topology.withPort(new PortRef(dpid, event.port().ofport()), up), now);
        if (up) {
            s.probeAt = now;
        }
    }

    void packetIn(long dpid, PacketIn packet, Instant now) {
        if (!switches.containsKey(dpid)) {
            return;
        }
        PortRef at = new PortRef(dpid, packet.inPort());
        Optional<PortRef> origin = Frames.probeOrigin(packet.data());
        if (origin.isPresent()) {
            Topology next = topology.withLink(origin.get(), at);
            Link link = new Link(origin.get(), at);
            if (next.links().contains(link)) {
                timers.heard(link, origin.get(), now);
            }
            change(next, now);
            return;
        }
        ProbationFlood.Verdict verdict = flood.packetIn(at, packet.data(),
                packet.tableId() == PlainFlows.FORWARD_TABLE, topology, now);
        for (ProbationFlood.Out out : verdict.outs()) {
            PlainSwitch s = switches.get(out.dpid());
            if (s != null) {
                s.sw.packetOut(Action.PORT_CONTROLLER, out.ports().stream().map(p -> (Action) Action.output(p))
                        .toList(), packet.data());
            }
        }
        if (verdict.learn()) {
            Frames.sender(packet.data()).ifPresent(s -> change(topology.withHost(s.mac(), at, s.ip()), now));
        }
    }

    private void change(Topology next, Instant now) {
        if (next == topology) {
            return;
        }
        timers.changed(next, now);
        if (!next.links().equals(topology.links()) || !next.switches().equals(topology.switches())) {
            log.info("plain topology: {} switches, {} links, {} hosts", next.switches().size(), next.links().size(),
                    next.hosts().size());
        }
        topology = next;
    }

    // ---- the step

    void step(Instant now) {
        change(timers.due(topology, now), now);
        if (topology != compiled) {
            Paths paths = Paths.of(topology);
            Map<Long, PlainFlows.SwitchState> desired = PlainFlows.desired(topology, paths, switches.entrySet()
                    .stream().filter(e -> e.getValue().sw.version().singleTable()).map(Map.Entry::getKey)
                    .collect(Collectors.toSet()));
            stages.clear();
            // Staged only from what the switches are known to hold: not while a table is unread or a restarted
            // switch is held (it holds an earlier run's flows, not what was offered).
            boolean holdOffered = switches.values().stream().allMatch(s -> holdsWhatItWasSent(s, now));
            stages.addAll(holdOffered ? UpdateOrder.stages(offered, desired, topology, paths) : List.of(desired));
            compiled = topology;
            offerStage();
        } else if (!stages.isEmpty() && stageApplied(now)) {
            offerStage();
        }
        for (PlainSwitch s : switches.values()) {
            sync(s, now);
            if (!now.isBefore(s.probeAt)) {
                probe(s);
                s.probeAt = now.plus(settings.probeInterval());
            }
        }
        wakeAt(now);
    }

    /** The next stage of the update becomes every switch's desired state. */
    private void offerStage() {
        generation++;
        offered = stages.poll();
        switches.forEach((dpid, s) -> {
            PlainFlows.SwitchState want = offered.get(dpid);
            s.flows.replace(want == null ? List.of() : want.flows(), generation);
            s.wantGroups = want == null ? new TreeMap<>() : want.groups();
        });
    }

    /** Whether every switch that can be sent to holds the stage offered last (its groups and flows). */
    private boolean stageApplied(Instant now) {
        for (PlainSwitch s : switches.values()) {
            boolean sendable = !s.reading && !s.flows.needsRead() && s.groups != null && !held(s, now);
            if (sendable && (!s.flows.caughtUpTo(generation) || s.sendingGroups
                    || !s.groupDiff().beforeFlows().isEmpty())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the table (and groups) when unknown, else sends the next change (held while a restarted switch's ports
     * probe): groups added or changed first, then flows, then groups no flow names any more.
     */
    private void sync(PlainSwitch s, Instant now) {
        if (s.reading || s.readingGroups || s.sends.waiting(now)) {
            return;
        }
        if (s.flows.needsRead()) {
            read(s, s.sw.flows());
            return;
        }
        if (s.groups == null) {
            readGroups(s);
            return;
        }
        if (held(s, now) || s.sendingGroups || s.flows.sending()) {
            return;
        }
        GroupDiff groups = s.groupDiff();
        if (!groups.beforeFlows().isEmpty()) {
            sendGroups(s, groups.beforeFlows());
            return;
        }
        Optional<SwitchFlows.Batch> batch = s.flows.next(generation);
        if (batch.isPresent()) {
            s.sw.send(batch.get().mods()).whenComplete((result, error) ->
                    loop.run(() -> sent(s, batch.get(), result, error)));
        } else if (s.flows.inStep() && !groups.afterFlows().isEmpty()) {
            sendGroups(s, groups.afterFlows());
        }
    }

    /**
     * Reads the groups {@code s} holds: when unknown, or, from an audit, to compare them with what it acknowledged
     * (what someone else changed is then put right by the next step's diff, as flows are).
     */
    private void readGroups(PlainSwitch s) {
        s.readingGroups = true;
        boolean audit = s.groups != null;
        s.sw.groups().whenComplete((table, error) -> loop.run(() -> {
            if (switches.get(s.sw.datapathId()) != s) {
                return;
            }
            s.readingGroups = false;
            if (error != null) {
                if (!audit) {       // an audit's failed read changes nothing: the next audit reads again
                    loop.stepAfter(s.sends.failed("plain switch " + DatapathId.hex(s.sw.datapathId()) + " groups",
                            error, clock.instant()));
                }
                return;
            }
            boolean drifted = audit && !table.equals(s.groups);
            s.groups = table;
            if (drifted) {
                log.warn("plain switch {}: its groups were changed outside Weft; repairing: {}",
                        DatapathId.hex(s.sw.datapathId()), s.groupDiff());
            }
        }));
    }

    private void sendGroups(PlainSwitch s, List<GroupMod> mods) {
        s.sendingGroups = true;
        s.sw.sendGroups(mods).whenComplete((done, error) -> loop.run(() -> {
            if (switches.get(s.sw.datapathId()) != s) {
                return;
            }
            s.sendingGroups = false;
            if (error != null) {
                s.groups = null;            // read again: some of them may be applied
                loop.stepAfter(s.sends.failed("plain switch " + DatapathId.hex(s.sw.datapathId()) + " groups", error,
                        clock.instant()));
                return;
            }
            s.sends.succeeded();
            s.groups = s.groups.after(mods);
            log.info("plain switch {}: {} group changes", DatapathId.hex(s.sw.datapathId()), mods.size());
        }));
    }

    private void sent(PlainSwitch s, SwitchFlows.Batch batch, ApplyResult result, Throwable error) {
        Instant now = clock.instant();
        if (switches.get(s.sw.datapathId()) != s) {
            return;
        }
        if (error != null) {
            s.flows.failed(batch);
            loop.stepAfter(s.sends.failed("plain switch " + DatapathId.hex(s.sw.datapathId()), error, now));
            return;
        }
        s.sends.succeeded();
        s.flows.acknowledged(batch);
        if (!result.unchanged()) {
            log.info("plain switch {}: {} flows added, {} modified, {} removed", DatapathId.hex(s.sw.datapathId()),
                    result.added(), result.modified(), result.deleted());
        }
        if (!s.installedOnce) {
            // From now on it reports the probes it receives: give every probing port a full probation, and probe.
            s.installedOnce = true;
            timers.probationRestarts(now);
            switches.values().forEach(other -> other.probeAt = Instant.MIN);
        }
    }

    private void read(PlainSwitch s, CompletableFuture<FlowTable> table) {
        s.reading = true;
        if (s.groups == null && !s.readingGroups) {
            readGroups(s);                      // alongside: a new switch gets its first flows a round trip sooner
        }
        table.whenComplete((t, error) -> loop.run(() -> {
            if (switches.get(s.sw.datapathId()) != s) {
                return;
            }
            s.reading = false;
            if (error != null) {
                s.flows.reconnected();
                loop.stepAfter(s.sends.failed("plain switch " + DatapathId.hex(s.sw.datapathId()), error,
                        clock.instant()));
                return;
            }
            s.flows.loaded(t);
            adoptHosts(s, t);
        }));
    }

    /**
     * A table that holds Weft's flows was written by an earlier run: its hosts are taken back from their flows, and
     * nothing is sent until its ports have left probation, so what is found again as it was is not rewritten.
     */
    private void adoptHosts(PlainSwitch s, FlowTable table) {
        long dpid = s.sw.datapathId();
        boolean ours = false;
        Topology t = topology;
        List<PortRef> links = new java.util.ArrayList<>();
        for (FlowRule f : table.flows()) {
            if (!Cookies.isWeft(f.cookie()) || Cookies.kind(f.cookie()) != Cookies.Kind.PLAIN) {
                continue;
            }
            ours = true;
            Optional<FieldMatch> in = f.match().get(Field.IN_PORT);
            Optional<FieldMatch> src = f.match().get(Field.ETH_SRC);
            if (f.tableId() == PlainFlows.LEARN_TABLE && in.isPresent() && src.isPresent()) {
                t = t.withHost(new MacAddress(src.get().value()), new PortRef(dpid, in.get().value()),
                        Optional.empty());
            } else if (PlainFlows.namesLinkPort(f)) {
                links.add(new PortRef(dpid, in.get().value()));
            }
        }
        if (ours) {
            Instant now = clock.instant();
            s.holdUntil = now.plus(settings.probation()).plus(settings.probeInterval());
            s.installedOnce = true;
            s.adopted = true;
            timers.earlierRunLinks(links, now);
            change(t, now);
            log.info("plain switch {} holds Weft's flows from before: {} hosts taken back; sending nothing for {} ms",
                    DatapathId.hex(dpid), t.hosts().size(), Duration.between(now, s.holdUntil).toMillis());
            loop.stepAfter(Duration.between(now, s.holdUntil));
        }
    }

    /**
     * Compares each idle plain switch's per-table flow counts with what it acknowledged; where they differ its table
     * is read, and what someone else changed is put right by the next batch (as for hosts' switches). Its groups are
     * read and compared too ({@link #readGroups}): a group has no count to compare first.
     */
    void audit() {
        for (PlainSwitch s : switches.values()) {
            if (s.groups != null && !s.readingGroups && !s.sendingGroups) {
                readGroups(s);
            }
            if (s.reading || !s.flows.inStep()) {
                continue;
            }
            Map<Integer, Long> expected = s.flows.expectedCounts();
            s.sw.flowCounts().whenComplete((counts, error) -> loop.run(() -> {
                if (error == null && switches.get(s.sw.datapathId()) == s && !s.reading && s.flows.inStep()
                        && !counts.equals(expected)) {
                    s.reading = true;
                    s.sw.flows().whenComplete((table, readError) -> loop.run(() -> audited(s, table, readError)));
                }
            }));
        }
    }

    private void audited(PlainSwitch s, FlowTable table, Throwable error) {
        if (switches.get(s.sw.datapathId()) != s) {
            return;
        }
        s.reading = false;
        if (error == null) {
            SwitchFlows.Drift drift = s.flows.audit(table);
            if (!drift.isEmpty()) {
                log.warn("plain switch {}: its flows were changed outside Weft ({}); repairing",
                        DatapathId.hex(s.sw.datapathId()), drift);
            }
        }
    }

    /** LLDP out of every up port, from the port's own address. */
    private void probe(PlainSwitch s) {
        long dpid = s.sw.datapathId();
        for (PortRef p : topology.portsOf(dpid)) {
            PortInfo info = s.sw.ports().get(p.port());
            MacAddress source = info == null ? new MacAddress(0x0200_0000_0000L | (p.port() & 0xffff)) : info.hwAddress();
            s.sw.packetOut(Action.PORT_CONTROLLER, List.of(Action.output(p.port())), Frames.lldp(p, source));
            timers.probeSent(p, clock.instant());
        }
    }

    /** Asks for a step at the next probation end, probe round or link expiry. */
    private void wakeAt(Instant now) {
        Instant next = timers.nextDue(now);
        for (PlainSwitch s : switches.values()) {
            next = DiscoveryTimers.min(next, s.probeAt);
        }
        if (next != Instant.MAX && (wakeAt.isAfter(next) || !wakeAt.isAfter(now))) {
            wakeAt = next;
            // Rounded up to the next millisecond: a step that came a fraction early would find nothing due.
            long micros = Math.max(0, Duration.between(now, next).toNanos() / 1000);
            loop.stepAfter(Duration.ofMillis(micros / 1000 + 1));
        }
    }

    private static Map<Long, PlainFlows.SwitchState> withoutSwitch(Map<Long, PlainFlows.SwitchState> states,
                                                                  long dpid) {
        Map<Long, PlainFlows.SwitchState> out = new HashMap<>(states);
        out.remove(dpid);
        return out;
    }
}
