package io.weft.controller;

import io.weft.controller.cluster.ClusterStatus;
import io.weft.controller.intent.IntentService;
import io.weft.controller.metrics.ControllerMetrics;
import io.weft.controller.view.ControllerView;

/**
 * What a northbound gets to work with: the one place that validates and commits intent, and the one read interface
 * of the running controller; beside it, the controller's meters (a northbound records its own in them, and reads
 * them only as a whole, scraped); and the replicas, as this one sees them.
 */
public record NorthboundContext(IntentService intents, ControllerView view, ControllerSettings settings,
                                ControllerMetrics metrics, ClusterStatus cluster) {
}
