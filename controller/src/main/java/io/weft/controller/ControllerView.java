package io.weft.controller;

import io.weft.model.EndpointId;
import io.weft.model.flow.FlowRule;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the northbound may ask of the running controller beyond the store: progress, status and flows. */
public interface ControllerView {

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

    /** The flows Weft wants on the host's br-int now. */
    List<FlowRule> desiredFlows(String host);

    /** The flows the switch acknowledged, as Weft's programmer tracks them. */
    List<FlowRule> installedFlows(String host);
}
