package io.weft.controller.view;

import io.weft.controller.events.EventSubscription;
import io.weft.controller.plain.Topology;
import io.weft.controller.store.StoreState;
import io.weft.model.EndpointId;
import io.weft.model.NetworkSnapshot;
import io.weft.model.flow.FlowRule;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Everything a northbound may read of the running controller: the committed intent, how far it got on each host,
 * and what each switch holds. Writes go through {@link io.weft.controller.intent.IntentService}.
 */
public interface ControllerView {

    /** The latest committed intent. */
    StoreState intent();

    /**
     * Completes once every host the change at {@code revision} concerns has acknowledged the ports and flows of a
     * state at least as new; never completes while such a host is unreachable (the caller bounds the wait and then
     * asks {@link #installProgress}).
     */
    CompletableFuture<InstallProgress> awaitInstalled(long revision);

    /** Where the change at {@code revision} stands now, host by host. */
    InstallProgress installProgress(long revision);

    Optional<HostStatus> status(String host);

    /**
     * The revision at which endpoint {@code id} was last written, as of a state at revision {@code seenAt} or later;
     * {@code seenAt} itself while the controller has not caught up with that state (which errs towards "installing").
     */
    long endpointWrittenAt(EndpointId id, long seenAt);

    /** The ofport OVS gave (or Weft asked for) {@code port} on {@code host}'s br-int, once known. */
    Optional<Integer> endpointOfport(String host, String port);

    /** The flows Weft wants on the host's br-int now. */
    List<FlowRule> desiredFlows(String host);

    /** The flows the host's switch holds, as it acknowledged them and as Weft's audits last read them. */
    List<FlowRule> installedFlows(String host);

    /**
     * Reads the flows the host's switch holds now, with their counters, over OpenFlow (one flow-stats request,
     * bounded by a timeout). Fails with {@link HostUnreadableException} when the host is unknown, its switch is not
     * connected, or it does not answer in time.
     */
    CompletableFuture<SwitchReading> readFlows(String host);

    /** The intent and the ofports the hosts' flows are compiled with, as of the last reconcile step. */
    NetworkSnapshot snapshot();

    /** Connected OpenFlow switches that belong to no Weft host. */
    List<PlainSwitch> plainSwitches();

    /** The plain switches as discovered: switches, their up ports, links and learned hosts. */
    Topology plainTopology();

    /**
     * Follows the controller's events (hosts connecting, tunnels, networks, endpoints bound and removed, flows
     * installed, drift, errors) from now on, after those buffered since event id {@code after}; see
     * {@link io.weft.controller.events.EventBus#subscribe}. The caller closes the subscription.
     */
    EventSubscription subscribe(OptionalLong after);
}
