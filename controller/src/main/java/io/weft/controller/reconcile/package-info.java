/**
 * The reconciler: the only code that changes switches.
 *
 * <p>Every change (a store commit, an OVSDB cache update, a switch connecting, a port appearing) only marks the
 * affected host dirty. Each host has its own {@link io.weft.controller.reconcile.CoalescingRunner}: one pass at a
 * time, bursts of marks folded into one more pass. A pass reads the newest intent, computes the host's desired
 * bridge ({@link io.weft.controller.reconcile.PortBindings}), lets the OVSDB side diff and apply it, then compiles the
 * host's flows and lets the OpenFlow side diff and apply them. Nothing is ever pushed from an event handler, so a
 * missed event costs at most a delay, never a stale flow; and a host that is slow or gone delays only itself.
 */
package io.weft.controller.reconcile;
