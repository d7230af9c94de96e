/**
 * The reconciler: the only code that decides what a switch must hold.
 *
 * <p>One thread owns it all ({@link io.weft.controller.reconcile.Reconciler}, with one
 * {@link io.weft.controller.reconcile.HostState} per host). Events come in (a store commit, an OVSDB cache change, a
 * switch connecting, a send acknowledged, an audit's read); each records what it says and asks for a step. A step:
 * <ol>
 *   <li>plans the ports of each host whose intent or cache changed ({@link io.weft.controller.reconcile.PortSync},
 *       {@link io.weft.controller.reconcile.BridgePlan}: tunnels and endpoint ports, with the ofports Weft asks OVS
 *       for, so flows need not wait for OVS; only the ports whose endpoint or cache row changed are planned
 *       again);</li>
 *   <li>advances the fabric compiler by one step ({@link io.weft.controller.reconcile.FabricCompiler}): every host's
 *       flow delta, from exactly the endpoints and ports that changed;</li>
 *   <li>sends each host what differs: the bridge through OVSDB (PortSync), and the next batch of its switch's
 *       {@link io.weft.southbound.SwitchFlows} (desired, installed and in flight, one diff) through OpenFlow
 *       ({@link io.weft.controller.reconcile.FlowSync}, which also audits idle switches for drift).</li>
 * </ol>
 * Acknowledgements come back as events. Waiters ({@link io.weft.controller.reconcile.InstallWaiters}) are checked
 * after each step; readers see a snapshot published after each step. A host's flows go out only once its OVSDB cache
 * and its switch's table have been read, so a restart sends nothing for flows that are already right; audits find
 * flows someone else changed and the next batch repairs them. At start, a switch's table is asked for as it connects,
 * so the switch reads while its host's OVSDB cache arrives and its flows compile (each host's in full, once, when its
 * cache is read).
 *
 * <p>Switches that are no host's br-int are plain switches ({@link io.weft.controller.reconcile.PlainFabric}): their
 * events (connect, port status, packet-in) change a {@link io.weft.controller.plain.Topology}; the same step compiles
 * it into each one's {@link io.weft.southbound.SwitchFlows}, sends the difference and the LLDP probes due.
 *
 * <p>Among several replicas, each step first asks the {@link io.weft.controller.reconcile.Leadership} for this
 * replica's {@link io.weft.controller.reconcile.Mandate}, and only a leader (or the sole replica) sends. A follower
 * plans, compiles and keeps its caches warm: OVSDB monitored, each switch read again while it differs from what was
 * computed, so its waiters answer from what the switches hold. Becoming leader, it asks every switch for MASTER with
 * its generation, fences every host's OVSDB with it and reads every table again before its first batch (plain
 * switches as after a restart): a takeover sends nothing for what is right. A switch or host that refuses it as
 * stale makes it step down.
 */
package io.weft.controller.reconcile;
