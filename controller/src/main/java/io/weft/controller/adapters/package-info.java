/**
 * Thin adapters from the southbound modules ({@code ovsdb}, {@code southbound}) to the reconciler's
 * {@link io.weft.controller.reconcile.OvsdbSide}: translation only,
 * no decisions, so that the reconciler stays testable with fakes.
 */
package io.weft.controller.adapters;
