/**
 * The controller's meters: one registry ({@link io.weft.controller.metrics.ControllerMetrics}) owned by the runtime,
 * scraped by {@code GET /metrics}. Who records a meter names it: the reconciler its passes and per-host meters
 * ({@code io.weft.controller.reconcile.ReconcileMeters}), the store its commits
 * ({@link io.weft.controller.store.TimedStore}), the REST northbound its requests and announces.
 */
package io.weft.controller.metrics;
