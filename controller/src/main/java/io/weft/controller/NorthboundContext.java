package io.weft.controller;

import io.weft.controller.intent.IntentService;
import io.weft.controller.reconcile.Reconciler;

/** What a northbound gets to work with: the one place that validates and commits intent, and the live view. */
public record NorthboundContext(IntentService intents, Reconciler controller, ControllerSettings settings) {
}
