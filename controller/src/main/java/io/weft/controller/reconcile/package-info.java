/**
 * The reconciler: the only code that changes switches.
 *
 * <p>Every change (a store commit, an OVSDB cache update, a switch connecting, a port appearing) only marks work;
 * passes do it, each serialised and coalesced by a {@link io.weft.controller.reconcile.CoalescingRunner}, so a burst
 * of marks folds into one more pass:
 * <ul>
 *   <li>a host's <b>port pass</b> computes its desired bridge ({@link io.weft.controller.reconcile.PortBindings}),
 *       lets the OVSDB side diff and apply it, and publishes which ports are bound and with which ofports;</li>
 *   <li>the <b>fabric compiler step</b> ({@link io.weft.controller.reconcile.FabricCompiler}) builds the compiler's
 *       snapshot from the intent and every host's bindings and gives each host its flow delta;</li>
 *   <li>a host's <b>flow pass</b> sends its switch what its {@link io.weft.controller.reconcile.FlowLedger} holds
 *       unacknowledged: only the changes while the switch is in step, everything (for the programmer to diff) after
 *       a connection or a failure.</li>
 * </ul>
 * Nothing is pushed from an event handler, so a missed event costs at most a delay, never a stale flow; and a host
 * that is slow or gone delays only itself.
 */
package io.weft.controller.reconcile;
